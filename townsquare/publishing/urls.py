from django.urls import path

from townsquare.publishing import views

urlpatterns = [
    path(
        "w/<slug:workspace>/posts/<int:post_id>/schedule/",
        views.schedule,
        name="publishing_schedule",
    ),
    path(
        "w/<slug:workspace>/publications/<int:publication_id>/settle/",
        views.settle,
        name="publishing_settle",
    ),
]
