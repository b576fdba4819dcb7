from django.urls import path

from townsquare.networks.meta import views, webhook_views

urlpatterns = [
    path(
        "w/<slug:workspace>/settings/accounts/meta/connect/",
        views.connect_meta,
        name="workspace_connect_meta",
    ),
    path("connect/meta/callback/", views.meta_callback, name=views.CALLBACK_URL_NAME),
    path("webhooks/meta/", webhook_views.meta_webhook, name="meta_webhook"),
]
