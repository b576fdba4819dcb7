from django.urls import path

from townsquare.networks.mastodon import views

urlpatterns = [
    path(
        "w/<slug:workspace>/settings/accounts/mastodon/connect/",
        views.connect_mastodon,
        name="workspace_connect_mastodon",
    ),
    path("connect/mastodon/callback/", views.mastodon_callback, name=views.CALLBACK_URL_NAME),
]
