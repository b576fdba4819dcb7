"""Sign-in states and PKCE, with a plain dict as the session."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from townsquare.networks.oauth2 import state

KEY = "x_oauth_pending"
NOW = 1_800_000_000.0


def test_a_started_sign_in_is_found_once_by_its_state_with_who_started_it():
    session: dict = {}
    pending, _challenge = state.start_sign_in(
        session, KEY, workspace="kaffee", user_id=7, extra={"language": "de"}, now=NOW
    )
    found = state.finish_sign_in(session, KEY, pending.state, now=NOW + 60)
    assert (found.workspace, found.user_id, found.extra) == ("kaffee", 7, {"language": "de"})
    assert found.verifier == pending.verifier
    with pytest.raises(state.StateProblem) as again:
        state.finish_sign_in(session, KEY, pending.state, now=NOW + 61)
    assert again.value.reason == "unknown"


def test_a_state_older_than_ten_minutes_is_expired_and_still_says_whose_it_was():
    session: dict = {}
    pending, _ = state.start_sign_in(session, KEY, workspace="kaffee", user_id=7, now=NOW)
    with pytest.raises(state.StateProblem) as problem:
        state.finish_sign_in(session, KEY, pending.state, now=NOW + state.STATE_TTL_S + 1)
    assert problem.value.reason == "expired"
    assert problem.value.entry is not None and problem.value.entry["workspace"] == "kaffee"
    assert session[KEY] == []  # used up even though it was too late


@pytest.mark.parametrize("given", ["", "nope", "x" * 43])
def test_an_empty_or_unknown_state_matches_nothing_and_keeps_the_others(given):
    session: dict = {}
    pending, _ = state.start_sign_in(session, KEY, workspace="kaffee", user_id=7, now=NOW)
    with pytest.raises(state.StateProblem):
        state.finish_sign_in(session, KEY, given, now=NOW)
    assert state.finish_sign_in(session, KEY, pending.state, now=NOW).workspace == "kaffee"


def test_a_state_from_the_future_or_without_a_time_is_never_usable():
    assert state.expired({"created": NOW + 5}, now=NOW)
    assert state.expired({"created": "soon"}, now=NOW)
    assert state.expired({}, now=NOW)
    assert not state.expired({"created": NOW - 599}, now=NOW)


def test_only_the_newest_sign_ins_are_kept():
    session: dict = {}
    started = [
        state.start_sign_in(session, KEY, workspace=f"w{i}", user_id=1, now=NOW)[0]
        for i in range(state.MAX_PENDING + 2)
    ]
    assert [entry["workspace"] for entry in session[KEY]] == [
        p.workspace for p in started[-state.MAX_PENDING :]
    ]
    with pytest.raises(state.StateProblem):
        state.finish_sign_in(session, KEY, started[0].state, now=NOW)


def test_a_tampered_session_entry_is_refused_not_a_crash():
    session: dict = {KEY: [{"state": "s" * 43, "created": NOW}, "junk", {"state": 5}]}
    with pytest.raises(state.StateProblem) as problem:
        state.finish_sign_in(session, KEY, "s" * 43, now=NOW)
    assert problem.value.reason == "unknown"  # matched, but without workspace and user


def test_the_pkce_challenge_is_the_unpadded_base64url_sha256_of_the_verifier():
    verifier, challenge = state.pkce_pair()
    assert 43 <= len(verifier) <= 128 and re.fullmatch(r"[A-Za-z0-9\-._~]+", verifier)
    digest = hashlib.sha256(verifier.encode()).digest()
    assert base64.urlsafe_b64decode(challenge + "=") == digest
    assert "=" not in challenge and len(challenge) == 43
    assert state.pkce_pair()[0] != verifier
