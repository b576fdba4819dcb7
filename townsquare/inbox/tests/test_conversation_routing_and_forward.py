"""The conversation page says why its rules applied, and hands it to a department by hand."""

import pytest
from django.core import mail
from django.urls import reverse

from townsquare.inbox.forwarding import attempt_forward
from townsquare.inbox.models import Department, Forward, ForwardStatus
from townsquare.inbox.routing import route_new
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests import test_routing_support as support
from townsquare.inbox.tests.test_routing_support import make_message, make_rule

pytestmark = pytest.mark.django_db

inbox_account = support.inbox_account
viewer = inbox_world.viewer


def _url(conversation, name="inbox_conversation"):
    return reverse(
        name, kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk}
    )


def test_the_page_says_which_rule_applied_and_why_in_german(
    alice_client, workspace_a, inbox_account
):
    make_rule(workspace_a, "Beschwerden priorisieren", {"category": ["complaint"]}, {"priority": 2})
    message = make_message(inbox_account, "Schon wieder kaputt!", category="complaint")
    route_new([message])
    alice_client.cookies["django_language"] = "de"
    page = alice_client.get(_url(message.conversation), HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Warum es so zugeordnet wurde" in text
    assert "Beschwerden priorisieren" in text


def test_a_conversation_is_forwarded_by_hand_by_e_mail(alice_client, workspace_a, inbox_account):
    department = Department.objects.create(
        workspace=workspace_a, name="Produkt", email="produkt@example.de"
    )
    message = make_message(inbox_account, "Bitte eine Export-Funktion!", category="suggestion")
    conversation = message.conversation
    page = alice_client.get(_url(conversation), HTTP_ACCEPT_LANGUAGE="en")
    assert "Forward to" in page.content.decode()
    answer = alice_client.post(
        _url(conversation, "inbox_forward"), {"department": department.pk, "note": "Wichtig"}
    )
    assert answer.status_code == 302
    forward = Forward.objects.get(conversation=conversation)
    assert forward.department == department
    # The e-mail goes out in a background task, as forwards by rule do.
    assert attempt_forward(forward.pk) == ForwardStatus.SENT
    assert "Bitte eine Export-Funktion!" in "".join(m.body for m in mail.outbox)


def test_a_department_of_another_workspace_is_not_found(
    alice_client, workspace_a, workspace_b, inbox_account
):
    elsewhere = Department.objects.create(
        workspace=workspace_b, name="Legal", email="l@example.com"
    )
    message = make_message(inbox_account, "Hallo?", category="question")
    answer = alice_client.post(
        _url(message.conversation, "inbox_forward"), {"department": elsewhere.pk}
    )
    assert answer.status_code == 404
    assert not Forward.objects.exists()


def test_a_viewer_cannot_forward(client, viewer, workspace_a, inbox_account):
    department = Department.objects.create(workspace=workspace_a, name="P", email="p@example.de")
    message = make_message(inbox_account, "Frage?", category="question")
    client.force_login(viewer.user)
    client.post(_url(message.conversation, "inbox_forward"), {"department": department.pk})
    assert not Forward.objects.exists()


def test_the_triage_reasons_read_in_german(alice_client, workspace_a, inbox_account):
    message = make_message(inbox_account, "Der Zug fällt schon wieder aus!", category="complaint")
    message.triage = {
        "category": {"value": "complaint", "confidence": 0.9, "reasons": ["too short to tell"]}
    }
    message.save(update_fields=["triage"])
    alice_client.cookies["django_language"] = "de"
    page = alice_client.get(_url(message.conversation), HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert "zu kurz für eine Aussage" in text
    assert "too short to tell" not in text


def test_a_message_whose_routing_failed_says_so_on_its_page(
    alice_client, workspace_a, inbox_account, monkeypatch
):
    from townsquare.inbox import routing

    make_rule(workspace_a, "Alles", {}, {"priority": 2})
    message = make_message(inbox_account, "Hallo?", category="question")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(routing, "_apply", broken)
    route_new([message])
    alice_client.cookies["django_language"] = "de"
    page = alice_client.get(_url(message.conversation), HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert "Die Regeln konnten auf diese Nachricht nicht angewendet werden" in text
    assert "boom" not in text
