from django.urls import path

from townsquare.networks.threads import views

urlpatterns = [
    path(
        "w/<slug:workspace>/settings/accounts/threads/connect/",
        views.connect_threads,
        name="workspace_connect_threads",
    ),
    path("connect/threads/callback/", views.threads_callback, name=views.CALLBACK_URL_NAME),
]
