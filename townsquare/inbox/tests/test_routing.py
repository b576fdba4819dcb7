"""Routing: rules applied in order to each new inbound message."""

from __future__ import annotations

from townsquare.inbox.models import Conversation, ConversationStatus, Priority, RuleMatch
from townsquare.inbox.routing import route_new
from townsquare.inbox.tests import test_routing_support as support
from townsquare.inbox.tests.test_routing_support import make_message, make_rule, make_team, member

inbox_account = support.inbox_account


def _conv(message) -> Conversation:
    return Conversation.objects.get(pk=message.conversation_id)


def test_a_complaint_rule_assigns_labels_and_raises_priority(workspace_a, bob, inbox_account):
    make_rule(
        workspace_a,
        "Complaints to Bob",
        {"category": ["complaint"]},
        {"assign_user": bob.pk, "labels": ["Beschwerde"], "priority": Priority.HIGH},
    )
    complaint = make_message(inbox_account, "Die Lieferung kam kaputt an.", category="complaint")
    praise = make_message(inbox_account, "Toller Kaffee!", category="praise")
    route_new([complaint, praise])
    routed = _conv(complaint)
    assert routed.assignee == bob
    assert routed.labels == ["Beschwerde"]
    assert routed.priority == Priority.HIGH
    assert routed.rule is not None and routed.rule.name == "Complaints to Bob"
    untouched = _conv(praise)
    assert untouched.assignee is None and untouched.labels == [] and untouched.rule is None
    match = RuleMatch.objects.get(message=complaint)
    assert match.checks == [{"key": "category", "wanted": ["complaint"], "seen": "complaint"}]


def test_keywords_match_whole_words_in_any_case(workspace_a, inbox_account):
    make_rule(workspace_a, "Refunds", {"keywords": ["Erstattung", "refund"]}, {"labels": ["money"]})
    hit = make_message(inbox_account, "Wann kommt meine ERSTATTUNG?")
    miss = make_message(inbox_account, "refunding is not a word here")
    route_new([hit, miss])
    assert _conv(hit).labels == ["money"]
    assert _conv(miss).labels == []
    assert RuleMatch.objects.get(message=hit).checks[0]["seen"] == "ERSTATTUNG"


def test_stop_after_ends_the_pass_and_the_first_assignment_wins(
    workspace_a, alice, bob, inbox_account
):
    make_rule(workspace_a, "First", {}, {"assign_user": bob.pk, "labels": ["a"]})
    make_rule(
        workspace_a, "Second", {}, {"assign_user": alice.pk, "labels": ["b"]}, stop_after=True
    )
    make_rule(workspace_a, "Third", {}, {"labels": ["c"]})
    message = make_message(inbox_account, "Hallo")
    route_new([message])
    routed = _conv(message)
    assert routed.assignee == bob
    assert routed.labels == ["a", "b"]
    assert [m.rule_name for m in RuleMatch.objects.filter(message=message)] == ["First", "Second"]


def test_round_robin_hands_conversations_to_team_members_in_turn(workspace_a, inbox_account):
    people = [member(workspace_a, f"agent{i}@example.com") for i in range(3)]
    team = make_team(workspace_a, "Support", people)
    make_rule(
        workspace_a, "All to support", {}, {"assign_team": team.pk, "assign_mode": "round_robin"}
    )
    messages = [make_message(inbox_account, f"Frage {i}") for i in range(4)]
    route_new(messages)
    assignees = [_conv(m).assignee_id for m in messages]
    ids = sorted(p.pk for p in people)
    assert assignees == [ids[0], ids[1], ids[2], ids[0]]
    assert all(_conv(m).team_id == team.pk for m in messages)


def test_open_load_picks_the_member_with_fewest_open_conversations(workspace_a, inbox_account):
    busy, free = member(workspace_a, "busy@example.com"), member(workspace_a, "free@example.com")
    for i in range(2):
        old = make_message(inbox_account, f"alt {i}")
        Conversation.objects.filter(pk=old.conversation_id).update(assignee=busy)
    closed = make_message(inbox_account, "erledigt")
    Conversation.objects.filter(pk=closed.conversation_id).update(
        assignee=free, status=ConversationStatus.CLOSED
    )
    team = make_team(workspace_a, "Support", [busy, free])
    make_rule(workspace_a, "Load", {}, {"assign_team": team.pk, "assign_mode": "open_load"})
    fresh = make_message(inbox_account, "neu")
    route_new([fresh])
    assert _conv(fresh).assignee == free


def test_a_member_who_left_the_workspace_gets_nothing(workspace_a, inbox_account, carol):
    team = make_team(workspace_a, "Support", [carol])
    make_rule(workspace_a, "To team", {}, {"assign_team": team.pk})
    message = make_message(inbox_account, "Hallo")
    route_new([message])
    routed = _conv(message)
    assert routed.team == team and routed.assignee is None
    assert RuleMatch.objects.get(message=message).problems[0]["problem"] == "team_empty"


def test_hiding_where_the_network_cannot_is_recorded_on_the_conversation(
    workspace_a, inbox_account
):
    make_rule(workspace_a, "Spam", {"keywords": ["gratis"]}, {"hide": True})
    message = make_message(inbox_account, "Gratis Follower hier")
    route_new([message])
    message.refresh_from_db()
    assert message.hidden_at is not None
    match = RuleMatch.objects.get(message=message)
    assert {"action": "hide", "problem": "not_supported", "network": "mastodon"} in match.problems


def test_our_own_answers_are_not_routed(workspace_a, bob, inbox_account):
    make_rule(workspace_a, "All", {}, {"assign_user": bob.pk})
    answer = make_message(inbox_account, "Danke!", kind="outbound")
    route_new([answer])
    assert _conv(answer).assignee is None
    assert not RuleMatch.objects.exists()


def test_inactive_rules_and_other_workspaces_rules_do_not_apply(
    workspace_a, workspace_b, bob, inbox_account
):
    make_rule(workspace_a, "Off", {}, {"labels": ["off"]}, active=False)
    make_rule(workspace_b, "Theirs", {}, {"labels": ["theirs"]})
    message = make_message(inbox_account, "Hallo")
    route_new([message])
    assert _conv(message).labels == []


def test_the_conversation_explains_in_words_why_it_was_routed(workspace_a, inbox_account):
    from townsquare.inbox.rule_words import explained_matches

    make_rule(workspace_a, "Spam", {"keywords": ["gratis"], "has_link": True}, {"hide": True})
    message = make_message(inbox_account, "Gratis Follower: https://spam.example/x")
    route_new([message])
    [why] = explained_matches(_conv(message))
    assert why["rule"] == "Spam"
    assert why["because"] == ["Contains one of the words: gratis", "Contains a link"]
    assert why["problems"] == ["Hiding is not possible on Mastodon; hidden in Townsquare only."]


def test_where_the_connector_can_hide_the_network_is_asked_after_commit(
    workspace_a, inbox_account, monkeypatch, django_capture_on_commit_callbacks
):
    from townsquare.inbox import routing

    monkeypatch.setattr(routing, "network_can", lambda network, action: True)
    asked: list[tuple[int, str]] = []

    class Task:
        @staticmethod
        def enqueue(message_id: int, action: str) -> None:
            asked.append((message_id, action))

    monkeypatch.setattr(routing, "moderate_on_network", Task)
    make_rule(workspace_a, "Spam", {"keywords": ["gratis"]}, {"hide": True})
    message = make_message(inbox_account, "Gratis Follower")
    with django_capture_on_commit_callbacks(execute=True):
        route_new([message])
    assert asked == [(message.pk, "hide")]
    match = RuleMatch.objects.get(message=message)
    assert match.problems == [] and match.done == [{"action": "hide", "network": "mastodon"}]


def test_the_scheduler_knows_the_routing_jobs():
    import townsquare.inbox.jobs  # noqa: F401
    from townsquare.runtime.scheduler import registered_jobs

    names = {job.__name__ for job in registered_jobs()}
    assert {"notify_sla_breaches", "check_inbox_storms", "retry_inbox_forwards"} <= names
