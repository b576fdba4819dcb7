"""Demo saved replies: the answers a community manager gives every day, in the workspace's
language and in the other one, with the variables {name}, {handle} and {account}.
Idempotent: a second run finds each by title and language and changes nothing."""

from __future__ import annotations

from collections.abc import Sequence

from townsquare.inbox.models import SavedReply
from townsquare.inbox.saved_reply_actions import do_save_saved_reply
from townsquare.workspaces.models import Membership, Workspace

GERMAN = (
    (
        "Danke fürs Lob",
        "Hallo {name}, vielen Dank für die lieben Worte! Das geben wir gleich an das Team "
        "weiter. Viele Grüße, {account}",
    ),
    (
        "Lieferung verspätet",
        "Hallo {name}, das tut uns leid! Schicken Sie uns bitte Ihre Bestellnummer als "
        "Direktnachricht, dann sehen wir sofort nach, wo Ihr Paket steckt.",
    ),
    (
        "Vorschlag weitergegeben",
        "Danke für den Vorschlag, {name}! Wir haben ihn an unser Produktteam weitergegeben "
        "und melden uns, sobald es Neuigkeiten gibt.",
    ),
    (
        "Bitte privat schreiben",
        "Hallo {name}, damit Ihre Daten nicht öffentlich sichtbar sind: Schreiben Sie uns "
        "bitte eine private Nachricht an {account}.",
    ),
)
ENGLISH = (
    (
        "Thanks for the praise",
        "Hi {name}, thank you so much for the kind words! We'll pass them on to the team. "
        "Cheers, {account}",
    ),
    (
        "Delivery delayed",
        "Hi {name}, we're sorry about that! Please send us your order number in a direct "
        "message and we'll look into where your parcel is right away.",
    ),
    (
        "Suggestion passed on",
        "Thanks for the suggestion, {name}! We've passed it on to our product team and will "
        "let you know when there's news.",
    ),
    (
        "Please write privately",
        "Hi {name}, so that your details stay private, please send a direct message to {account}.",
    ),
)


def seed_inbox_replies(workspaces: Sequence[Workspace]) -> None:
    for workspace in workspaces:
        owner = (
            Membership.objects.filter(workspace=workspace, role="owner")
            .select_related("user", "workspace")
            .order_by("pk")
            .first()
        )
        if owner is None:
            continue
        sets = (("de", GERMAN), ("en", ENGLISH))
        if workspace.language != "de":
            sets = (("en", ENGLISH), ("de", GERMAN))
        for language, replies in sets:
            for title, text in replies:
                if SavedReply.objects.filter(
                    workspace=workspace, title=title, language=language
                ).exists():
                    continue
                do_save_saved_reply(owner, title=title, language=language, text=text)
