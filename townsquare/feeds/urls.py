"""Pages of the feeds app."""

from django.urls import path

from townsquare.feeds import views

urlpatterns = [
    path("feeds/<str:token>.ics", views.feed, name="feeds_ics"),
    path("w/<slug:workspace>/settings/feeds/", views.feed_settings, name="feeds_settings"),
    path(
        "w/<slug:workspace>/settings/feeds/<int:feed_id>/revoke/",
        views.feed_revoke,
        name="feeds_revoke",
    ),
]
