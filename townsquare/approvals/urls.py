"""Pages of the approvals app."""

from django.urls import path

from townsquare.approvals import views

urlpatterns = [
    path(
        "w/<slug:workspace>/settings/approvals/",
        views.approval_settings,
        name="approvals_settings",
    ),
    path("w/<slug:workspace>/reviews/", views.queue, name="approvals_queue"),
    path(
        "w/<slug:workspace>/posts/<int:post_id>/review/",
        views.decide,
        name="approvals_decide",
    ),
    path(
        "w/<slug:workspace>/posts/<int:post_id>/comments/",
        views.comment,
        name="approvals_comment",
    ),
    path("review/<str:token>/", views.client_review, name="approvals_client"),
    path(
        "review/<str:token>/media/<int:asset_id>/",
        views.client_media,
        name="approvals_client_media",
    ),
]
