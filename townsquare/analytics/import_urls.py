from django.urls import path

from townsquare.analytics import import_views

urlpatterns = [
    path(
        "w/<slug:workspace>/analytics/import/",
        import_views.import_export,
        name="analytics_import",
    ),
]
