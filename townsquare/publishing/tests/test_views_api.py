"""What people see of publishing (dashboard alarms, the publishing page, Settings >
Publishing) and the publishing API, with the input it refuses."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from townsquare.api.actions import do_create_api_token
from townsquare.audit.models import AuditEvent
from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.notifications.models import WebhookDelivery
from townsquare.publishing.models import Attempt, Publication, PublishingSettings
from townsquare.publishing.settings_actions import do_update_publishing_settings
from townsquare.runtime.heartbeat import SCHEDULER, beat
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


# --- fixtures ----------------------------------------------------------------------------------
@pytest.fixture
def account(workspace_a):
    return SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@kaffee")


@pytest.fixture
def post(membership, account):
    return do_save_post(membership, PostInput(text="Frischer Kaffee aus Leipzig."), [account.pk])


@pytest.fixture
def viewer(workspace_a):
    user = get_user_model().objects.create_user("vera@example.com", "vera-pass-123", name="Vera")
    Membership.objects.create(workspace=workspace_a, user=user, role="viewer")
    return user


def publication(post, status, **fields):
    variant = post.variants.first()
    pub, _ = Publication.objects.update_or_create(
        variant=variant,
        defaults={
            "workspace": post.workspace,
            "post": post,
            "account": variant.account,
            "status": status,
            **fields,
        },
    )
    return pub


def another_post(membership, account, text):
    return do_save_post(membership, PostInput(text=text), [account.pk])


def api(client, method, path, body=None, **headers):
    return client.generic(
        method, f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", **headers
    )


def future_wall(days=30, hour=9, minute=30):
    day = (timezone.now().astimezone(BERLIN) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute)


# --- dashboard ------------------------------------------------------------------------------
def dashboard(client, workspace):
    return client.get(reverse("workspace_dashboard", args=[workspace.slug])).content.decode()


def test_the_dashboard_shows_no_alarm_when_all_is_well(alice_client, workspace_a, post):
    beat(SCHEDULER)
    html = dashboard(alice_client, workspace_a)
    assert "banner" not in html


def test_the_dashboard_counts_failed_posts_and_links_to_them(
    alice_client, workspace_a, membership, account, post
):
    publication(post, "failed", error_code="rejected")
    publication(another_post(membership, account, "Zweiter Beitrag."), "failed")
    html = dashboard(alice_client, workspace_a)
    assert "2 posts failed to go out." in html
    assert reverse("content_post", args=[workspace_a.slug, post.pk]) in html
    assert reverse("publishing_overview", args=[workspace_a.slug]) in html


def test_the_dashboard_asks_to_check_posts_of_unknown_outcome(alice_client, workspace_a, post):
    publication(post, "unknown", error_code="outcome_unknown")
    html = dashboard(alice_client, workspace_a)
    assert "1 post may or may not have gone out" in html
    assert reverse("content_post", args=[workspace_a.slug, post.pk]) in html


def test_the_dashboard_warns_when_the_scheduler_is_silent(alice_client, workspace_a):
    assert "The scheduler has not reported" in dashboard(alice_client, workspace_a)
    beat(SCHEDULER)
    assert "The scheduler has not reported" not in dashboard(alice_client, workspace_a)


def test_the_dashboard_does_not_count_another_workspaces_failures(client, carol, workspace_b, post):
    publication(post, "failed")
    client.force_login(carol)
    assert "failed to go out" not in dashboard(client, workspace_b)


# --- the publishing page ---------------------------------------------------------------------
def overview(client, workspace):
    response = client.get(reverse("publishing_overview", args=[workspace.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_upcoming_posts_are_grouped_by_day_in_the_workspaces_time_zone(
    alice_client, workspace_a, membership, account, post
):
    wall = future_wall(hour=0, minute=30)  # 00:30 in Berlin is the evening before in UTC
    due = wall.replace(tzinfo=BERLIN).astimezone(UTC)
    publication(post, "scheduled", due_at=due, run_at=due, local_due=wall.isoformat())
    later = another_post(membership, account, "Am Abend.")
    evening = wall.replace(hour=20)
    publication(
        later, "scheduled", due_at=evening.replace(tzinfo=BERLIN).astimezone(UTC), run_at=due
    )
    html = overview(alice_client, workspace_a)
    assert html.count('<h3 class="day">') == 1, "both are on the same Berlin day"
    assert html.index("00:30") < html.index("20:30")
    assert f"{wall.day}" in html[html.index('<h3 class="day">') :][:80]


def test_recently_published_posts_link_to_the_network(alice_client, workspace_a, post):
    publication(
        post,
        "published",
        published_at=timezone.now(),
        external_url="https://social.example/@kaffee/1",
    )
    html = overview(alice_client, workspace_a)
    assert 'href="https://social.example/@kaffee/1"' in html


def test_failures_are_explained_with_what_to_do(alice_client, workspace_a, membership, account):
    publication(
        another_post(membership, account, "Eins."), "failed", error_code="reauth", error_message="x"
    )
    publication(another_post(membership, account, "Zwei."), "failed", error_code="held_late")
    publication(
        another_post(membership, account, "Drei."),
        "failed",
        error_code="too_long",
        error_message="Text is over 500 characters.",
    )
    html = overview(alice_client, workspace_a)
    assert "no longer accepts Townsquare&#x27;s access" in html
    assert reverse("workspace_accounts", args=[workspace_a.slug]) in html
    assert "It was held because it could not go out on time." in html
    assert "The network refused the post." in html
    assert 'The network said: <q translate="no">Text is over 500 characters.</q>' in html


def test_unknown_outcomes_offer_to_settle_only_to_those_who_may_schedule(
    client, workspace_a, alice, viewer, post
):
    pub = publication(post, "unknown", error_code="worker_lost")
    settle = reverse("publishing_settle", args=[workspace_a.slug, pub.pk])
    client.force_login(alice)
    html = overview(client, workspace_a)
    assert "Townsquare stopped while sending the post" in html and settle in html
    client.force_login(viewer)
    html = overview(client, workspace_a)
    assert "Townsquare stopped while sending the post" in html and settle not in html


def test_the_publishing_page_says_when_nothing_is_planned(alice_client, workspace_a):
    html = overview(alice_client, workspace_a)
    assert "Nothing is scheduled." in html and "Nothing published yet." in html


def test_the_publishing_page_is_in_the_side_navigation(alice_client, workspace_a):
    html = overview(alice_client, workspace_a)
    url = reverse("publishing_overview", args=[workspace_a.slug])
    assert f'<a href="{url}" aria-current="page">' in html


# --- Settings > Publishing ---------------------------------------------------------------
def settings_url(workspace):
    return reverse("workspace_publishing_settings", args=[workspace.slug])


FORM = {"late_after_minutes": "45", "hold_when_late": "on", "webhook_url": ""}


def test_an_owner_changes_the_publishing_settings_and_it_is_audited(alice_client, workspace_a):
    response = alice_client.post(
        settings_url(workspace_a), {**FORM, "webhook_url": "https://hooks.example.com/t"}
    )
    assert response.status_code == 302
    saved = PublishingSettings.objects.get(workspace=workspace_a)
    assert saved.hold_when_late and saved.late_after_minutes == 45
    assert not saved.notify_by_email and saved.webhook_url == "https://hooks.example.com/t"
    event = AuditEvent.objects.get(action="publishing_settings.update")
    assert event.before["late_after_minutes"] == 60 and event.after["late_after_minutes"] == 45


def test_the_settings_page_shows_the_defaults_without_saving_them(alice_client, workspace_a):
    html = alice_client.get(settings_url(workspace_a)).content.decode()
    assert 'name="late_after_minutes" value="60"' in html and "Publishing" in html
    assert not PublishingSettings.objects.exists()


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_members_below_manager_see_the_settings_but_may_not_change_them(
    client, workspace_a, bob, role
):
    Membership.objects.filter(user=bob).update(role=role)
    client.force_login(bob)
    html = client.get(settings_url(workspace_a)).content.decode()
    assert "disabled" in html and "Only owners and managers" in html
    assert client.post(settings_url(workspace_a), FORM).status_code == 403
    assert not PublishingSettings.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example.com/x", "starting with https://"),
        ("hooks.example.com/x", "starting with https://"),
        ("https://exa mple.com/", "starting with https://"),
        ("http://127.0.0.1:9000/hook", "own network"),
        ("http://localhost/hook", "own network"),
        ("http://[::1]/hook", "own network"),
    ],
)
def test_a_webhook_address_must_be_a_public_http_address(
    alice_client, workspace_a, settings, url, message
):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    response = alice_client.post(settings_url(workspace_a), {**FORM, "webhook_url": url})
    assert response.status_code == 200 and message in response.content.decode()
    assert not PublishingSettings.objects.exists()


def test_the_action_refuses_minutes_out_of_range(membership):
    for minutes in (0, -5, 10**6, True):
        with pytest.raises(ActionError) as refused:
            do_update_publishing_settings(
                membership,
                hold_when_late=True,
                late_after_minutes=minutes,
                notify_by_email=True,
                webhook_url="",
            )
        assert refused.value.code == "invalid_late_after_minutes"


def test_a_test_event_reaches_the_webhook_and_its_result_is_shown(
    alice_client, workspace_a, settings, django_capture_on_commit_callbacks
):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }
        hook = f"http://127.0.0.1:{server.server_address[1]}/hook"
        alice_client.post(settings_url(workspace_a), {**FORM, "webhook_url": hook})
        with django_capture_on_commit_callbacks(execute=True):
            alice_client.post(settings_url(workspace_a), {"action": "test_webhook"})
    finally:
        server.shutdown()
        server.server_close()
    assert [e["event"] for e in received] == ["test"]
    assert WebhookDelivery.objects.get().status_code == 200
    assert "Delivered (HTTP 200)" in alice_client.get(settings_url(workspace_a)).content.decode()


# --- API: schedule and cancel ----------------------------------------------------------------
def schedule(client, workspace, post, body, **headers):
    return api(
        client, "POST", f"/workspaces/{workspace.slug}/posts/{post.pk}/schedule", body, **headers
    )


def test_scheduling_keeps_the_wall_time_in_the_workspaces_zone(alice_client, workspace_a, post):
    wall = future_wall()
    response = schedule(alice_client, workspace_a, post, {"at": wall.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200, response.content
    data = response.json()
    expected = wall.replace(tzinfo=BERLIN).astimezone(UTC)
    assert datetime.fromisoformat(data["due_at"]) == expected
    assert data["local_due"] == wall.strftime("%Y-%m-%dT%H:%M")
    assert data["time_zone"] == "Europe/Berlin" and data["notes"] == []
    [pub] = data["publications"]
    assert pub["status"] == "scheduled" and pub["account"]["handle"] == "@kaffee"


def test_scheduling_in_another_zone_and_with_a_token(client, alice, workspace_a, post):
    _token, raw = do_create_api_token(alice, name="ci", workspace_slugs=[workspace_a.slug])
    wall = future_wall()
    response = schedule(
        client,
        workspace_a,
        post,
        {"at": wall.isoformat(), "time_zone": "America/New_York"},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    expected = wall.replace(tzinfo=ZoneInfo("America/New_York")).astimezone(UTC)
    assert datetime.fromisoformat(response.json()["due_at"]) == expected
    assert Publication.objects.get().time_zone == "America/New_York"


def test_a_time_with_an_offset_is_read_as_that_instant(alice_client, workspace_a, post):
    instant = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    at = instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
    data = schedule(alice_client, workspace_a, post, {"at": at}).json()
    assert datetime.fromisoformat(data["due_at"]) == instant
    assert data["local_due"] == instant.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


def test_leaving_out_the_time_publishes_now(alice_client, workspace_a, post):
    before = timezone.now()
    data = schedule(alice_client, workspace_a, post, {}).json()
    assert before - timedelta(seconds=1) <= datetime.fromisoformat(data["due_at"]) <= timezone.now()
    assert Publication.objects.get().status == "scheduled"


def test_a_request_without_a_body_publishes_now(alice_client, workspace_a, post):
    path = f"/api/v1/workspaces/{workspace_a.slug}/posts/{post.pk}/schedule"
    response = alice_client.generic("POST", path, "")
    assert response.status_code == 200, response.content
    assert Publication.objects.get().status == "scheduled"


def test_a_time_a_few_seconds_ago_still_goes_out_at_once(alice_client, workspace_a, post):
    at = (timezone.now().astimezone(BERLIN) - timedelta(seconds=20)).strftime("%Y-%m-%dT%H:%M:%S")
    assert schedule(alice_client, workspace_a, post, {"at": at}).status_code == 200


def test_daylight_saving_changes_are_explained(alice_client, workspace_a, post):
    year = timezone.now().year + 1
    spring = datetime(year, 3, 31) - timedelta(days=(datetime(year, 3, 31).weekday() + 1) % 7)
    gap = spring.replace(hour=2, minute=30).strftime("%Y-%m-%dT%H:%M")
    notes = schedule(alice_client, workspace_a, post, {"at": gap}).json()["notes"]
    assert notes and "does not exist" in notes[0] and "03:30" in notes[0]
    autumn = datetime(year, 10, 31) - timedelta(days=(datetime(year, 10, 31).weekday() + 1) % 7)
    twice = autumn.replace(hour=2, minute=30).strftime("%Y-%m-%dT%H:%M")
    notes = schedule(alice_client, workspace_a, post, {"at": twice}).json()["notes"]
    assert notes and "happens twice" in notes[0]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"at": ""}, "invalid_time"),
        ({"at": "tomorrow at nine"}, "invalid_time"),
        ({"at": "2027-02-30T09:00"}, "invalid_time"),
        ({"at": "2027-12-01"}, "invalid_time"),
        ({"at": "2027-12-01T25:00"}, "invalid_time"),
        ({"at": "2027-12-01T09:00", "time_zone": "Mars/Olympus"}, "unknown_time_zone"),
        ({"at": "2027-12-01T09:00", "time_zone": "../../etc/passwd"}, "unknown_time_zone"),
        ({"at": "2020-01-01T09:00"}, "time_in_past"),
    ],
)
def test_bad_times_and_zones_are_refused_with_a_clear_error(
    alice_client, workspace_a, post, body, code
):
    response = schedule(alice_client, workspace_a, post, body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert not Publication.objects.exists()


def test_a_body_of_the_wrong_shape_is_a_validation_error(alice_client, workspace_a, post):
    response = schedule(alice_client, workspace_a, post, {"at": 123})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_a_post_without_accounts_cannot_be_scheduled(alice_client, workspace_a, membership):
    empty = Post.objects.create(workspace=workspace_a, master_text="Ohne Konto.", language="de")
    response = schedule(alice_client, workspace_a, empty, {})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "accounts_required"


def test_a_published_post_cannot_be_rescheduled(alice_client, workspace_a, post):
    publication(post, "published")
    response = schedule(alice_client, workspace_a, post, {"at": future_wall().isoformat()})
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_editable"


def test_viewers_may_not_schedule_or_cancel(client, viewer, workspace_a, post):
    client.force_login(viewer)
    assert schedule(client, workspace_a, post, {}).status_code == 403
    path = f"/workspaces/{workspace_a.slug}/posts/{post.pk}/cancel"
    assert api(client, "POST", path).status_code == 403


def test_cancelling_stops_scheduled_publications(alice_client, workspace_a, post):
    schedule(alice_client, workspace_a, post, {"at": future_wall().isoformat()})
    response = api(alice_client, "POST", f"/workspaces/{workspace_a.slug}/posts/{post.pk}/cancel")
    assert response.status_code == 200 and response.json() == {"post_id": post.pk, "cancelled": 1}
    assert Publication.objects.get().status == "cancelled"
    assert AuditEvent.objects.filter(action="post.cancel").exists()


def test_a_post_being_sent_cannot_be_cancelled(alice_client, workspace_a, post):
    publication(post, "publishing")
    response = api(alice_client, "POST", f"/workspaces/{workspace_a.slug}/posts/{post.pk}/cancel")
    assert response.status_code == 409 and response.json()["error"]["code"] == "publishing"


# --- API: publications ---------------------------------------------------------------------
def test_publications_are_listed_and_filtered_by_status(
    alice_client, workspace_a, membership, account, post
):
    publication(post, "failed", error_code="rejected", error_message="Too long.", attempt_count=2)
    publication(another_post(membership, account, "Zwei."), "published")
    base = f"/workspaces/{workspace_a.slug}/publications"
    assert len(api(alice_client, "GET", base).json()) == 2
    [failed] = api(alice_client, "GET", f"{base}?status=failed").json()
    assert failed["error_code"] == "rejected" and failed["error_message"] == "Too long."
    assert failed["attempt_count"] == 2 and failed["post_id"] == post.pk
    assert {"due_at", "local_due", "time_zone", "external_url", "account"} <= set(failed)
    assert len(api(alice_client, "GET", f"{base}?post_id={post.pk}").json()) == 1


def test_an_unknown_status_filter_is_refused(alice_client, workspace_a):
    response = api(alice_client, "GET", f"/workspaces/{workspace_a.slug}/publications?status=lost")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_status"


def test_one_publication_comes_with_its_attempts(alice_client, workspace_a, post):
    pub = publication(post, "failed")
    Attempt.objects.create(publication=pub, outcome="retry", message="Slow down.")
    Attempt.objects.create(publication=pub, outcome="rejected", message="Too long.")
    data = api(alice_client, "GET", f"/workspaces/{workspace_a.slug}/publications/{pub.pk}").json()
    assert [a["outcome"] for a in data["attempts"]] == ["retry", "rejected"]
    assert data["attempts"][1]["message"] == "Too long."


def test_an_unknown_outcome_is_settled_as_published_with_its_address(
    alice_client, workspace_a, post
):
    pub = publication(post, "unknown")
    response = api(
        alice_client,
        "POST",
        f"/workspaces/{workspace_a.slug}/publications/{pub.pk}/settle",
        {"published": True, "url": "https://social.example/@kaffee/9"},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "published"
    assert data["external_url"] == "https://social.example/@kaffee/9"


def test_an_unknown_outcome_not_found_on_the_network_is_sent_again(alice_client, workspace_a, post):
    pub = publication(post, "unknown")
    path = f"/workspaces/{workspace_a.slug}/publications/{pub.pk}/settle"
    data = api(alice_client, "POST", path, {"published": False, "url": "ignored"}).json()
    assert data["status"] == "scheduled" and data["external_url"] == ""


@pytest.mark.parametrize(
    ("status", "body", "http", "code"),
    [
        ("unknown", {"published": True, "url": "javascript:alert(1)"}, 422, "invalid_url"),
        ("unknown", {"published": True, "url": "not an address"}, 422, "invalid_url"),
        ("failed", {"published": True}, 400, "not_unknown"),
        ("unknown", {"url": "https://x.example/"}, 422, "validation_error"),
    ],
)
def test_settling_refuses_bad_input(alice_client, workspace_a, post, status, body, http, code):
    pub = publication(post, status)
    path = f"/workspaces/{workspace_a.slug}/publications/{pub.pk}/settle"
    response = api(alice_client, "POST", path, body)
    assert response.status_code == http and response.json()["error"]["code"] == code
    pub.refresh_from_db()
    assert pub.status == status


def test_viewers_may_read_publications_but_not_settle_them(client, viewer, workspace_a, post):
    pub = publication(post, "unknown")
    client.force_login(viewer)
    base = f"/workspaces/{workspace_a.slug}/publications"
    assert api(client, "GET", base).status_code == 200
    assert api(client, "GET", f"{base}/{pub.pk}").status_code == 200
    assert api(client, "POST", f"{base}/{pub.pk}/settle", {"published": True}).status_code == 403


def test_a_publication_of_another_workspace_is_not_found(client, carol, workspace_b, post):
    pub = publication(post, "unknown")
    client.force_login(carol)
    response = api(client, "GET", f"/workspaces/{workspace_b.slug}/publications/{pub.pk}")
    assert response.status_code == 404
    assert api(client, "GET", f"/workspaces/{workspace_b.slug}/publications").json() == []


def test_the_dashboard_counts_a_post_that_failed_on_two_accounts_once(
    alice_client, workspace_a, membership, account
):
    second = SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="k.bsky")
    both = do_save_post(membership, PostInput(text="Auf zwei Netzwerken."), [account.pk, second.pk])
    for variant in both.variants.all():
        Publication.objects.create(
            workspace=workspace_a,
            post=both,
            variant=variant,
            account=variant.account,
            status="failed",
        )
    assert "1 post failed to go out." in dashboard(alice_client, workspace_a)
