"""The inbox list: filters read from a query string (the page and the API take the same
ones), one query for a page of conversations (newest first, by a keyset cursor so the
100,000th conversation is as quick to reach as the first) with the latest message's first
line as a subquery, and related rows joined, never fetched per row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from townsquare.inbox.access import access_conversations
from townsquare.inbox.models import Conversation, ConversationStatus, Message, MessageKind
from townsquare.inbox.views_labels import CATEGORY_LABELS, SENTIMENT_LABELS
from townsquare.lib.bounds import id_from_text
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

PAGE_SIZE = 50
MAX_SEARCH_CHARS = 200
PREVIEW_CHARS = 160


@dataclass(frozen=True)
class InboxFilters:
    category: str = ""
    status: str = ""
    network: str = ""
    account: int | None = None
    # "" (anyone), "mine", "unassigned" or a user id as text.
    assignee: str = ""
    overdue: bool = False
    sentiment: str = ""
    language: str = ""
    search: str = ""
    spam: bool = False  # show spam instead of hiding it

    def as_query(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for links that keep them)."""
        values = {
            "category": self.category,
            "status": self.status,
            "network": self.network,
            "account": str(self.account or ""),
            "assignee": self.assignee,
            "overdue": "1" if self.overdue else "",
            "sentiment": self.sentiment,
            "language": self.language,
            "q": self.search,
            "spam": "1" if self.spam else "",
        }
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_query())


def _word(raw: Any, allowed: Any = None, limit: int = 32) -> str:
    text = str(raw or "").strip()[:limit]
    if "\x00" in text:
        return ""
    if allowed is not None and text not in allowed:
        return ""
    return text


def filters_from(params: Mapping[str, Any]) -> InboxFilters:
    """Filters from a query string; an unknown value is ignored, never an error."""
    assignee = _word(params.get("assignee"))
    if assignee not in ("", "mine", "unassigned") and id_from_text(assignee) is None:
        assignee = ""
    account = id_from_text(_word(params.get("account")))
    language = _word(params.get("language"), limit=8).lower()
    return InboxFilters(
        category=_word(params.get("category"), CATEGORY_LABELS),
        status=_word(params.get("status"), ConversationStatus.values),
        network=_word(params.get("network")),
        account=account,
        assignee=assignee,
        overdue=_word(params.get("overdue")) in ("1", "true", "on"),
        sentiment=_word(params.get("sentiment"), SENTIMENT_LABELS),
        language=language if language.replace("-", "").isalpha() else "",
        search=" ".join(str(params.get("q") or "").split())[:MAX_SEARCH_CHARS].replace("\x00", ""),
        spam=_word(params.get("spam")) in ("1", "true", "on"),
    )


def overdue_q(now: datetime) -> Q:
    """Past its first-response target unanswered, or past its resolution target open."""
    return Q(first_response_due_at__lt=now, first_responded_at__isnull=True) | Q(
        resolution_due_at__lt=now
    ) & ~Q(status=ConversationStatus.CLOSED)


def filtered(membership: Membership, filters: InboxFilters) -> QuerySet[Conversation]:
    rows = access_conversations(membership)
    if not filters.spam:
        rows = rows.filter(is_spam=False)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.status:
        rows = rows.filter(status=filters.status)
    # Conditions on the conversation's own columns, never through a join: SQLite starts a
    # join from the smaller table and then sorts every match (an account's 25,000
    # conversations of 100,000: 100-200 ms), where the list's indexes stream the newest first.
    if filters.network:
        accounts = SocialAccount.objects.filter(
            workspace_id=membership.workspace_id, network=filters.network
        )
        rows = rows.filter(account__in=accounts.values("pk"))
    if filters.account:
        rows = rows.filter(account_id=filters.account)
    if filters.assignee == "mine":
        rows = rows.filter(assignee_id=membership.user_id)
    elif filters.assignee == "unassigned":
        rows = rows.filter(assignee__isnull=True)
    elif filters.assignee:
        rows = rows.filter(assignee_id=int(filters.assignee))
    if filters.overdue:
        rows = rows.filter(overdue_q(timezone.now()))
    if filters.sentiment:
        rows = rows.filter(sentiment=filters.sentiment)
    if filters.language:
        rows = rows.filter(
            Exists(
                Message.objects.filter(
                    conversation=OuterRef("pk"), language=filters.language
                ).exclude(kind=MessageKind.OUTBOUND)
            )
        )
    if filters.search:
        rows = rows.filter(
            Q(contact__handle__icontains=filters.search)
            | Q(contact__display_name__icontains=filters.search)
            | Exists(
                Message.objects.filter(conversation=OuterRef("pk"), text__icontains=filters.search)
            )
        )
    return rows


def with_preview(rows: QuerySet[Conversation]) -> QuerySet[Conversation]:
    latest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id")
    return rows.select_related("account", "contact", "assignee", "team").annotate(
        preview=Subquery(
            latest.annotate(short=Substr("text", 1, PREVIEW_CHARS)).values("short")[:1]
        ),
    )


def encode_cursor(conversation: Conversation) -> str:
    return f"{conversation.last_message_at.timestamp():.6f}_{conversation.pk}"


def decode_cursor(raw: str) -> tuple[datetime, int] | None:
    try:
        stamp, _sep, pk = str(raw or "").partition("_")
        number = id_from_text(pk)
        if number is None:
            return None
        return datetime.fromtimestamp(float(stamp), tz=UTC), number
    except (ValueError, OverflowError, OSError):
        return None


@dataclass(frozen=True)
class InboxPage:
    rows: list[Conversation]
    next_cursor: str


def page_of(
    membership: Membership, filters: InboxFilters, cursor: str = "", size: int = PAGE_SIZE
) -> InboxPage:
    rows = with_preview(filtered(membership, filters)).order_by("-last_message_at", "-id")
    after = decode_cursor(cursor) if cursor else None
    if after is not None:
        at, pk = after
        rows = rows.filter(Q(last_message_at__lt=at) | Q(last_message_at=at, id__lt=pk))
    found = list(rows[: size + 1])
    more = len(found) > size
    found = found[:size]
    now = timezone.now()
    for row in found:
        row.is_overdue = bool(  # type: ignore[attr-defined]
            row.first_response_due_at
            and row.first_response_due_at < now
            and row.first_responded_at is None
        ) or bool(
            row.resolution_due_at
            and row.resolution_due_at < now
            and row.status != ConversationStatus.CLOSED
        )
    return InboxPage(found, encode_cursor(found[-1]) if more and found else "")


def without(filters: InboxFilters, **changes: Any) -> InboxFilters:
    return replace(filters, **changes)
