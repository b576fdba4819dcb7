"""The calendar through the API and the command line: the same tiles, bad input refused."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from townsquare.api.actions import do_create_api_token
from townsquare.audit.models import AuditEvent
from townsquare.calendars.models import CalendarNote, CalendarSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(alice, workspace_a):
    _, secret = do_create_api_token(alice, name="Kalender", workspace_slugs=[workspace_a.slug])
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def base(workspace):
    return f"/api/v1/workspaces/{workspace.slug}/calendar"


def test_the_api_returns_one_tile_per_post_with_its_accounts(
    client, token, workspace_a, schedule, next_week
):
    post = schedule(next_week, text="Adventskalender Tür 14")
    CalendarSettings.objects.create(workspace=workspace_a, country="DE", subdivision="BY")
    day = next_week.date()
    answer = client.get(
        base(workspace_a),
        {"start": day.isoformat(), "end": (day + timedelta(days=30)).isoformat()},
        **token,
    )
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["time_zone"] == "Europe/Berlin"
    [tile] = data["tiles"]
    assert tile["post_id"] == post.pk
    assert tile["at"] == next_week.strftime("%Y-%m-%dT%H:%M")
    assert {a["network"] for a in tile["accounts"]} == {"bluesky", "mastodon"}
    assert tile["status"] == "scheduled" and tile["movable"] is True
    filtered = client.get(
        base(workspace_a),
        {"start": day.isoformat(), "end": day.isoformat(), "network": "x"},
        **token,
    )
    assert filtered.json()["tiles"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "2026-02-30", "end": "2026-03-01"}, "invalid_date"),
        ({"start": "0", "end": "2026-03-01"}, "validation_error"),
        ({"start": "gestern", "end": "2026-03-01"}, "validation_error"),
        ({"start": "2026-03-01"}, "validation_error"),
        ({"start": "2026-03-02", "end": "2026-03-01"}, "end_before_start"),
        ({"start": "2026-01-01", "end": "2027-01-02"}, "range_too_long"),
        ({"start": "2026-01-01", "end": "2026-01-02", "status": "maybe"}, "invalid_status"),
    ],
)
def test_bad_ranges_are_refused_clearly(client, token, workspace_a, params, code):
    answer = client.get(base(workspace_a), params, **token)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == code


def test_a_year_is_allowed(client, token, workspace_a):
    answer = client.get(base(workspace_a), {"start": "2028-01-01", "end": "2028-12-31"}, **token)
    assert answer.status_code == 200


def test_notes_through_the_api(client, token, workspace_a, workspace_b):
    answer = client.post(
        f"{base(workspace_a)}/notes",
        {"date": "2026-12-24", "text": "Heiligabend: kein Post"},
        content_type="application/json",
        **token,
    )
    assert answer.status_code == 201, answer.content
    note_id = answer.json()["id"]
    answer = client.patch(
        f"{base(workspace_a)}/notes/{note_id}",
        {"text": "Heiligabend: nur Grüße"},
        content_type="application/json",
        **token,
    )
    assert answer.json()["text"] == "Heiligabend: nur Grüße"
    bad = client.post(
        f"{base(workspace_a)}/notes",
        {"date": "2026-12-24", "text": "   "},
        content_type="application/json",
        **token,
    )
    assert bad.status_code == 422 and CalendarNote.objects.count() == 1
    foreign = CalendarNote.objects.create(workspace=workspace_b, date="2026-12-24", text="B")
    assert client.delete(f"{base(workspace_a)}/notes/{foreign.pk}", **token).status_code == 404
    assert client.delete(f"{base(workspace_a)}/notes/{note_id}", **token).status_code == 204
    assert list(CalendarNote.objects.all()) == [foreign]
    assert AuditEvent.objects.filter(action__startswith="calendar.note").count() == 3


def test_settings_through_the_api(client, token, workspace_a):
    url = f"{base(workspace_a)}/settings"
    answer = client.put(
        url,
        {"show_holidays": True, "country": "GB", "subdivision": "ENG"},
        content_type="application/json",
        **token,
    )
    assert answer.status_code == 200 and answer.json()["subdivision"] == "ENG"
    bad = client.put(
        url, {"country": "XX", "subdivision": ""}, content_type="application/json", **token
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_country"
    days = client.get(base(workspace_a), {"start": "2026-12-24", "end": "2026-12-28"}, **token)
    assert "Boxing Day" in {h["name"] for h in days.json()["holidays"]}


def test_the_command_prints_the_calendar(workspace_a, schedule, next_week):
    schedule(next_week, text="Vom Terminal aus")
    day = next_week.date().isoformat()
    out = StringIO()
    call_command("calendar", workspace=workspace_a.slug, start=day, end=day, stdout=out)
    assert "Vom Terminal aus" in out.getvalue() and "Europe/Berlin" in out.getvalue()
    out = StringIO()
    call_command("calendar", "--json", workspace=workspace_a.slug, start=day, end=day, stdout=out)
    data = json.loads(out.getvalue())
    assert data["tiles"][0]["text"] == "Vom Terminal aus"


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [
        ("2026-02-30", "2026-03-01", "YYYY-MM-DD"),
        ("2026-03-02", "2026-03-01", "before"),
        ("2026-01-01", "2027-06-01", "366"),
    ],
)
def test_the_command_refuses_bad_days(workspace_a, start, end, says):
    with pytest.raises(CommandError, match=says):
        call_command("calendar", workspace=workspace_a.slug, start=start, end=end)


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")]
)
def test_days_at_the_ends_of_time_are_refused(client, token, workspace_a, start, end):
    answer = client.get(base(workspace_a), {"start": start, "end": end}, **token)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "out_of_range"
    note = client.post(
        f"{base(workspace_a)}/notes",
        {"date": end, "text": "Weit weg"},
        content_type="application/json",
        **token,
    )
    assert note.status_code == 422 and not CalendarNote.objects.exists()


def test_pages_at_the_ends_of_time_open_today(alice_client, workspace_a):
    for day in ("9999-12-31", "0001-01-01"):
        for name in ("workspace_calendar", "calendar_week", "calendar_list"):
            page = alice_client.get(
                reverse(name, kwargs={"workspace": workspace_a.slug}), {"day": day}
            )
            assert page.status_code == 200
