import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar

from townsquare.api.actions import do_create_api_token
from townsquare.compliance.tests import factories as f
from townsquare.feeds.actions import do_create_feed, do_revoke_feed
from townsquare.feeds.models import FeedToken
from townsquare.lib.errors import ActionError
from townsquare.planning.models import Campaign
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(alice, workspace_a):
    return Membership.objects.get(user=alice, workspace=workspace_a)


@pytest.fixture
def editor(bob, workspace_a):
    return Membership.objects.get(user=bob, workspace=workspace_a)


def fetch(client, raw: str):
    return client.get(f"/feeds/{raw}.ics")


def parse(response) -> Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def soon(hours: int = 24):
    return timezone.now().replace(microsecond=0) + timedelta(hours=hours)


def test_feed_is_valid_icalendar_with_stable_uids(client, owner, workspace_a, workspace_b):
    li = f.account(workspace_a, "linkedin_page")
    first = f.publication(
        li,
        soon(),
        text="Neue Röstung aus Äthiopien: fruchtig, hell, mit Noten von Jasmin und Bergamotte",
    )
    second = f.publication(li, soon(48), "published", text="Rückblick auf den Tag der offenen Tür")
    f.publication(li, soon(30), "draft", text="Entwurf, nicht im Kalender")
    f.publication(li, soon(31), "cancelled", text="Abgesagt")
    f.publication(f.account(workspace_b, "mastodon"), soon(), text="Only for Beta Outdoor")
    _feed, raw = do_create_feed(owner, name="Google Kalender")
    calendar = parse(fetch(client, raw))
    assert calendar["VERSION"] == "2.0"
    assert "Townsquare" in str(calendar["PRODID"])
    assert calendar["X-WR-CALNAME"] == workspace_a.name == calendar["NAME"]
    refresh = calendar["REFRESH-INTERVAL"]
    assert refresh.dt == timedelta(hours=1) and refresh.params["VALUE"] == "DURATION"
    events = calendar.walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert len(events) == 2, summaries
    assert not any("Entwurf" in s or "Abgesagt" in s or "Beta" in s for s in summaries)
    by_uid = {str(e["UID"]): e for e in events}
    uid = f"publication-{first.idempotency_key}@127.0.0.1"
    assert uid in by_uid
    event = by_uid[uid]
    assert event.decoded("DTSTART") == first.due_at
    assert event.decoded("DTSTART").tzinfo is not None
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert str(event["SUMMARY"]).startswith("LinkedIn (Seite): Neue Röstung aus Äthiopien")
    assert str(event["URL"]).endswith(f"/w/{workspace_a.slug}/posts/{first.post_id}/")
    assert "Jasmin" in str(event["DESCRIPTION"])
    # Fetched again: the same UIDs (a calendar app updates events, never duplicates them).
    again = parse(fetch(client, raw))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(by_uid)
    assert f"publication-{second.idempotency_key}@127.0.0.1" in by_uid
    # Only the hash is stored.
    assert not FeedToken.objects.filter(token_hash=raw).exists()
    assert FeedToken.objects.get().last_used_at is not None


def test_revoked_and_unknown_tokens_are_404_in_plain_text(client, owner):
    feed, raw = do_create_feed(owner, name="Outlook")
    assert fetch(client, raw).status_code == 200
    do_revoke_feed(owner, feed)
    gone = fetch(client, raw)
    assert gone.status_code == 404
    assert gone["Content-Type"].startswith("text/plain")
    assert b"revoked" in gone.content
    assert fetch(client, "tsf_" + "x" * 43).status_code == 404
    assert fetch(client, "nonsense").status_code == 404
    with pytest.raises(ActionError) as again:
        do_revoke_feed(owner, feed)
    assert again.value.code == "already_revoked"


def test_campaign_feed_holds_only_the_campaign(client, owner, workspace_a):
    campaign = Campaign.objects.create(
        workspace=workspace_a,
        name="Winterröstung",
        starts_on=timezone.now().date(),
        ends_on=timezone.now().date() + timedelta(days=30),
    )
    acct = f.account(workspace_a, "mastodon")
    f.publication(acct, soon(), text="Kampagne: Winterröstung ist da", campaign=campaign)
    f.publication(acct, soon(5), text="Ohne Kampagne")
    _feed, raw = do_create_feed(owner, name="Kampagne", campaign_id=campaign.pk)
    calendar = parse(fetch(client, raw))
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Mastodon: Kampagne: Winterröstung ist da"]
    assert calendar["X-WR-CALNAME"] == f"{workspace_a.name} – Winterröstung"


def test_campaign_of_another_workspace_is_refused(owner, workspace_b):
    foreign = Campaign.objects.create(
        workspace=workspace_b, name="Trail", starts_on="2026-01-01", ends_on="2026-02-01"
    )
    with pytest.raises(ActionError) as refused:
        do_create_feed(owner, name="Fremd", campaign_id=foreign.pk)
    assert refused.value.code == "campaign_not_found"
    assert not FeedToken.objects.exists()


def test_a_feed_ends_with_its_makers_membership(client, editor, workspace_a):
    _feed, raw = do_create_feed(editor, name="Bobs Kalender")
    assert fetch(client, raw).status_code == 200
    Membership.objects.filter(pk=editor.pk).delete()
    assert fetch(client, raw).status_code == 404


def test_only_its_maker_or_a_manager_revokes(owner, editor):
    feed, _raw = do_create_feed(owner, name="Alices Kalender")
    with pytest.raises(ActionError) as refused:
        do_revoke_feed(editor, feed)
    assert refused.value.status == 403
    bobs, _raw = do_create_feed(editor, name="Bobs Kalender")
    assert do_revoke_feed(owner, bobs).revoked_at is not None


def test_rate_limited(client, owner, settings):
    _feed, raw = do_create_feed(owner, name="Polling")
    answers = [fetch(client, raw).status_code for _ in range(31)]
    assert answers[:30] == [200] * 30
    assert answers[30] == 429
    limited = fetch(client, raw)
    assert limited["Retry-After"] == "300" and limited["Content-Type"].startswith("text/plain")


def test_guessing_is_rate_limited_per_client(client, owner):
    _feed, raw = do_create_feed(owner, name="Polling")
    guesses = [fetch(client, f"tsf_{'a' * 30}{i:04d}").status_code for i in range(120)]
    assert set(guesses) == {404}
    assert fetch(client, raw).status_code == 429


def test_head_and_other_methods(client, owner):
    _feed, raw = do_create_feed(owner, name="Outlook")
    assert client.head(f"/feeds/{raw}.ics").status_code == 200
    assert client.post(f"/feeds/{raw}.ics").status_code == 405


def test_settings_page_shows_the_address_once_and_revokes(alice_client, workspace_a):
    page = f"/w/{workspace_a.slug}/settings/feeds/"
    assert alice_client.get(page).status_code == 200
    made = alice_client.post(page, {"name": "Apple Kalender", "campaign": ""})
    assert made.status_code == 302 and made["Location"] == page
    html = alice_client.get(page).content.decode()
    assert "/feeds/tsf_" in html
    raw = "tsf_" + html.split("/feeds/tsf_", 1)[1].split(".ics", 1)[0]
    assert alice_client.get(f"/feeds/{raw}.ics").status_code == 200
    listed = alice_client.get(page).content.decode()
    assert "Apple Kalender" in listed and raw not in listed
    feed = FeedToken.objects.get()
    revoked = alice_client.post(f"/w/{workspace_a.slug}/settings/feeds/{feed.pk}/revoke/")
    assert revoked.status_code == 302
    assert alice_client.get(f"/feeds/{raw}.ics").status_code == 404
    bad = alice_client.post(page, {"name": "", "campaign": "999"})
    assert bad.status_code == 400
    assert FeedToken.objects.count() == 1


def test_strangers_see_nothing(client, carol, workspace_a, owner):
    feed, _raw = do_create_feed(owner, name="Alices Kalender")
    client.force_login(carol)
    assert client.get(f"/w/{workspace_a.slug}/settings/feeds/").status_code == 404
    assert client.post(f"/w/{workspace_a.slug}/settings/feeds/{feed.pk}/revoke/").status_code == 404
    assert client.get(f"/api/v1/workspaces/{workspace_a.slug}/feeds").status_code == 404
    assert (
        client.delete(f"/api/v1/workspaces/{workspace_a.slug}/feeds/{feed.pk}").status_code == 404
    )
    assert FeedToken.objects.get().revoked_at is None


def test_api_lists_makes_and_revokes(alice_client, alice, workspace_a, client):
    base = f"/api/v1/workspaces/{workspace_a.slug}/feeds"
    made = alice_client.post(
        base, json.dumps({"name": "Thunderbird"}), content_type="application/json"
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["url"].startswith("http") and "/feeds/tsf_" in body["url"]
    listed = alice_client.get(base).json()
    assert [x["name"] for x in listed] == ["Thunderbird"] and "url" not in listed[0]
    raw = body["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(f"/feeds/{raw}.ics").status_code == 200
    # An API token may list and revoke, not make a feed.
    _token, secret = do_create_api_token(alice, name="CI", workspace_slugs=[workspace_a.slug])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    refused = client.post(
        base, json.dumps({"name": "Per Token"}), content_type="application/json", **headers
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "session_required"
    assert len(client.get(base, **headers).json()) == 1
    gone = client.delete(f"{base}/{body['id']}", **headers)
    assert gone.status_code == 204
    assert client.get(f"/feeds/{raw}.ics").status_code == 404
    again = alice_client.delete(f"{base}/{body['id']}")
    assert again.status_code == 409
    empty = alice_client.post(base, json.dumps({"name": ""}), content_type="application/json")
    assert empty.status_code == 422
