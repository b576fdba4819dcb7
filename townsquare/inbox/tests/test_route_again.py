"""A conversation whose routing failed can be routed again, on its page and through the API:
the failure is replaced by what the rules did now, or by a new failure."""

import pytest
from django.urls import reverse

from townsquare.audit.models import AuditEvent
from townsquare.inbox import routing
from townsquare.inbox.models import RuleMatch
from townsquare.inbox.routing import ROUTING_FAILED, route_new
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests import test_routing_support as support
from townsquare.inbox.tests.test_routing_support import make_message, make_rule

pytestmark = pytest.mark.django_db

inbox_account = support.inbox_account
viewer = inbox_world.viewer


class FlakyRules:
    """Stands in for applying a rule: fails the first `failures` times, then does the real
    work (a database hiccup that has passed)."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.real = routing._apply

    def __call__(self, *args, **kwargs):
        if self.failures:
            self.failures -= 1
            raise RuntimeError("database went away")
        return self.real(*args, **kwargs)


@pytest.fixture
def failed_conversation(workspace_a, inbox_account, bob, monkeypatch):
    """A conversation whose one rule (urgent, for Bob) failed to apply on arrival."""
    make_rule(workspace_a, "Beschwerden an Bob", {}, {"priority": 2, "assign_user": bob.pk})
    message = make_message(inbox_account, "Schon wieder kaputt!", category="complaint")
    flaky = FlakyRules(failures=1)
    monkeypatch.setattr(routing, "_apply", flaky)
    route_new([message])
    conversation = message.conversation
    conversation.refresh_from_db()
    assert conversation.priority == 0 and conversation.assignee_id is None
    assert conversation.rule_matches.get().rule_name == ROUTING_FAILED
    return conversation


def _url(conversation, name):
    return reverse(
        name, kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk}
    )


def _api(conversation):
    slug = conversation.workspace.slug
    return f"/api/v1/workspaces/{slug}/inbox/conversations/{conversation.pk}/route-again"


def test_the_page_offers_route_again_only_where_routing_failed(
    alice_client, failed_conversation, inbox_account
):
    page = alice_client.get(_url(failed_conversation, "inbox_conversation"))
    assert _url(failed_conversation, "inbox_route_again") in page.content.decode()
    fine = make_message(inbox_account, "Danke!", category="praise")
    route_new([fine])
    page = alice_client.get(_url(fine.conversation, "inbox_conversation"))
    assert _url(fine.conversation, "inbox_route_again") not in page.content.decode()


def test_the_button_runs_the_rule_that_failed_before_and_replaces_the_failure(
    alice_client, failed_conversation, bob
):
    answer = alice_client.post(_url(failed_conversation, "inbox_route_again"))
    assert answer.status_code == 302
    failed_conversation.refresh_from_db()
    assert failed_conversation.priority == 2
    assert failed_conversation.assignee_id == bob.pk
    match = failed_conversation.rule_matches.get()
    assert match.rule_name == "Beschwerden an Bob" and match.problems == []
    event = AuditEvent.objects.get(action="inbox.route_again")
    assert event.after == {"routed": 1, "failed": 0}
    page = alice_client.get(answer.url)
    text = page.content.decode()
    assert "The rules ran again" in text
    assert _url(failed_conversation, "inbox_route_again") not in text


def test_the_button_says_in_german_when_routing_fails_again(
    alice_client, failed_conversation, monkeypatch
):
    monkeypatch.setattr(routing, "_apply", FlakyRules(failures=1))
    alice_client.cookies["django_language"] = "de"
    answer = alice_client.post(
        _url(failed_conversation, "inbox_route_again"), HTTP_ACCEPT_LANGUAGE="de"
    )
    page = alice_client.get(answer.url, HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert "Die Zuordnung ist erneut fehlgeschlagen" in text
    assert "Erneut zuordnen" in text
    failure = failed_conversation.rule_matches.get()
    assert failure.rule_name == ROUTING_FAILED
    assert failure.problems == [{"problem": ROUTING_FAILED, "error": "RuntimeError"}]
    failed_conversation.refresh_from_db()
    assert failed_conversation.priority == 0


def test_an_editor_routes_again_through_the_api(client, bob, failed_conversation):
    client.force_login(bob)
    answer = client.post(_api(failed_conversation))
    assert answer.status_code == 200
    body = answer.json()
    assert body["routed"] == 1 and body["failed"] == 0
    assert [match["rule"] for match in body["routing"]] == ["Beschwerden an Bob"]
    again = client.post(_api(failed_conversation))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "routing_not_failed"
    assert failed_conversation.rule_matches.count() == 1


def test_a_viewer_cannot_route_again(client, viewer, failed_conversation):
    client.force_login(viewer.user)
    assert client.post(_api(failed_conversation)).status_code == 403
    client.post(_url(failed_conversation, "inbox_route_again"))
    page = client.get(_url(failed_conversation, "inbox_conversation"))
    assert _url(failed_conversation, "inbox_route_again") not in page.content.decode()
    assert failed_conversation.rule_matches.get().rule_name == ROUTING_FAILED
    assert not AuditEvent.objects.filter(action="inbox.route_again").exists()


def test_another_workspace_cannot_route_again(client, carol, workspace_b, failed_conversation):
    client.force_login(carol)
    assert client.post(_api(failed_conversation)).status_code == 404
    page_url = reverse(
        "inbox_route_again",
        kwargs={"workspace": workspace_b.slug, "conversation_id": failed_conversation.pk},
    )
    assert client.post(page_url).status_code == 404
    assert RuleMatch.objects.get().rule_name == ROUTING_FAILED
