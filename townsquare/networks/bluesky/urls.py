from django.urls import path

from townsquare.networks.bluesky import views

urlpatterns = [
    path(
        "w/<slug:workspace>/settings/accounts/bluesky/connect/",
        views.connect_bluesky,
        name="workspace_connect_bluesky",
    ),
]
