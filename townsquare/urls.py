from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from townsquare.api.urls import api
from townsquare.monitoring.views import metrics

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("metrics", metrics, name="operator_metrics"),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    # Browsers ask for /favicon.ico where a page names no icon (the API docs, the admin).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("townsquare/favicon.svg"))),
    path("", include("townsquare.content.urls")),
    path("", include("townsquare.publishing.urls")),
    path("", include("townsquare.notifications.urls")),
    path("", include("townsquare.content.aids_urls")),
    path("", include("townsquare.media.urls")),
    path("", include("townsquare.planning.urls")),
    path("", include("townsquare.calendars.urls")),
    path("", include("townsquare.queues.urls")),
    path("", include("townsquare.approvals.urls")),
    path("", include("townsquare.bulk.urls")),
    path("", include("townsquare.compliance.urls")),
    path("", include("townsquare.feeds.urls")),
    path("", include("townsquare.inbox.urls")),
    path("", include("townsquare.analytics.import_urls")),
    path("", include("townsquare.analytics.report_urls")),
    path("", include("townsquare.analytics.collection_urls")),
    path("", include("townsquare.analytics.urls")),
    path("", include("townsquare.networks.bluesky.urls")),
    path("", include("townsquare.networks.linkedin.urls")),
    path("", include("townsquare.networks.mastodon.urls")),
    path("", include("townsquare.networks.meta.urls")),
    path("", include("townsquare.networks.matrix.urls")),
    path("", include("townsquare.networks.threads.urls")),
    path("", include("townsquare.networks.x.urls")),
    path("", include("townsquare.ui.urls")),
]

handler400 = "townsquare.ui.views.errors.bad_request"
handler404 = "townsquare.ui.views.errors.not_found"
handler500 = "townsquare.ui.views.errors.server_error"
