"""Webhook addresses are secrets: chat services put the token that lets anyone post into a
channel in the path or the query. Townsquare keeps the address in the workspace's publishing
settings and nowhere else in readable form: pages, the audit log, delivery results and logs
show it masked (scheme, host and a hint of the end), and the delivery task receives it
encrypted, because task arguments are stored in the database or a broker.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from townsquare.lib.crypto import KeyRing

HIDDEN = "…"
# The end of a long path is shown, so people can tell two addresses of the same service
# apart; a short path is hidden whole.
HINT_CHARS = 4
HINT_FROM_LENGTH = 16


def masked(url: str) -> str:
    """`https://hooks.slack.com/…x9Qa`: scheme, host and port, the rest hidden."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return HIDDEN
    if not host:
        return HIDDEN
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    if rest in ("", "/"):
        return f"{parts.scheme}://{netloc}/"
    if rest.startswith(f"/{HIDDEN}"):  # masked already
        return f"{parts.scheme}://{netloc}{rest}"
    hint = rest[-HINT_CHARS:] if len(rest) >= HINT_FROM_LENGTH else ""
    return f"{parts.scheme}://{netloc}/{HIDDEN}{hint}"


def redact(text: str, url: str) -> str:
    """`text` (an error message) with the address and every secret part of it masked."""
    if not url or not text:
        return text
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return text.replace(url, HIDDEN)
    secrets = {url: masked(url)}
    for piece in (parts.path, parts.query, parts.path + f"?{parts.query}", password):
        if piece and len(piece) > 1:
            secrets.setdefault(piece, HIDDEN)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, secrets[secret])
    return text


def _key_ring() -> KeyRing:
    return KeyRing(settings.FIELD_ENCRYPTION_KEYS)


def seal(url: str) -> str:
    return _key_ring().encrypt(url)


def unseal(sealed: str) -> str:
    """The address a task was given. Tasks enqueued by an older Townsquare carry it plain."""
    if sealed.startswith(("http://", "https://")):
        return sealed
    return _key_ring().decrypt(sealed)


def enqueue_webhook(url: str, payload: dict[str, Any], *, workspace_id: int) -> None:
    """Hand the event to a worker; call it from `transaction.on_commit`."""
    from townsquare.notifications.tasks import deliver_webhook

    deliver_webhook.enqueue(seal(url), payload, workspace_id=workspace_id)
