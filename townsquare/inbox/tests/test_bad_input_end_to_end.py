"""Bad input, end to end: whatever a network or a file hands Townsquare, the person gets a
clear error and nothing is lost.

- A message of a megabyte from a connector is stored, truncated, and says so.
- A network answering broken JSON is a polling failure in words, and the cursor stays where
  it was, so the next poll reads the same messages again; once the network answers properly,
  they arrive.
- `townsquare triage predict` on a CSV without a `text` column stops with the reason and
  writes no output (an existing output file is left as it was).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from townsquare.inbox.ingest import ingest_account
from townsquare.inbox.ingest_store import MAX_TEXT_CHARS
from townsquare.inbox.models import Conversation, FeedbackItem, InboxCursor, Message
from townsquare.networks import registry
from townsquare.networks.base import Credentials, InboxMessage
from townsquare.networks.bluesky.connector import BlueskyPublisher
from townsquare.networks.bluesky.tests.test_errors import creds as bluesky_creds
from townsquare.networks.credentials import store_credentials
from townsquare.networks.mastodon.connector import MastodonPublisher
from townsquare.networks.mastodon.tests.captured import creds as mastodon_creds
from townsquare.networks.mastodon.tests.captured import status_json
from townsquare.networks.matrix.connector import MatrixPublisher
from townsquare.networks.matrix.tests.helpers import creds as matrix_creds
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

NOW = datetime.now(UTC).replace(microsecond=0)


def connected(workspace, network: str, creds: Credentials) -> SocialAccount:
    """An account of `network` whose stored login is `creds`, as connecting stores it."""
    account = SocialAccount.objects.create(
        workspace=workspace, network=network, handle=creds.handle
    )
    store_credentials(
        account,
        {
            "access_token": creds.access_token,
            "refresh_token": creds.refresh_token,
            "instance_url": creds.instance_url,
            "extra": dict(creds.extra),
        },
    )
    return account


# --- a message of a megabyte ----------------------------------------------------------------


class OnePage:
    """A connector whose inbox is one page, registered for the network as connectors are."""

    def __init__(self, messages: list[InboxMessage], cursor: str) -> None:
        self.messages, self.cursor = messages, cursor

    def fetch_inbox(self, creds, cursor):
        return self.messages, self.cursor

    def reply(self, creds, message, text):
        raise NotImplementedError


def said(message_id: str, text: str) -> InboxMessage:
    return InboxMessage(
        network_message_id=message_id,
        conversation_id=message_id,
        kind="mention",
        author_handle="@lena@example.social",
        author_name="Lena",
        text=text,
        created_at=NOW,
    )


def test_a_message_of_a_megabyte_is_stored_truncated_with_the_flag(workspace_a, monkeypatch):
    account = connected(workspace_a, "mastodon", mastodon_creds())
    huge = "Meine Bestellung ist kaputt angekommen, bitte helft mir. " + "x" * (1024 * 1024)
    page = [said("huge", huge), said("small", "Wann öffnet ihr morgen?")]
    monkeypatch.setitem(registry._instances, "mastodon", OnePage(page, "after-both"))

    outcome = ingest_account(account)

    assert outcome.error == "" and outcome.stored == 2 and outcome.truncated == 1
    message = Message.objects.get(account=account, network_message_id="huge")
    assert len(message.text) == MAX_TEXT_CHARS and huge.startswith(message.text)
    assert message.triage["truncated"] is True
    assert message.triage["original_length"] == len(huge)
    assert any(
        f"longer than {MAX_TEXT_CHARS:,} characters" in reason
        for reason in message.triage["category"]["reasons"]
    ), "the person reading it is told that only its start was kept"
    assert message.category and message.triage_model_version
    assert Conversation.objects.filter(account=account).count() == 2
    # Nothing lost beside it, and the cursor moves past both, as both are stored.
    assert Message.objects.get(account=account, network_message_id="small").category
    assert InboxCursor.objects.get(account=account).cursor == "after-both"
    # A megabyte read again is still one message.
    again = ingest_account(account)
    assert again.stored == 0 and again.repeated == 2
    assert Message.objects.filter(account=account).count() == 2


# --- broken JSON from a network -------------------------------------------------------------

BROKEN = b'{"notifications": [{"uri": "at://did:plc:them/app.bsky.feed.post/1", "reas'


def broken_server(request: httpx.Request) -> httpx.Response:
    # Whatever is asked, the answer is cut off in the middle of its JSON.
    return httpx.Response(200, headers={"content-type": "application/json"}, content=BROKEN)


CONNECTORS = {
    "bluesky": (
        lambda transport: BlueskyPublisher(transport=transport, on_session=lambda *a: None),
        bluesky_creds,
        "earlier-cursor",
    ),
    "mastodon": (
        lambda transport: MastodonPublisher(transport=transport, sleep=lambda s: None),
        mastodon_creds,
        json.dumps({"notifications": "100", "conversations": "200"}),
    ),
    "matrix_room": (
        lambda transport: MatrixPublisher(transport=transport, media_reader=lambda k: b""),
        matrix_creds,
        "s72594_4483_1934",
    ),
}


@pytest.mark.parametrize("network", sorted(CONNECTORS))
def test_broken_json_from_a_network_is_a_clear_failure_and_the_cursor_stays(
    workspace_a, monkeypatch, network
):
    make, creds, earlier = CONNECTORS[network]
    account = connected(workspace_a, network, creds())
    InboxCursor.objects.create(account=account, cursor=earlier)
    monkeypatch.setitem(registry._instances, network, make(httpx.MockTransport(broken_server)))

    outcome = ingest_account(account)

    # In the workspace's language (German here), saying that it is tried again and nothing
    # is lost; the network's own reason ("could not be read") goes to the log.
    assert "keine Nachricht geht verloren" in outcome.error and "später" in outcome.error
    assert "nicht lesen" in outcome.error, "a garbled answer is not called silence"
    assert not outcome.paused, "a garbled answer is tried again later by itself"
    cursor = InboxCursor.objects.get(account=account)
    assert cursor.cursor == earlier, "the next poll reads the same messages again"
    assert cursor.failures == 1 and cursor.last_error == outcome.error
    assert cursor.next_poll_at is not None and cursor.paused_at is None
    assert not Message.objects.filter(account=account).exists()


def test_after_broken_json_the_next_proper_answer_brings_the_messages(workspace_a, monkeypatch):
    account = connected(workspace_a, "mastodon", mastodon_creds())
    earlier = json.dumps({"notifications": "100", "conversations": "200"})
    InboxCursor.objects.create(account=account, cursor=earlier)
    asked: list[httpx.Request] = []
    healthy = {"now": False}
    mention = status_json(
        "301",
        account={"id": "500", "username": "lena", "acct": "lena@other.example"},
        in_reply_to_id=None,
        visibility="public",
        content="<p>@kaffee Meine Mühle ist kaputt, das ist ärgerlich!</p>",
    )

    def server(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        if not healthy["now"]:
            return broken_server(request)
        if request.url.path == "/api/v1/notifications":
            return httpx.Response(200, json=[{"id": "101", "type": "mention", "status": mention}])
        return httpx.Response(200, json=[])

    connector = MastodonPublisher(transport=httpx.MockTransport(server), sleep=lambda s: None)
    monkeypatch.setitem(registry._instances, "mastodon", connector)

    assert ingest_account(account).error
    healthy["now"] = True
    outcome = ingest_account(account)

    assert outcome.error == "" and outcome.stored == 1
    # Read from where the inbox stood before the failure: nothing in between was skipped.
    notifications = [r for r in asked if r.url.path == "/api/v1/notifications"]
    assert {r.url.params.get("min_id") for r in notifications} == {"100"}
    message = Message.objects.get(account=account, network_message_id="301")
    assert message.category == "complaint"
    assert FeedbackItem.objects.filter(message=message).exists()
    cursor = InboxCursor.objects.get(account=account)
    assert json.loads(cursor.cursor)["notifications"] == "101"
    assert cursor.failures == 0 and cursor.last_error == ""


# --- a CSV without a text column ------------------------------------------------------------


def run_townsquare(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The `townsquare` command as a person runs it (its own process, the test's settings)."""
    script = Path(sys.executable).with_name("townsquare")
    # The installed script where there is one, else the same entry point through Python.
    command = [str(script)] if script.exists() else [sys.executable, "-m", "townsquare.cli"]
    return subprocess.run(
        [*command, *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "townsquare.settings"},
    )


def test_predict_on_a_csv_without_a_text_column_says_so_and_writes_nothing(tmp_path):
    given = tmp_path / "messages.csv"
    given.write_text("body,author\nMeine Mühle ist kaputt,Lena\n", encoding="utf-8")
    out = tmp_path / "labelled.csv"
    kept = tmp_path / "kept.csv"
    kept.write_text("text,label\nfrüher,question\n", encoding="utf-8")

    missing = run_townsquare("triage", "predict", str(given), str(out))
    over_existing = run_townsquare("triage", "predict", str(given), str(kept))

    for finished in (missing, over_existing):
        assert finished.returncode != 0
        assert "text" in finished.stderr and "body" in finished.stderr, finished.stderr
        assert "Traceback" not in finished.stderr, "an error in words, not a crash"
    assert not out.exists()
    assert kept.read_text(encoding="utf-8") == "text,label\nfrüher,question\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv", "messages.csv"]
    assert given.read_text(encoding="utf-8").startswith("body,author")
