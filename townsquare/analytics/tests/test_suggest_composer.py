"""Suggested times in the composer: the next best moments of the chosen accounts, never in
the past, general guidance said as such when there is too little history, another
workspace's posts never used, and a suggestion that fills the time without JavaScript."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from townsquare.analytics.suggest_composer import composer_suggestions
from townsquare.analytics.tests.suggest_world import history
from townsquare.compliance.tests.factories import account

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
TEXT = "Neue Röstung ab Samstag: kommen Sie vorbei."


@pytest.fixture
def masto(workspace_a):
    return account(workspace_a, "mastodon", handle="@alpha@social.example")


def compose_url(workspace) -> str:
    return f"/w/{workspace.slug}/compose/"


def suggested_values(html: str) -> list[str]:
    return re.findall(r'name="suggested_when" value="([^"]+)"', html)


def test_the_composer_suggests_the_next_three_best_moments_of_the_chosen_account(
    alice_client, workspace_a, masto
):
    history(masto)
    page = alice_client.post(
        compose_url(workspace_a),
        {"text": TEXT, "language": "de", "accounts": [str(masto.pk)], "action": "preview"},
    ).content.decode()
    values = suggested_values(page)
    assert len(values) == 3
    now_local = timezone.now().astimezone(BERLIN).replace(tzinfo=None)
    moments = [datetime.strptime(v, "%Y-%m-%dT%H:%M") for v in values]
    assert moments == sorted(moments) and all(m > now_local for m in moments)
    # Friday noon is measured far below the average post: never suggested.
    assert {(m.weekday(), m.hour) for m in moments} == {(1, 18), (3, 8)}
    assert "From 36 of your posts in the last 16 weeks" in page
    assert "more engagements per post than your average" in page


def test_a_best_time_closer_than_a_quarter_of_an_hour_is_not_suggested(membership, masto):
    # A Tuesday at 17:50 in Berlin: 18:00 today would pass before the post is written.
    tuesday = datetime(2026, 12, 1, 17, 50, tzinfo=BERLIN)
    history(masto, now=tuesday)
    found = composer_suggestions(membership, [masto.pk], now=tuesday.astimezone(UTC))
    assert found is not None
    first = found.moments[0].at
    assert first > tuesday
    assert (first.weekday(), first.hour) == (3, 8)
    earlier = composer_suggestions(membership, [masto.pk], now=tuesday - timedelta(minutes=30))
    assert earlier is not None
    assert earlier.moments[0].at == datetime(2026, 12, 1, 18, 0, tzinfo=BERLIN)


def test_with_too_little_history_the_composer_says_it_offers_general_guidance(
    alice_client, workspace_a, masto
):
    page = alice_client.post(
        compose_url(workspace_a),
        {"text": TEXT, "language": "de", "accounts": [str(masto.pk)], "action": "preview"},
    ).content.decode()
    assert len(suggested_values(page)) == 3
    assert "Not enough data yet (0 of at least 30 posts in 16 weeks)" in page
    assert "General guidance for this network (not from your data)" in page


def test_another_workspaces_history_is_never_used(
    alice_client, workspace_a, workspace_b, masto, membership
):
    theirs = account(workspace_b, "mastodon", handle="@beta@social.example")
    history(theirs)
    found = composer_suggestions(membership, [masto.pk, theirs.pk])
    assert found is not None
    assert [a.account for a in found.advice] == [masto]
    assert found.advice[0].general
    partial = alice_client.get(
        f"/w/{workspace_a.slug}/compose/suggested-times/", {"accounts": [theirs.pk]}
    ).content.decode()
    assert "Choose the accounts to see the best times" in partial
    assert "suggested_when" not in partial


def test_a_suggestion_pressed_without_javascript_fills_the_time_and_keeps_the_text(
    alice_client, workspace_a, masto
):
    history(masto)
    data = {"text": TEXT, "language": "de", "accounts": [str(masto.pk)], "action": "preview"}
    first = suggested_values(alice_client.post(compose_url(workspace_a), data).content.decode())[0]
    pressed = {k: v for k, v in data.items() if k != "action"} | {"suggested_when": first}
    response = alice_client.post(compose_url(workspace_a), pressed)
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'name="when" value="{first}"', page)
    assert TEXT in page
    assert 'class="error"' not in page


def test_a_suggestion_pressed_without_a_message_yet_shows_no_errors(
    alice_client, workspace_a, masto
):
    response = alice_client.post(
        compose_url(workspace_a),
        {"accounts": [str(masto.pk)], "suggested_when": "2031-12-09T18:00"},
    )
    page = response.content.decode()
    assert 'name="when" value="2031-12-09T18:00"' in page
    assert 'class="error"' not in page


def test_a_malformed_suggestion_is_an_ordinary_preview(alice_client, workspace_a, masto):
    response = alice_client.post(
        compose_url(workspace_a),
        {"text": TEXT, "language": "de", "accounts": [str(masto.pk)], "suggested_when": "soon"},
    )
    assert response.status_code == 200
    assert 'name="when" value="soon"' not in response.content.decode()


def test_the_suggestions_follow_the_accounts_ticked(alice_client, workspace_a, masto):
    history(masto)
    url = f"/w/{workspace_a.slug}/compose/suggested-times/"
    none = alice_client.get(url).content.decode()
    assert "Choose the accounts to see the best times" in none
    some = alice_client.get(url, {"accounts": [masto.pk]}).content.decode()
    assert len(suggested_values(some)) == 3
    assert "Mastodon · @alpha@social.example" in some


def test_the_suggestions_speak_german(alice_client, alice, workspace_a, masto):
    history(masto)
    alice.language = "de"
    alice.save()
    with translation.override("de"):
        page = alice_client.get(
            f"/w/{workspace_a.slug}/compose/suggested-times/",
            {"accounts": [masto.pk]},
            headers={"accept-language": "de"},
        ).content.decode()
    assert "Vorgeschlagene Zeiten" in page
    assert "Aus 36 Ihrer Beiträge der letzten 16 Wochen" in page
    assert "Interaktionen je Beitrag" in page
    assert re.search(r"(Dienstag|Donnerstag|Freitag), ", page)
