"""Forwarding to a department: e-mail through Django's mail, a webhook signed per Standard
Webhooks received by a real local HTTP server, retries that end in a visible failure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from townsquare.inbox import forwarding
from townsquare.inbox.forwarding import attempt_forward, retry_due_forwards
from townsquare.inbox.models import Forward, ForwardStatus
from townsquare.inbox.routing import route_new
from townsquare.inbox.routing_actions import do_forward_conversation, do_save_department
from townsquare.inbox.tests import test_routing_support as support
from townsquare.inbox.tests.test_routing_support import make_message, make_rule
from townsquare.notifications.models import Notification

inbox_account = support.inbox_account


class Receiver:
    """A webhook receiver on loopback that records what arrives and answers `status`."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/inbox-abcdefgh"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    found = Receiver()
    yield found
    found.close()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Standard Webhooks verification as a receiver does it, written from the spec."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        sig.split(",", 1) == ["v1", expected] for sig in headers["webhook-signature"].split(" ")
    )


def test_a_rule_forwards_by_webhook_signed_per_standard_webhooks(
    membership, workspace_a, inbox_account, receiver, django_capture_on_commit_callbacks
):
    saved = do_save_department(
        membership, None, name="Rechtsabteilung", email="", webhook_url=receiver.url
    )
    assert saved.new_secret.startswith("whsec_")
    make_rule(
        workspace_a,
        "Legal",
        {"min_urgency": 60},
        {"forward_department": saved.department.pk},
    )
    message = make_message(
        inbox_account, "Ich schalte meinen Anwalt ein!", category="complaint", urgency=70
    )
    with django_capture_on_commit_callbacks() as callbacks:
        route_new([message])
    forward = Forward.objects.get()
    assert forward.channel == "webhook" and forward.status == ForwardStatus.PENDING
    assert len(callbacks) == 1  # the task is enqueued after commit
    assert attempt_forward(forward.pk) == ForwardStatus.SENT
    headers, body = receiver.requests[0]
    assert headers["content-type"] == "application/json"
    assert verify(saved.new_secret, headers, body)
    assert not verify(forwarding.generate_secret(), headers, body)
    payload = json.loads(body)
    assert payload["type"] == "inbox.conversation.forwarded"
    data = payload["data"]
    assert data["thread"][0]["text"] == "Ich schalte meinen Anwalt ein!"
    assert data["contact"]["handle"] == "@lena@example.social"
    assert data["triage"]["urgency"] == 70
    assert data["rule"] == "Legal"
    assert data["conversation"]["url"].endswith(f"/inbox/{message.conversation_id}/")
    forward.refresh_from_db()
    assert forward.status == ForwardStatus.SENT and forward.sent_at is not None


def test_forward_by_email_carries_the_thread_contact_triage_and_link(
    membership, workspace_a, inbox_account
):
    saved = do_save_department(
        membership, None, name="Produkt", email="produkt@example.de", webhook_url=""
    )
    message = make_message(
        inbox_account, "Bitte eine vegane Variante!", category="suggestion", followers=321
    )
    forwards = do_forward_conversation(
        membership, message.conversation, saved.department, note="Für die Roadmap"
    )
    assert [f.channel for f in forwards] == ["email"]
    assert attempt_forward(forwards[0].pk) == ForwardStatus.SENT
    sent = mail.outbox[-1]
    assert sent.to == ["produkt@example.de"]
    assert "Produkt" in sent.subject
    assert "Bitte eine vegane Variante!" in sent.body
    assert "Für die Roadmap" in sent.body
    assert "321" in sent.body
    assert f"/inbox/{message.conversation_id}/" in sent.body


def test_a_receiver_that_keeps_failing_ends_in_a_visible_failed_forward(
    membership, workspace_a, inbox_account, receiver, monkeypatch
):
    receiver.status = 503
    enqueued: list[int] = []

    class Task:
        enqueue = staticmethod(enqueued.append)

    monkeypatch.setattr(forwarding, "deliver_forward", Task)
    saved = do_save_department(membership, None, name="Produkt", email="", webhook_url=receiver.url)
    message = make_message(inbox_account, "Hallo")
    forward = do_forward_conversation(membership, message.conversation, saved.department)[0]
    now = timezone.now()
    for attempt in range(1, forwarding.MAX_ATTEMPTS):
        assert attempt_forward(forward.pk, now=now) == ForwardStatus.PENDING
        forward.refresh_from_db()
        assert forward.attempts == attempt and "503" in forward.error
        assert retry_due_forwards(now) == 0  # not before its pause is over
        now = forward.next_attempt_at + timedelta(seconds=1)
        assert retry_due_forwards(now) == 1
        assert retry_due_forwards(now) == 0  # claimed once
        assert enqueued[-1] == forward.pk
    assert attempt_forward(forward.pk, now=now) == ForwardStatus.FAILED
    forward.refresh_from_db()
    assert forward.status == ForwardStatus.FAILED and forward.next_attempt_at is None
    assert len(receiver.requests) == forwarding.MAX_ATTEMPTS
    assert len({h["webhook-id"] for h, _b in receiver.requests}) == 1  # same id on each try
    told = Notification.objects.filter(kind="inbox_forward_failed")
    assert told.count() >= 1 and "Produkt" in told.first().title
    assert attempt_forward(forward.pk) == "gone"  # a failed forward is never tried again


def test_a_refused_address_fails_at_once_without_retries(membership, inbox_account, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    saved = do_save_department(
        membership, None, name="Intern", email="", webhook_url="http://127.0.0.1:9/hook"
    )
    message = make_message(inbox_account, "Hallo")
    forward = do_forward_conversation(membership, message.conversation, saved.department)[0]
    assert attempt_forward(forward.pk) == ForwardStatus.FAILED
    forward.refresh_from_db()
    assert forward.attempts == 1 and forward.error
    assert Notification.objects.filter(kind="inbox_forward_failed").exists()


def test_a_department_without_any_address_gets_a_failed_forward_that_says_so(
    membership, inbox_account
):
    saved = do_save_department(membership, None, name="Leer", email="", webhook_url="")
    message = make_message(inbox_account, "Hallo")
    forward = do_forward_conversation(membership, message.conversation, saved.department)[0]
    forward.refresh_from_db()
    assert forward.status == ForwardStatus.FAILED
    assert "neither" in forward.error
