from django.urls import path

from townsquare.analytics import collection_views

urlpatterns = [
    path(
        "w/<slug:workspace>/analytics/collection/<int:account_id>/retry/",
        collection_views.retry,
        name="analytics_collection_retry",
    ),
]
