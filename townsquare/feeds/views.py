"""The feed itself (/feeds/<token>.ics, no sign-in: the token is the key) and Settings >
Calendar feeds (make one, see its address once, revoke it)."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from townsquare.feeds.access import (
    TOKEN_PATTERN,
    access_feed,
    access_feeds,
    feed_for_token,
    hash_feed_token,
)
from townsquare.feeds.actions import can_revoke, do_create_feed, do_revoke_feed, feed_url
from townsquare.feeds.forms import FeedForm
from townsquare.feeds.ical import render_feed
from townsquare.feeds.models import FeedToken
from townsquare.lib.errors import ActionError
from townsquare.planning.models import Campaign
from townsquare.workspaces.models import Membership
from townsquare.workspaces.views import workspace_view

# Calendar apps poll every few minutes at most; more than this is a loop or a guesser.
RATE_WINDOW_SECONDS = 300
PER_TOKEN = 30
PER_CLIENT = 120

NEW_URL_KEY = "feeds_new_url"
NOT_FOUND = "No calendar feed at this address. It may have been revoked; ask for a new one.\n"
TOO_MANY = "Too many requests for calendar feeds. Try again in a few minutes.\n"


def _over_limit(key: str, limit: int) -> bool:
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > limit


def _plain(text: str, status: int) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    if status == 429:
        response["Retry-After"] = str(RATE_WINDOW_SECONDS)
    return response


@require_http_methods(["GET", "HEAD"])
def feed(request: HttpRequest, token: str) -> HttpResponse:
    client = request.META.get("REMOTE_ADDR", "")
    if _over_limit(f"feeds:client:{client}", PER_CLIENT):
        return _plain(TOO_MANY, 429)
    if not TOKEN_PATTERN.fullmatch(token):
        return _plain(NOT_FOUND, 404)
    if _over_limit(f"feeds:token:{hash_feed_token(token)[:32]}", PER_TOKEN):
        return _plain(TOO_MANY, 429)
    found = feed_for_token(token)
    if found is None:
        return _plain(NOT_FOUND, 404)
    response = HttpResponse(render_feed(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="townsquare.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def _page(
    request: HttpRequest,
    membership: Membership,
    form: FeedForm,
    *,
    new_url: str = "",
    status: int = 200,
) -> HttpResponse:
    feeds = list(access_feeds(membership))
    return render(
        request,
        "feeds/settings.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "settings_tab": "feeds",
            "form": form,
            "new_url": new_url,
            "feeds": [(f, can_revoke(membership, f)) for f in feeds],
        },
        status=status,
    )


def _campaigns(membership: Membership) -> list[Campaign]:
    return list(Campaign.objects.filter(workspace=membership.workspace).order_by("name"))


@workspace_view()
def feed_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    campaigns = _campaigns(membership)
    if request.method != "POST":
        new_url = request.session.pop(NEW_URL_KEY, "")
        return _page(request, membership, FeedForm(campaigns=campaigns), new_url=str(new_url or ""))
    form = FeedForm(request.POST, campaigns=campaigns)
    if not form.is_valid():
        return _page(request, membership, form, status=400)
    try:
        _feed, raw = do_create_feed(
            membership, name=form.cleaned_data["name"], campaign_id=form.cleaned_data["campaign"]
        )
    except ActionError as error:
        form.add_error(None, error.message)
        return _page(request, membership, form, status=error.status)
    # Shown once, on the page the browser is sent to next: reloading it makes no second feed.
    request.session[NEW_URL_KEY] = feed_url(raw)
    return redirect("feeds_settings", workspace=membership.workspace.slug)


@workspace_view(methods=("POST",), lookups={"feed_id": access_feed})
def feed_revoke(request: HttpRequest, membership: Membership, feed_id: FeedToken) -> HttpResponse:
    try:
        do_revoke_feed(membership, feed_id)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Calendar feed revoked: its address no longer works."))
    return redirect("feeds_settings", workspace=membership.workspace.slug)
