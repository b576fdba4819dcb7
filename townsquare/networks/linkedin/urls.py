from django.urls import path

from townsquare.networks.linkedin import views

urlpatterns = [
    path(
        "w/<slug:workspace>/settings/accounts/linkedin/connect/",
        views.connect_linkedin,
        name="workspace_connect_linkedin",
    ),
    path("connect/linkedin/callback/", views.linkedin_callback, name=views.CALLBACK_URL_NAME),
]
