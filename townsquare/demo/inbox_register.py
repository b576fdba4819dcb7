"""Demo feedback register: the demo inbox's questions, complaints and suggestions are in
topics already (ingest records them); here one topic gets the company's answer, with a reply
drafted to each user waiting to be sent, and one topic is passed on and closed."""

from __future__ import annotations

from collections.abc import Sequence

from townsquare.demo.inbox import network_id
from townsquare.inbox.models import FeedbackItem, Message, MessageKind, TopicStatus
from townsquare.inbox.register import record_new
from townsquare.inbox.register_actions import do_record_answer, do_set_status
from townsquare.workspaces.models import Membership, Workspace

# The demo message whose topic the company answers, and the one whose topic is closed.
ANSWERED = {
    "de": (
        "beschwerde-lieferung",
        {
            "de": "Unser Versandpartner hatte in den letzten zwei Wochen Verzögerungen. Alle "
            "offenen Bestellungen sind jetzt unterwegs; wer länger als zehn Tage gewartet hat, "
            "bekommt die Versandkosten erstattet.",
            "en": "Our shipping partner had delays over the last two weeks. All open orders "
            "are on their way now; if you waited more than ten days, we refund the shipping.",
        },
    ),
    "en": (
        "complaint-zip",
        {
            "en": "We found a faulty batch of zips in the Summit jacket. Every Summit jacket "
            "bought this autumn is repaired or replaced free of charge, warranty request or "
            "not.",
            "de": "Eine Charge Reißverschlüsse der Summit-Jacke war fehlerhaft. Jede in diesem "
            "Herbst gekaufte Summit-Jacke wird kostenlos repariert oder ersetzt.",
        },
    ),
}
CLOSED = {"de": "vorschlag-abo", "en": "suggestion-repair"}


def _item(workspace: Workspace, key: str) -> FeedbackItem | None:
    return (
        FeedbackItem.objects.filter(
            workspace=workspace, message__network_message_id=network_id(workspace, key)
        )
        .select_related("topic")
        .first()
    )


def seed_inbox_register(workspaces: Sequence[Workspace]) -> None:
    for workspace in workspaces:
        owner = (
            Membership.objects.filter(workspace=workspace, role="owner")
            .select_related("user", "workspace")
            .order_by("pk")
            .first()
        )
        if owner is None:
            continue
        # Messages stored before the register existed are recorded now (once each).
        record_new(
            list(Message.objects.filter(workspace=workspace).exclude(kind=MessageKind.OUTBOUND))
        )
        language = "de" if workspace.language == "de" else "en"
        key, answers = ANSWERED[language]
        answered = _item(workspace, key)
        if answered and answered.topic and not answered.topic.answered_at:
            do_record_answer(owner, answered.topic, answers)
        closed = _item(workspace, CLOSED[language])
        topic = closed.topic if closed else None
        if topic and topic.status == TopicStatus.NEW and topic != getattr(answered, "topic", None):
            do_set_status(owner, topic, TopicStatus.FORWARDED)
            do_set_status(owner, topic, TopicStatus.CLOSED)
