from django.urls import path

from townsquare.analytics.suggest_composer import suggested_times_partial
from townsquare.content import views

urlpatterns = [
    path("w/<slug:workspace>/compose/", views.compose_new, name="workspace_compose"),
    path("w/<slug:workspace>/compose/preview/", views.compose_preview, name="content_preview"),
    path(
        "w/<slug:workspace>/compose/suggested-times/",
        suggested_times_partial,
        name="content_suggested_times",
    ),
    path("w/<slug:workspace>/posts/", views.post_list, name="content_posts"),
    path("w/<slug:workspace>/posts/<int:post_id>/", views.post_detail, name="content_post"),
    path(
        "w/<slug:workspace>/posts/<int:post_id>/delete/",
        views.post_delete,
        name="content_post_delete",
    ),
    path(
        "w/<slug:workspace>/variants/<int:variant_id>/",
        views.variant_edit,
        name="content_variant_edit",
    ),
]
