"""Meta's 7-day window for a private answer to a comment, said in words on the conversation.

A Facebook Page may answer a comment once privately in Messenger, an Instagram professional
account once in Instagram Direct, within 7 days of the comment (Messenger Platform "Private
Replies", Instagram Messaging "Private Replies"; the window is payloads.PRIVATE_REPLY_WINDOW).
After that only the public answer under the comment is left, which the team should know
before writing a private-sounding answer.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext

from townsquare.lib.local_time import in_zone
from townsquare.networks.meta.payloads import PRIVATE_REPLY_WINDOW

# The networks whose comments may be answered privately (Messenger, Instagram Direct).
PRIVATE_REPLY_NETWORKS = frozenset({"facebook_page", "instagram"})
# Kinds of inbound message that are comments (a reply is a comment under a comment).
COMMENT_KINDS = frozenset({"comment", "reply"})


def private_reply_until(network: str, kind: str, comment_time: datetime) -> datetime | None:
    """The last moment a private answer to this message is possible; None when the message
    cannot be answered privately at all (another network, not a comment)."""
    if network not in PRIVATE_REPLY_NETWORKS or kind not in COMMENT_KINDS:
        return None
    return comment_time + PRIVATE_REPLY_WINDOW


def private_reply_line(
    network: str,
    kind: str,
    comment_time: datetime,
    now: datetime,
    zone: object,
    *,
    already_sent: bool = False,
) -> str:
    """The line shown under a comment: until when a private answer is possible, in the
    workspace's zone (`zone`: a workspace or a zone name), that only a public answer is
    left, or that the one private answer was sent (`already_sent`). "" for messages the
    window does not concern."""
    until = private_reply_until(network, kind, comment_time)
    if until is None:
        return ""
    if now > until:
        return gettext(
            "The 7 days for a private answer are over; only a public answer is possible."
        )
    if already_sent:
        return gettext("This comment was answered privately; Meta allows that once.")
    when = in_zone(until, zone)
    if network == "instagram":
        return gettext("A private answer in Instagram Direct is possible until %(time)s.") % {
            "time": when
        }
    return gettext("A private answer in Messenger is possible until %(time)s.") % {"time": when}


def private_reply_refusal(
    network: str, kind: str, comment_time: datetime, now: datetime, *, already_sent: bool
) -> str:
    """Why a private answer to this message cannot be sent ("" when it can): checked
    before anything is stored or sent, so no request goes to Meta for a refused one."""
    until = private_reply_until(network, kind, comment_time)
    if until is None:
        return gettext(
            "Only a comment on Facebook or Instagram can be answered privately; answer "
            "publicly instead."
        )
    if now > until:
        return gettext(
            "The 7 days for a private answer are over; only a public answer is possible."
        )
    if already_sent:
        return gettext(
            "This comment was already answered privately, and Meta allows one private answer "
            "per comment; answer publicly instead."
        )
    return ""
