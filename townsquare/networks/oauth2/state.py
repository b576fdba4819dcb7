"""Sign-ins in progress: a random `state` per sign-in, kept in the person's session with the
workspace, the user and the time, and the PKCE pair (RFC 7636, S256).

A state is single use (taken out of the session when the callback names it), expires after
ten minutes, and is compared in constant time with every entry, so neither a guess nor the
time a comparison takes tells anything. The session is any mutable mapping: Django's session
in the views, a dict in tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

STATE_TTL_S = 600
# A person may start a few sign-ins in several tabs; older ones are dropped beyond this.
MAX_PENDING = 5
# RFC 7636 allows 43 to 128 characters for the verifier.
VERIFIER_CHARS = 96


class StateProblem(Exception):
    """The callback's state is missing, unknown, used or expired. `entry` is the stored
    sign-in when it was known (an expired one still says which workspace to go back to)."""

    def __init__(self, reason: str, entry: Mapping[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.entry = entry


def new_state() -> str:
    return secrets.token_urlsafe(32)


def same_state(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


def remember(
    session: MutableMapping[str, Any],
    key: str,
    entry: Mapping[str, Any],
    *,
    max_pending: int = MAX_PENDING,
) -> None:
    """Keep `entry` (a JSON object with at least "state" and "created") under `key`."""
    kept = [item for item in session.get(key, []) if isinstance(item, dict)]
    session[key] = [*kept[-(max_pending - 1) :], dict(entry)]


def take(
    session: MutableMapping[str, Any],
    key: str,
    state: str,
    *,
    now: float | None = None,
    ttl_s: float = STATE_TTL_S,
) -> dict[str, Any]:
    """The sign-in that `state` names, removed from the session (single use)."""
    entries = [item for item in session.get(key, []) if isinstance(item, dict)]
    found: dict[str, Any] | None = None
    rest = []
    for entry in entries:
        stored = entry.get("state")
        # Every entry is compared, so the time taken says nothing about which one matched.
        matches = isinstance(stored, str) and bool(state) and same_state(stored, state)
        if matches and found is None:
            found = entry
        else:
            rest.append(entry)
    session[key] = rest
    if found is None:
        raise StateProblem("unknown")
    if expired(found, now=now, ttl_s=ttl_s):
        raise StateProblem("expired", found)
    return found


def expired(
    entry: Mapping[str, Any], *, now: float | None = None, ttl_s: float = STATE_TTL_S
) -> bool:
    """Older than `ttl_s`, from the future, or without a readable time: never usable."""
    try:
        created = float(entry["created"])
    except (KeyError, TypeError, ValueError):
        return True
    current = time.time() if now is None else now
    return not 0 <= current - created <= ttl_s


@dataclass(frozen=True, slots=True)
class PendingSignIn:
    """One sign-in in progress at a network with a fixed authorization server (X, LinkedIn,
    Meta): who started it, for which workspace, and the PKCE verifier to send with the code.
    `extra` holds what a network needs besides (a language chosen on the form)."""

    state: str
    workspace: str
    user_id: int
    created: float
    verifier: str = field(default="", repr=False)
    extra: Mapping[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "workspace": self.workspace,
            "user_id": self.user_id,
            "created": self.created,
            "verifier": self.verifier,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_json(cls, data: object) -> PendingSignIn | None:
        if not isinstance(data, Mapping):
            return None
        extra = data.get("extra")
        try:
            return cls(
                state=str(data["state"]),
                workspace=str(data["workspace"]),
                user_id=int(data["user_id"]),
                created=float(data["created"]),
                verifier=str(data.get("verifier") or ""),
                extra={str(k): str(v) for k, v in extra.items()}
                if isinstance(extra, Mapping)
                else {},
            )
        except (KeyError, TypeError, ValueError):
            return None


def start_sign_in(
    session: MutableMapping[str, Any],
    key: str,
    *,
    workspace: str,
    user_id: int,
    extra: Mapping[str, str] | None = None,
    now: float | None = None,
) -> tuple[PendingSignIn, str]:
    """A new sign-in kept in the session, and the PKCE challenge for its authorization URL."""
    verifier, challenge = pkce_pair()
    pending = PendingSignIn(
        state=new_state(),
        workspace=workspace,
        user_id=user_id,
        created=time.time() if now is None else now,
        verifier=verifier,
        extra=dict(extra or {}),
    )
    remember(session, key, pending.as_json())
    return pending, challenge


def finish_sign_in(
    session: MutableMapping[str, Any], key: str, state: str, *, now: float | None = None
) -> PendingSignIn:
    """The sign-in the callback's `state` names, taken out of the session; StateProblem
    when it is unknown, used, expired or unreadable."""
    entry = take(session, key, state, now=now)
    pending = PendingSignIn.from_json(entry)
    if pending is None:
        raise StateProblem("unknown")
    return pending


# --- PKCE -----------------------------------------------------------------------------------------


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge) as RFC 7636 defines them."""
    verifier = secrets.token_urlsafe(VERIFIER_CHARS)[:VERIFIER_CHARS]
    return verifier, pkce_challenge(verifier)


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
