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

from townsquare.lib.crypto import SecretsUnavailable
from townsquare.lib.local_time import in_zone
from townsquare.networks.credentials import read_credentials
from townsquare.networks.meta.payloads import PRIVATE_REPLY_WINDOW, private_replies_permitted
from townsquare.networks.models import SocialAccount

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
    permitted: bool = True,
) -> str:
    """The line shown under a comment: until when a private answer is possible, in the
    workspace's zone (`zone`: a workspace or a zone name), that only a public answer is
    left, or that the one private answer was sent (`already_sent`). "" for messages the
    window does not concern. Not `permitted` (the account lacks Meta's messaging
    permission, see private_replies_permitted): the line says the answer must be sent from
    Facebook's own inbox, since the reply box offers none."""
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
        line = gettext("A private answer in Instagram Direct is possible until %(time)s.") % {
            "time": when
        }
    else:
        line = gettext("A private answer in Messenger is possible until %(time)s.") % {"time": when}
    if permitted:
        return line
    return f"{line} {not_permitted_text()}"


def not_permitted_text() -> str:
    return gettext(
        "Private answers are sent from Facebook's own inbox: this Townsquare's Meta app is "
        "not allowed to send them."
    )


def account_may_answer_privately(account: SocialAccount) -> bool:
    """The account was connected with Meta's messaging permission (META_PRIVATE_REPLIES on
    and granted); without it every private answer would fail at Meta."""
    if account.network not in PRIVATE_REPLY_NETWORKS:
        return False
    try:
        extra = read_credentials(account).get("extra") or {}
    except (SecretsUnavailable, ValueError):
        # A login that cannot be read sends nothing: the conversation still opens, with
        # no private answer offered (the accounts page asks for the account to reconnect).
        return False
    return isinstance(extra, dict) and private_replies_permitted(extra)


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
