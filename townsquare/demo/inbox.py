"""Demo inbox: what users said to the demo brands' accounts, in German for the German
workspace and in English for the English one.

Questions, complaints (one person complains twice, one message reports a data leak),
a suggestion, praise, spam and a private message, from several people across the
workspace's accounts; some answered by the team, some open, a couple past their response
time. The messages enter through the same storing function as a poll (triage by the real
engine, routing by the workspace's rules), never with labels set by hand. Idempotent: each
message has a fixed network id, so a refreshed demo finds it stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from townsquare.inbox.ingest_store import store_messages
from townsquare.inbox.models import Conversation, Message, MessageKind
from townsquare.inbox.sla import mark_responded
from townsquare.networks.base import InboxMessage
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Workspace

# How long the demo's first response target is when no rule of the workspace gave one.
DEMO_FIRST_RESPONSE = timedelta(hours=4)


@dataclass(frozen=True)
class Said:
    key: str  # unique within the workspace; the network id is derived from it
    network: str
    author: str
    name: str
    text: str
    hours_ago: float
    kind: str = "mention"
    answers: str = ""  # key of the message it answers (same thread)
    reply: str = ""  # our answer, sent half an hour later
    overdue: bool = False  # its response time has passed


GERMAN = (
    Said(
        "frage-bohne",
        "bluesky",
        "jana-krueger.bsky.social",
        "Jana Krüger",
        "Gibt es den Äthiopien Yirgacheffe auch als ganze Bohne im Kilobeutel? Und wie lange "
        "hält er ungeöffnet?",
        30,
        reply="Hallo Jana, ja, als ganze Bohne gibt es ihn auch im Kilobeutel. Ungeöffnet hält "
        "er gut zwölf Monate, am besten schmeckt er in den ersten acht Wochen nach der Röstung.",
    ),
    Said(
        "beschwerde-lieferung",
        "mastodon",
        "@tobias@chaos.social",
        "Tobias Hahn",
        "Meine Bestellung 4711 ist seit zehn Tagen nicht angekommen und auf meine Mail hat "
        "niemand geantwortet. Ziemlich enttäuschend.",
        52,
    ),
    Said(
        "beschwerde-lieferung-2",
        "mastodon",
        "@tobias@chaos.social",
        "Tobias Hahn",
        "Ich frage jetzt zum zweiten Mal: Wo bleibt meine Bestellung 4711? Das ist wirklich "
        "ärgerlich, ich will mein Geld zurück.",
        6,
        answers="beschwerde-lieferung",
        overdue=True,
    ),
    Said(
        "datenleck",
        "bluesky",
        "markus-weber.bsky.social",
        "Markus Weber",
        "Achtung: In eurem Onlineshop sieht man in der Bestellbestätigung Adressen und "
        "Telefonnummern anderer Kunden! Das ist ein Datenleck, bitte sofort abschalten.",
        0.7,
    ),
    Said(
        "vorschlag-abo",
        "matrix_room",
        "@lena:matrix.org",
        "Lena",
        "Vorschlag: Bietet doch ein Kaffee-Abo mit wechselnden Sorten an. Ich würde sofort "
        "eins abschließen!",
        26,
        reply="Danke Lena, gute Idee! Wir haben sie an unser Team weitergegeben und melden uns, "
        "sobald es Neuigkeiten zum Abo gibt.",
    ),
    Said(
        "lob-weihnachten",
        "mastodon",
        "@sabine@norden.social",
        "Sabine",
        "Eure Weihnachtsröstung ist der beste Kaffee, den ich dieses Jahr getrunken habe. "
        "Danke an das ganze Team! ☕",
        9,
        reply="Vielen Dank, Sabine, das freut uns riesig! Frohe Feiertage aus der Rösterei.",
    ),
    Said(
        "spam-follower",
        "bluesky",
        "billig-follower.bsky.social",
        "Follower Profi",
        "🔥 Mehr Follower in 24 Stunden! 10.000 echte Follower für nur 9,99 € – jetzt klicken "
        "und kaufen: https://billig-follower.example 🔥🔥",
        3,
    ),
    Said(
        "privat-saeure",
        "mastodon",
        "@anna@mastodon.social",
        "Anna",
        "Hallo, ich schreibe euch lieber privat: Ich vertrage Kaffee schlecht. Welche eurer "
        "Sorten sind besonders säurearm?",
        8,
        kind="direct",
        overdue=True,
    ),
    Said(
        "frage-heiligabend",
        "bluesky",
        "jana-krueger.bsky.social",
        "Jana Krüger",
        "Habt ihr am 24. Dezember geöffnet? Ich würde gern noch Geschenke holen.",
        0.5,
    ),
)

ENGLISH = (
    Said(
        "question-ridge",
        "bluesky",
        "hikingheidi.bsky.social",
        "Heidi Moss",
        "Does the Ridge 40 backpack fit a 3 litre hydration bladder? Planning a long day hike "
        "next weekend.",
        28,
        reply="Hi Heidi, yes: the Ridge 40 has a sleeve and a port for bladders up to 3 litres. "
        "Enjoy the hike!",
    ),
    Said(
        "complaint-zip",
        "mastodon",
        "@dan@fosstodon.org",
        "Dan Reilly",
        "The zip on my Summit jacket broke after two weeks. Really disappointed for a jacket at "
        "this price.",
        75,
    ),
    Said(
        "complaint-zip-2",
        "mastodon",
        "@dan@fosstodon.org",
        "Dan Reilly",
        "Still no reply to my warranty request for the Summit jacket. This is the second time "
        "I'm asking, and it's not acceptable.",
        7,
        answers="complaint-zip",
        overdue=True,
    ),
    Said(
        "data-leak",
        "bluesky",
        "sam-okafor.bsky.social",
        "Sam Okafor",
        "Your password reset email took me into someone else's account: I could see another "
        "customer's order history and home address. That's a data leak, please fix it now!",
        1,
    ),
    Said(
        "suggestion-repair",
        "bluesky",
        "trailtom.bsky.social",
        "Tom Fraser",
        "Suggestion: it would be great if you offered a repair service for older boots instead "
        "of only selling new ones.",
        20,
        reply="Thanks Tom, we love that idea and have passed it on to our product team.",
    ),
    Said(
        "praise-tent",
        "mastodon",
        "@morag@mastodon.scot",
        "Morag",
        "Took the Northwind two-person tent up Ben Nevis last weekend and stayed bone dry in a "
        "storm. Brilliant kit, thank you!",
        10,
        reply="That's great to hear, Morag! Thanks for taking us along.",
    ),
    Said(
        "spam-money",
        "bluesky",
        "easy-money-now.bsky.social",
        "Easy Money",
        "Earn $5000 a week from home!!! No experience needed, click here http://get-rich.example "
        "and DM me now 💰💰💰",
        4,
    ),
    Said(
        "private-address",
        "mastodon",
        "@chris@mastodon.online",
        "Chris",
        "Hi, writing privately: can I still change the delivery address of my order 88213 "
        "before it ships?",
        2,
        kind="direct",
    ),
)

BY_LANGUAGE = {"de": GERMAN, "en": ENGLISH}


def network_id(workspace: Workspace, key: str) -> str:
    return f"demo:{workspace.pk}:{key}"


def seed_inbox(workspaces: list[Workspace], now: datetime | None = None) -> None:
    now = now or timezone.now()
    for workspace in workspaces:
        messages = BY_LANGUAGE.get(workspace.language, ())
        accounts = {
            a.network: a
            for a in SocialAccount.objects.filter(workspace=workspace).order_by("pk")
            if a.network in {m.network for m in messages}
        }
        # One message per store, oldest first, as separate polls would bring them: a second
        # complaint is triaged knowing the first.
        for said in sorted(messages, key=lambda m: -m.hours_ago):
            account = accounts.get(said.network)
            if account is not None:
                _seed_message(workspace, account, said, now)


def _seed_message(workspace: Workspace, account: SocialAccount, said: Said, now: datetime) -> None:
    message_id = network_id(workspace, said.key)
    thread = network_id(workspace, said.answers) if said.answers else ""
    created = now - timedelta(hours=said.hours_ago)
    incoming = InboxMessage(
        network_message_id=message_id,
        conversation_id=thread or message_id,
        kind=said.kind,  # type: ignore[arg-type]
        author_handle=said.author,
        author_name=said.name,
        text=said.text,
        created_at=created,
        in_reply_to_id=thread,
    )
    store_messages(account, [incoming])
    stored = Message.objects.select_related("conversation").get(
        account=account, network_message_id=message_id
    )
    conversation = stored.conversation
    if said.reply:
        _answer(account, stored, said.reply, created + timedelta(minutes=30))
    elif said.overdue and conversation.first_response_due_at is None:
        # No rule of the workspace set a response time: the demo shows one that has passed.
        Conversation.objects.filter(pk=conversation.pk).update(
            first_response_due_at=(conversation.waiting_since or created) + DEMO_FIRST_RESPONSE
        )


def _answer(account: SocialAccount, message: Message, text: str, at: datetime) -> None:
    """Our answer, as the reply code records one that was sent."""
    conversation = message.conversation
    with transaction.atomic():
        _sent, created = Message.objects.get_or_create(
            account=account,
            network_message_id=f"{message.network_message_id}:answer",
            defaults={
                "workspace_id": account.workspace_id,
                "conversation": conversation,
                "in_reply_to_id": message.network_message_id,
                "kind": MessageKind.OUTBOUND,
                "author_handle": account.handle,
                "author_name": account.display_name,
                "text": text,
                "created_at": at,
            },
        )
        if created:
            Conversation.objects.filter(pk=conversation.pk).update(
                waiting_since=None, last_message_at=max(conversation.last_message_at, at)
            )
            mark_responded(conversation, at)
