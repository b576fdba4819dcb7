"""The inbox round trip, the same on every network: the steps from a user's message to the
user being told the company's answer, through the product's own functions (the real poll,
routing_actions, reply_actions, register_actions). Each network's test adds how a user
writes on it and how the user sees our answers there.

Background tasks (forwarding by e-mail, sending a reply) are run as the test settings run
them: inline, once the action's transaction would have committed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest
from bsky_peer import wait_for
from django.core import mail

from townsquare.inbox.ingest import ingest_account
from townsquare.inbox.models import (
    Conversation,
    Department,
    FeedbackItem,
    FeedbackTopic,
    Forward,
    ForwardStatus,
    Message,
    Reply,
    Rule,
    TopicStatus,
)
from townsquare.inbox.register_actions import do_record_answer, do_send_all_drafts
from townsquare.inbox.reply_actions import do_reply
from townsquare.inbox.routing_actions import RuleInput, do_save_department, do_save_rule
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

# A complaint the shipped triage model recognises by its words (so it has reasons to show).
COMPLAINT_DE = "Meine Kaffeemühle ist nach zwei Tagen kaputt. Das ist wirklich ärgerlich!"
FIRST_ANSWER_DE = "Das tut uns leid! Wir klären das mit dem Hersteller und melden uns."
COMPANY_ANSWER = {
    "de": "Wir tauschen jede Mühle aus dieser Lieferung kostenlos um.",
    "en": "We replace every grinder from this delivery free of charge.",
}
DEPARTMENT_EMAIL = "kundendienst@example.de"
RULE_NAME = "Beschwerden an den Kundendienst"

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

RunTasks = Callable[[], AbstractContextManager[object]]


@pytest.fixture
def run_tasks(settings, django_capture_on_commit_callbacks) -> RunTasks:
    """`with run_tasks():` runs the background tasks enqueued inside, as a worker would
    once the transaction committed."""
    settings.TASKS = IMMEDIATE_TASKS
    return lambda: django_capture_on_commit_callbacks(execute=True)


@dataclass
class Routing:
    department: Department
    rule: Rule


def route_feedback_to_customer_service(membership: Membership, account: SocialAccount) -> Routing:
    """A department reached by e-mail and a rule sending it the users' feedback from the
    account's network, both made as a person makes them in the settings."""
    department = do_save_department(
        membership, None, name="Kundendienst", email=DEPARTMENT_EMAIL, webhook_url=""
    ).department
    rule = do_save_rule(
        membership,
        None,
        RuleInput(
            name=RULE_NAME,
            conditions={
                "category": ["question", "complaint", "suggestion"],
                "network": [account.network],
            },
            actions={"forward_department": department.pk},
        ),
    )
    return Routing(department, rule)


def start_inbox_now(account: SocialAccount) -> None:
    """The first poll: it sets the cursor to the network's present. On peers shared by the
    whole session it also brings earlier tests' messages from the latest page; they are
    dropped here (the cursor stays past them), so this test's inbox holds only its own."""
    outcome = ingest_account(account)
    assert outcome.error == "", outcome.error
    FeedbackItem.objects.filter(workspace=account.workspace).delete()
    FeedbackTopic.objects.filter(workspace=account.workspace).delete()
    Conversation.objects.filter(account=account).delete()  # with their messages


def poll_until_stored(account: SocialAccount, network_message_id: str, run_tasks: RunTasks):
    """Poll the account's inbox (the scheduled job's own function) until the message is in."""

    def stored() -> Message | None:
        with run_tasks():
            outcome = ingest_account(account)
        assert outcome.error == "", outcome.error
        return Message.objects.filter(
            account=account, network_message_id=network_message_id
        ).first()

    return wait_for(stored, what=f"{network_message_id} in the inbox")


def assert_stored_once(account: SocialAccount, message: Message, run_tasks: RunTasks) -> None:
    with run_tasks():
        again = ingest_account(account)
    assert again.error == "" and again.stored == 0
    assert (
        Message.objects.filter(
            account=account, network_message_id=message.network_message_id
        ).count()
        == 1
    )
    assert Message.objects.filter(account=account).exclude(kind="outbound").count() == 1


def assert_triaged_as_complaint(message: Message) -> None:
    assert message.category == "complaint"
    category = message.triage["category"]
    assert category["value"] == "complaint" and category["confidence"] > 0
    assert category["reasons"], "the label comes with the words that mattered"
    assert message.language == "de" and message.sentiment and message.triage_model_version
    assert message.triage["truncated"] is False
    assert message.conversation.category == "complaint"


def assert_forwarded_by_email(message: Message, routing: Routing) -> None:
    forward = Forward.objects.get(conversation=message.conversation)
    assert forward.department == routing.department and forward.rule == routing.rule
    assert forward.channel == "email" and forward.status == ForwardStatus.SENT
    [sent] = [m for m in mail.outbox if m.to == [DEPARTMENT_EMAIL]]
    assert "Kundendienst" in sent.subject
    assert message.text in sent.body, "the department reads the user's words"
    assert RULE_NAME in sent.body and "complaint" in sent.body
    assert f"/inbox/{message.conversation_id}/" in sent.body, "a link back to the conversation"


def reply_from_townsquare(
    membership: Membership, message: Message, text: str, run_tasks: RunTasks
) -> Reply:
    """Answer in the conversation as a person does on its page; the reply is sent."""
    with run_tasks():
        outcome = do_reply(membership, message.conversation, text)
    reply = Reply.objects.select_related("sent_message").get(pk=outcome.reply.pk)
    assert reply.status == "sent", reply.error
    assert reply.in_reply_to == message and reply.sent_message is not None
    return reply


def feedback_item_of(message: Message) -> FeedbackItem:
    item = FeedbackItem.objects.select_related("topic").get(message=message)
    assert item.category == "complaint" and item.language == "de" and item.topic is not None
    # A reply before the company's answer tells the user nothing about it yet.
    assert item.informed_at is None
    return item


def record_the_company_answer(membership: Membership, item: FeedbackItem) -> Reply:
    """The company's answer on the item's topic drafts one reply to the user, in German."""
    topic = item.topic
    assert topic is not None
    outcome = do_record_answer(membership, topic, dict(COMPANY_ANSWER))
    assert outcome.drafted == 1
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ANSWERED and topic.answered_at is not None
    draft = Reply.objects.get(feedback_topic=topic)
    assert draft.status == "draft" and draft.in_reply_to_id == item.message_id
    assert COMPANY_ANSWER["de"] in draft.text
    return draft


def send_the_drafts(
    membership: Membership, item: FeedbackItem, draft: Reply, run_tasks: RunTasks
) -> Reply:
    topic = item.topic
    assert topic is not None
    with run_tasks():
        sent = do_send_all_drafts(membership, topic)
    assert sent.queued == 1 and sent.problems == []
    draft.refresh_from_db()
    assert draft.status == "sent", draft.error
    return draft


def assert_informed(item: FeedbackItem, reply: Reply) -> None:
    item.refresh_from_db()
    assert item.informed_at is not None and item.informed_by_reply_id == reply.pk
    topic = FeedbackTopic.objects.get(pk=item.topic_id)
    assert topic.status == TopicStatus.INFORMED


def go_the_whole_way_round[Mention](
    membership: Membership,
    account: SocialAccount,
    run_tasks: RunTasks,
    *,
    post_mention: Callable[[], Mention],
    id_of: Callable[[Mention], str],
    arrived: Callable[[Mention, Message], None],
    user_sees_reply: Callable[[Mention, Reply, str], None],
) -> Message:
    """The round trip on one network. The user's mention is written by `post_mention` as
    a user of that network writes one (`Mention` is what the network gave back for it),
    polled once, triaged and forwarded by a rule, answered from Townsquare, registered, and
    the company's answer told; after each answer the user sees it there
    (`user_sees_reply`). `arrived` checks what only that network says of the message."""
    start_inbox_now(account)
    routing = route_feedback_to_customer_service(membership, account)
    mention = post_mention()

    message = poll_until_stored(account, id_of(mention), run_tasks)
    assert message.kind == "mention" and COMPLAINT_DE in message.text
    arrived(mention, message)
    assert_stored_once(account, message, run_tasks)
    assert_triaged_as_complaint(message)
    assert_forwarded_by_email(message, routing)

    first = reply_from_townsquare(membership, message, FIRST_ANSWER_DE, run_tasks)
    user_sees_reply(mention, first, FIRST_ANSWER_DE)

    item = feedback_item_of(message)
    draft = record_the_company_answer(membership, item)
    told = send_the_drafts(membership, item, draft, run_tasks)
    user_sees_reply(mention, told, COMPANY_ANSWER["de"])
    assert_informed(item, told)
    # Our own answers never come back as inbox messages.
    assert_stored_once(account, message, run_tasks)
    return message
