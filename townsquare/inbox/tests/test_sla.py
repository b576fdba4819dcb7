"""SLA: due times set by routing in business minutes, breaches told once, responses stop
the clock, and the storm alarm."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from townsquare.inbox import sla
from townsquare.inbox.models import (
    Conversation,
    ConversationStatus,
    InboxSettings,
    Message,
    SlaBreach,
    StormAlarm,
)
from townsquare.inbox.routing import route_new
from townsquare.inbox.tests import test_routing_support as support
from townsquare.inbox.tests.test_routing_support import make_message, make_rule, make_team, member
from townsquare.notifications.models import Notification

inbox_account = support.inbox_account
BERLIN = ZoneInfo("Europe/Berlin")


def test_routing_sets_due_times_counted_in_business_hours(workspace_a, inbox_account):
    InboxSettings.objects.create(
        workspace=workspace_a,
        business_hours={d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    )
    make_rule(
        workspace_a,
        "Complaints",
        {"category": ["complaint"]},
        {},
        first_response_minutes=120,
        resolution_minutes=24 * 60,
    )
    friday = datetime(2026, 12, 11, 16, 0, tzinfo=BERLIN)
    message = make_message(inbox_account, "Kaputt!", category="complaint", at=friday)
    route_new([message])
    conversation = Conversation.objects.get(pk=message.conversation_id)
    assert conversation.first_response_due_at == datetime(2026, 12, 14, 10, 0, tzinfo=BERLIN)
    # 24 business hours: 1 on Friday, then Monday, Tuesday, 7 on Wednesday.
    assert conversation.resolution_due_at == datetime(2026, 12, 16, 16, 0, tzinfo=BERLIN)


def _overdue_conversation(inbox_account, **fields):
    message = make_message(inbox_account, "Hallo?")
    Conversation.objects.filter(pk=message.conversation_id).update(
        first_response_due_at=timezone.now() - timedelta(minutes=5), **fields
    )
    return Conversation.objects.get(pk=message.conversation_id)


def test_a_breach_tells_the_assignee_once(workspace_a, bob, inbox_account):
    conversation = _overdue_conversation(inbox_account, assignee=bob)
    assert sla.is_overdue(conversation)
    assert sla.notify_breaches() == 1
    assert sla.notify_breaches() == 0
    told = Notification.objects.filter(kind="inbox_sla_first_response")
    assert [n.recipient for n in told] == [bob]
    assert "Lena" in told.get().title
    assert SlaBreach.objects.filter(conversation=conversation).count() == 1


def test_without_assignee_the_team_is_told_else_the_managers(workspace_a, alice, inbox_account):
    agent = member(workspace_a, "agent@example.com")
    team = make_team(workspace_a, "Support", [agent])
    _overdue_conversation(inbox_account, team=team)
    _overdue_conversation(inbox_account)
    assert sla.notify_breaches() == 2
    recipients = sorted(
        n.recipient.email for n in Notification.objects.filter(kind="inbox_sla_first_response")
    )
    assert recipients == ["agent@example.com", "alice@example.com"]


def test_answered_or_closed_conversations_are_not_breaches(workspace_a, inbox_account):
    answered = _overdue_conversation(inbox_account)
    sla.mark_responded(answered, timezone.now())
    _overdue_conversation(inbox_account, status=ConversationStatus.CLOSED)
    assert not sla.is_overdue(Conversation.objects.get(pk=answered.pk))
    assert sla.notify_breaches() == 0


def test_mark_responded_keeps_the_first_answer(workspace_a, inbox_account):
    conversation = _overdue_conversation(inbox_account)
    first = timezone.now() - timedelta(minutes=3)
    sla.mark_responded(conversation, first)
    sla.mark_responded(conversation, timezone.now())
    assert Conversation.objects.get(pk=conversation.pk).first_responded_at == first


def test_a_missed_resolution_is_told_too(workspace_a, bob, inbox_account):
    message = make_message(inbox_account, "Noch offen")
    Conversation.objects.filter(pk=message.conversation_id).update(
        assignee=bob, resolution_due_at=timezone.now() - timedelta(hours=1)
    )
    assert sla.notify_breaches() == 1
    assert Notification.objects.filter(kind="inbox_sla_resolution", recipient=bob).exists()


def _burst(inbox_account, count, at, sentiment="negative"):
    for i in range(count):
        make_message(inbox_account, f"Schlecht {i}", sentiment=sentiment, at=at)


def test_a_storm_raises_one_alarm_to_managers_and_ends_when_calm(
    workspace_a, alice, bob, inbox_account
):
    now = timezone.now()
    # Usual: about one troubling message an hour over the last two weeks.
    for hour in range(2, 14 * 24, 1):
        make_message(inbox_account, "meh", sentiment="negative", at=now - timedelta(hours=hour))
    assert sla.check_storm(workspace_a, now) is None
    _burst(inbox_account, 12, now - timedelta(minutes=10))
    state = sla.check_storm(workspace_a, now)
    assert state is not None and state.count >= 12
    assert 0.9 < state.normal_per_hour < 1.1
    assert sla.storm_state(workspace_a) == state
    assert sla.check_storm(workspace_a, now + timedelta(minutes=5)) is not None
    told = Notification.objects.filter(kind="inbox_storm")
    assert [n.recipient for n in told] == [alice]  # managers only, once
    later = now + timedelta(hours=2)
    assert sla.check_storm(workspace_a, later) is None
    assert StormAlarm.objects.get().ended_at == later


def test_a_few_messages_in_a_quiet_inbox_are_no_storm(workspace_a, inbox_account):
    now = timezone.now()
    _burst(inbox_account, sla.MIN_STORM_COUNT - 1, now - timedelta(minutes=5))
    assert sla.check_storm(workspace_a, now) is None


def test_answered_positive_messages_do_not_count(workspace_a, inbox_account):
    now = timezone.now()
    for i in range(15):
        message = make_message(
            inbox_account, f"Super {i}", sentiment="positive", at=now - timedelta(minutes=20)
        )
        Message.objects.create(
            workspace=workspace_a,
            conversation=message.conversation,
            account=inbox_account,
            network_message_id=f"answer-{i}",
            kind="outbound",
            author_handle="@kaffee",
            text="Danke!",
            created_at=now - timedelta(minutes=10),
        )
    assert sla.troubling(workspace_a.pk, now - timedelta(hours=1), now) == 0
    assert sla.check_storms(now) == 0


def test_the_storm_factor_comes_from_the_settings(workspace_a, inbox_account):
    InboxSettings.objects.create(workspace=workspace_a, spike_factor=50)
    now = timezone.now()
    for hour in range(2, 14 * 24, 1):
        make_message(inbox_account, "meh", sentiment="negative", at=now - timedelta(hours=hour))
    _burst(inbox_account, 20, now - timedelta(minutes=5))
    assert sla.check_storm(workspace_a, now) is None


def test_each_target_comes_from_the_first_rule_that_sets_it(workspace_a, inbox_account):
    urgent = make_rule(workspace_a, "Urgent", {"min_urgency": 60}, {}, first_response_minutes=60)
    make_rule(
        workspace_a,
        "Complaints",
        {"category": ["complaint"]},
        {},
        first_response_minutes=120,
        resolution_minutes=24 * 60,
    )
    now = timezone.now()
    message = make_message(inbox_account, "Anwalt!", category="complaint", urgency=80, at=now)
    route_new([message])
    conversation = Conversation.objects.get(pk=message.conversation_id)
    assert conversation.rule == urgent
    assert conversation.first_response_due_at == now + timedelta(minutes=60)
    assert conversation.resolution_due_at == now + timedelta(hours=24)
    later = make_message(
        inbox_account,
        "Und?",
        category="complaint",
        at=now + timedelta(hours=1),
        conversation=conversation,
    )
    route_new([later])
    conversation.refresh_from_db()
    assert conversation.first_response_due_at == now + timedelta(minutes=60)  # clock kept
