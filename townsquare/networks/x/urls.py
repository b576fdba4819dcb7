from django.urls import path

from townsquare.networks.x import views

urlpatterns = [
    path(
        "w/<slug:workspace>/settings/accounts/x/connect/",
        views.connect_x,
        name="workspace_connect_x",
    ),
    path("connect/x/callback/", views.x_callback, name=views.CALLBACK_URL_NAME),
]
