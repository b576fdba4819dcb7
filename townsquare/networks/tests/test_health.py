"""Connection health and the pre-post warning, rule by rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from townsquare.networks.health import (
    EXPIRY_WARNING,
    ConnectionFacts,
    connection_health,
    problem_for_post,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CONNECTED = ConnectionFacts(connected=True)


def test_a_connected_account_without_expiry_is_healthy():
    health = connection_health(CONNECTED, NOW)
    assert (health.level, health.code, health.expires_in) == ("ok", "ok", None)
    assert problem_for_post(CONNECTED, NOW + timedelta(days=400), NOW) is None


@pytest.mark.parametrize(
    ("facts", "code", "level"),
    [
        (ConnectionFacts(connected=False), "not_connected", "unconnected"),
        (ConnectionFacts(connected=True, credentials_readable=False), "unreadable", "error"),
        (ConnectionFacts(connected=True, needs_reconnect=True), "needs_reconnect", "error"),
        (
            ConnectionFacts(connected=True, token_expires_at=NOW - timedelta(seconds=1)),
            "expired",
            "error",
        ),
    ],
)
def test_what_blocks_publishing(facts, code, level):
    health = connection_health(facts, NOW)
    assert (health.code, health.level, health.blocks_publishing) == (code, level, True)
    assert problem_for_post(facts, NOW + timedelta(minutes=5), NOW) == code


def test_an_expiry_is_counted_down_and_warned_about_within_a_week():
    far = ConnectionFacts(connected=True, token_expires_at=NOW + timedelta(days=30))
    assert connection_health(far, NOW).expires_in == timedelta(days=30)
    assert connection_health(far, NOW).level == "ok"
    near = ConnectionFacts(connected=True, token_expires_at=NOW + EXPIRY_WARNING)
    health = connection_health(near, NOW)
    assert (health.level, health.code, health.expires_in) == (
        "warning",
        "expires_soon",
        EXPIRY_WARNING,
    )
    assert not health.blocks_publishing


def test_a_post_due_after_the_token_expires_is_warned_about():
    facts = ConnectionFacts(connected=True, token_expires_at=NOW + timedelta(days=30))
    assert problem_for_post(facts, NOW + timedelta(days=29), NOW) is None
    assert problem_for_post(facts, NOW + timedelta(days=30), NOW) == "expires_before_post"
    assert problem_for_post(facts, NOW + timedelta(days=31), NOW) == "expires_before_post"


def test_a_token_that_renews_itself_never_counts_down():
    facts = ConnectionFacts(
        connected=True, token_expires_at=NOW - timedelta(hours=1), renews_itself=True
    )
    health = connection_health(facts, NOW)
    assert (health.level, health.expires_in) == ("ok", None)
    assert problem_for_post(facts, NOW + timedelta(days=90), NOW) is None


def test_reconnect_needed_wins_over_a_renewing_token():
    facts = ConnectionFacts(connected=True, needs_reconnect=True, renews_itself=True)
    assert problem_for_post(facts, NOW, NOW) == "needs_reconnect"


def test_an_account_on_a_network_without_a_connector_publishes_by_reminder():
    facts = ConnectionFacts(connected=False, automatic=False)
    health = connection_health(facts, NOW)
    assert (health.code, health.level) == ("by_reminder", "unconnected")
    assert problem_for_post(facts, NOW + timedelta(minutes=5), NOW) is None, "posted by hand"


def test_never_connected_is_not_revoked_and_revoked_is_not_never_connected():
    never = connection_health(ConnectionFacts(connected=False, needs_reconnect=True), NOW)
    revoked = connection_health(ConnectionFacts(connected=True, needs_reconnect=True), NOW)
    assert never.code == "not_connected" and revoked.code == "needs_reconnect"
