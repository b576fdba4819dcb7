from django.urls import path

from townsquare.media import public_views, views

urlpatterns = [
    # Public: the signed, expiring token is the key (media/public_urls.py); the networks
    # that download media (Instagram, Threads, Facebook) fetch files here without a session.
    path("m/<str:token>/<str:filename>", public_views.public_file, name="media_public_file"),
    path("w/<slug:workspace>/media/", views.library, name="media_library"),
    path("w/<slug:workspace>/media/upload/", views.upload, name="media_upload"),
    path("w/<slug:workspace>/media/folders/new/", views.folder_create, name="media_folder_create"),
    path("w/<slug:workspace>/media/<int:asset_id>/", views.edit, name="media_edit"),
    path("w/<slug:workspace>/media/<int:asset_id>/delete/", views.delete, name="media_delete"),
    path("w/<slug:workspace>/media/<int:asset_id>/file/", views.media_file, name="media_file"),
    path(
        "w/<slug:workspace>/media/<int:asset_id>/thumbnail/",
        views.media_thumbnail,
        name="media_thumbnail",
    ),
]
