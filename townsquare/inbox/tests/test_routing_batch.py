"""Routing a page of messages at once: the rows are read and written once per batch, and a
message whose rules fail leaves the others routed and its own conversation as it was."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from townsquare.inbox import routing
from townsquare.inbox.models import Conversation, RuleMatch, Team
from townsquare.inbox.routing import ROUTING_FAILED, route_new
from townsquare.inbox.tests import test_routing_support as support
from townsquare.inbox.tests.test_routing_support import make_message, make_rule, make_team, member

inbox_account = support.inbox_account


def _conv(message) -> Conversation:
    return Conversation.objects.get(pk=message.conversation_id)


def _routing_queries(workspace, account, count: int) -> int:
    messages = [
        make_message(account, f"Paket {i} fehlt", category="complaint") for i in range(count)
    ]
    with CaptureQueriesContext(connection) as captured:
        route_new(messages)
    return len(captured)


def test_a_larger_page_costs_no_more_queries_than_a_small_one(workspace_a, inbox_account):
    people = [member(workspace_a, f"agent{i}@example.com") for i in range(2)]
    team = make_team(workspace_a, "Support", people)
    make_rule(
        workspace_a,
        "Complaints",
        {"category": ["complaint"]},
        {"assign_team": team.pk, "assign_mode": "open_load", "labels": ["Beschwerde"]},
        first_response_minutes=60,
    )
    make_rule(workspace_a, "Urgent", {"min_urgency": 50}, {"priority": 2})
    _routing_queries(workspace_a, inbox_account, 1)  # the workspace's inbox settings made
    small = _routing_queries(workspace_a, inbox_account, 2)
    large = _routing_queries(workspace_a, inbox_account, 40)
    assert large == small
    assert RuleMatch.objects.filter(rule__name="Complaints").count() == 43


def test_open_load_counts_what_the_same_page_assigned(workspace_a, inbox_account):
    first, second = member(workspace_a, "a@example.com"), member(workspace_a, "b@example.com")
    team = make_team(workspace_a, "Support", [first, second])
    make_rule(workspace_a, "Load", {}, {"assign_team": team.pk, "assign_mode": "open_load"})
    messages = [make_message(inbox_account, f"Frage {i}") for i in range(4)]
    route_new(messages)
    assignees = [_conv(m).assignee_id for m in messages]
    assert sorted(assignees) == sorted([first.pk, second.pk] * 2)
    assert Team.objects.get(pk=team.pk).last_assigned_id == assignees[-1]


def test_a_failing_message_leaves_its_conversation_as_it_was_and_the_others_routed(
    workspace_a, inbox_account, monkeypatch
):
    people = [member(workspace_a, f"agent{i}@example.com") for i in range(2)]
    team = make_team(workspace_a, "Support", people)
    make_rule(workspace_a, "To support", {}, {"assign_team": team.pk, "labels": ["neu"]})
    make_rule(workspace_a, "Urgent", {"keywords": ["sofort"]}, {"priority": 2})
    real = routing._apply

    def fails_on_urgent(routing_, rule, message, outcome):
        if rule.name == "Urgent":
            raise RuntimeError("database went away")
        return real(routing_, rule, message, outcome)

    monkeypatch.setattr(routing, "_apply", fails_on_urgent)
    before = make_message(inbox_account, "Eine Frage")
    broken = make_message(inbox_account, "Bitte sofort antworten")
    after = make_message(inbox_account, "Noch eine Frage")
    route_new([before, broken, after])
    untouched = _conv(broken)
    assert untouched.assignee_id is None and untouched.team_id is None
    assert untouched.labels == [] and untouched.priority == 0 and untouched.rule_id is None
    assert [m.rule_name for m in RuleMatch.objects.filter(message=broken)] == [ROUTING_FAILED]
    ids = sorted(p.pk for p in people)
    # The failed message's turn was handed back: the next message got it.
    assert [_conv(before).assignee_id, _conv(after).assignee_id] == ids
    assert _conv(after).labels == ["neu"]
