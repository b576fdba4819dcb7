from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from townsquare.api.urls import api

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("", include("townsquare.content.urls")),
    path("", include("townsquare.publishing.urls")),
    path("", include("townsquare.notifications.urls")),
    path("", include("townsquare.content.aids_urls")),
    path("", include("townsquare.media.urls")),
    path("", include("townsquare.networks.bluesky.urls")),
    path("", include("townsquare.networks.mastodon.urls")),
    path("", include("townsquare.networks.matrix.urls")),
    path("", include("townsquare.ui.urls")),
]

handler400 = "townsquare.ui.views.errors.bad_request"
