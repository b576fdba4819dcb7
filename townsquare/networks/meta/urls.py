from django.urls import path

from townsquare.networks.meta import webhook_views

urlpatterns = [
    path("webhooks/meta/", webhook_views.meta_webhook, name="meta_webhook"),
]
