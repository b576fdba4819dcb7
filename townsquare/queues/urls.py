"""Pages of the queues app."""

from django.urls import path

from townsquare.queues import views

urlpatterns = [
    path("w/<slug:workspace>/settings/queue/", views.queue_settings, name="queues_settings"),
    path("w/<slug:workspace>/queue/posts/<int:post_id>/", views.queue_post, name="queues_post"),
]
