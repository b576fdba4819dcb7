"""The feedback register: users' questions, complaints and suggestions become items, grouped
into topics by meaning (register_grouping), and followed until every user was told the
company's answer.

record_new runs inside the ingest transaction, right after routing: a message is stored,
routed and registered together, or not at all. Reads for the pages (trend, rows for the CSV)
live here too; writes by people go through register_actions.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from townsquare.inbox import register_grouping as grouping
from townsquare.inbox.access import access_topics
from townsquare.inbox.models import (
    FeedbackItem,
    FeedbackTopic,
    Message,
    MessageKind,
    Reply,
    TopicStatus,
)
from townsquare.inbox.triage.features import embed
from townsquare.workspaces.models import Membership

FEEDBACK_CATEGORIES = ("question", "complaint", "suggestion")
TREND_WEEKS = 8


def category_of(message: Message) -> str:
    """The category a person corrected it to wins over the model's."""
    return str((message.corrected or {}).get("category") or message.category or "")


def is_feedback(message: Message) -> bool:
    spam = str((message.corrected or {}).get("spam") or message.spam or "ok")
    return (
        message.kind != MessageKind.OUTBOUND
        and spam not in ("spam", "abuse")
        and category_of(message) in FEEDBACK_CATEGORIES
        and bool(message.text.strip())
    )


def record_new(
    messages: Sequence[Message], vectors: Sequence[np.ndarray | None] | None = None
) -> list[FeedbackItem]:
    """Register the feedback among newly stored messages, each message once (again: nothing).
    `vectors` are the messages' sentence embeddings where triage computed them already (one
    per message, None where it did not); the others are embedded here."""
    if vectors is not None and len(vectors) != len(messages):
        raise ValueError("vectors must be as many as messages")
    given = dict(zip((id(m) for m in messages), vectors or (), strict=False))
    candidates = [m for m in messages if is_feedback(m)]
    if not candidates:
        return []
    known = set(
        FeedbackItem.objects.filter(message__in=candidates).values_list("message_id", flat=True)
    )
    fresh = [m for m in candidates if m.pk not in known]
    if not fresh:
        return []
    missing = [m for m in fresh if given.get(id(m)) is None]
    embedded = dict(
        zip(
            (id(m) for m in missing),
            embed([grouping.clean_text(m.text) for m in missing]),
            strict=True,
        )
    )
    created: list[FeedbackItem] = []
    with transaction.atomic():
        by_workspace: dict[int, list[tuple[Message, np.ndarray]]] = {}
        for message in fresh:
            vector = given.get(id(message))
            by_workspace.setdefault(message.workspace_id, []).append(
                (message, vector if vector is not None else embedded[id(message)])
            )
        for workspace_id, pairs in by_workspace.items():
            created += _place(workspace_id, pairs)
    return created


def _open_topics(workspace_id: int) -> dict[int, FeedbackTopic]:
    # A closed topic is done: the same concern raised again starts a topic of its own.
    return {
        t.pk: t
        for t in FeedbackTopic.objects.filter(workspace_id=workspace_id)
        .exclude(status=TopicStatus.CLOSED)
        .only("id", "centroid", "category", "status")
    }


class _Centroids:
    """The open topics' centroids as one matrix of unit rows, kept up to date as items join,
    with each topic's item count read only for the topics a batch touches."""

    def __init__(self, topics: dict[int, FeedbackTopic]) -> None:
        pairs = [
            (pk, vector)
            for pk, topic in topics.items()
            if (vector := grouping.from_bytes(topic.centroid)) is not None
        ]
        self.ids = [pk for pk, _ in pairs]
        self.row = {pk: i for i, pk in enumerate(self.ids)}
        self.matrix = grouping.unit_rows([vector for _, vector in pairs])
        self.counts: dict[int, int] = {}

    def nearest(self, vector: np.ndarray) -> int | None:
        found = grouping.nearest_row(self.matrix, vector)
        return None if found is None else self.ids[found]

    def count_items(self, topic_ids: Iterable[int]) -> None:
        unread = [pk for pk in set(topic_ids) if pk not in self.counts]
        if not unread:
            return
        self.counts.update(dict.fromkeys(unread, 0))
        self.counts.update(
            FeedbackItem.objects.filter(topic_id__in=unread)
            .values("topic_id")
            .annotate(n=Count("id"))
            .values_list("topic_id", "n")
        )

    def add(self, topic_id: int, vector: np.ndarray) -> np.ndarray:
        """The topic's centroid with one more item (a new topic: the item itself)."""
        self.count_items([topic_id])
        row = self.row.get(topic_id)
        current = self.matrix[row] if row is not None else None
        centroid = grouping.add_to_centroid(current, self.counts[topic_id], vector)
        self.counts[topic_id] += 1
        if row is None:
            self.row[topic_id] = len(self.ids)
            self.ids.append(topic_id)
            rows = [self.matrix] if len(self.matrix) else []
            self.matrix = np.vstack([*rows, centroid[None, :]])
        else:
            self.matrix[row] = centroid
        return centroid


def _place(workspace_id: int, pairs: list[tuple[Message, np.ndarray]]) -> list[FeedbackItem]:
    topics = _open_topics(workspace_id)
    centroids = _Centroids(topics)
    # The topics the page is likely to join, counted in one query before the real pass.
    centroids.count_items(
        pk for _, vector in pairs if (pk := centroids.nearest(vector)) is not None
    )
    items: list[FeedbackItem] = []
    touched: dict[int, np.ndarray] = {}
    for message, vector in pairs:
        found = centroids.nearest(vector)
        if found is None:
            topic = FeedbackTopic.objects.create(
                workspace_id=workspace_id,
                title=grouping.topic_title(message.text),
                category=category_of(message),
            )
            topics[topic.pk] = topic
            centroids.counts[topic.pk] = 0
            found = topic.pk
        touched[found] = centroids.add(found, vector)
        items.append(
            FeedbackItem(
                workspace_id=workspace_id,
                topic=topics[found],
                message=message,
                category=category_of(message),
                language=message.language if message.language != "und" else "",
                embedding=grouping.to_bytes(vector),
                created_at=message.created_at,
            )
        )
    # The messages are new and were looked up in this transaction: none has an item yet.
    FeedbackItem.objects.bulk_create(items)
    categories = _main_categories(list(touched))
    now = timezone.now()
    for topic_id, centroid in touched.items():
        topic = topics[topic_id]
        topic.centroid = grouping.to_bytes(centroid)
        topic.category = categories.get(topic_id, topic.category)
        FeedbackTopic.objects.filter(pk=topic_id).update(
            centroid=topic.centroid, category=topic.category, updated_at=now
        )
    return items


def _main_categories(topic_ids: list[int]) -> dict[int, str]:
    """The most common category of each topic's items (a tie: the one that came first)."""
    rows = (
        FeedbackItem.objects.filter(topic_id__in=topic_ids)
        .values("topic_id", "category")
        .annotate(n=Count("id"), first=Min("id"))
        .values_list("topic_id", "category", "n", "first")
    )
    best: dict[int, tuple[int, int, str]] = {}
    for topic_id, category, n, first in rows:
        ranked = (n, -first, category)
        if topic_id not in best or ranked > best[topic_id]:
            best[topic_id] = ranked
    return {topic_id: ranked[2] for topic_id, ranked in best.items()}


def refresh_topic(topic: FeedbackTopic, *, centroid: bool = True) -> None:
    """Recompute what a topic derives from its items: its category (the most common one)
    and, after a merge or split, its centroid."""
    items = list(FeedbackItem.objects.filter(topic=topic).only("category", "embedding"))
    fields = ["category", "updated_at"]
    counted = Counter(item.category for item in items)
    topic.category = counted.most_common(1)[0][0] if counted else topic.category
    if centroid:
        vectors = [v for item in items if (v := grouping.from_bytes(item.embedding)) is not None]
        mean = grouping.mean_centroid(vectors)
        topic.centroid = grouping.to_bytes(mean) if mean is not None else None
        fields.append("centroid")
    topic.save(update_fields=fields)


# --- informed tracking ------------------------------------------------------------------------


def mark_informed(reply: Reply, now: datetime | None = None) -> int:
    """A reply went out in a conversation: its users whose topic has the company's answer are
    informed; a topic whose users are all informed moves to "users informed"."""
    now = now or timezone.now()
    items = FeedbackItem.objects.filter(
        message__conversation_id=reply.conversation_id,
        informed_at__isnull=True,
        topic__answered_at__isnull=False,
        topic__answered_at__lte=reply.sent_at or now,
    )
    topic_ids = set(items.values_list("topic_id", flat=True))
    changed = items.update(informed_at=now, informed_by_reply=reply)
    for topic_id in topic_ids:
        topic_informed_if_all(topic_id)
    return changed


def uninformed(topic: FeedbackTopic) -> QuerySet[FeedbackItem]:
    return FeedbackItem.objects.filter(
        topic=topic, informed_at__isnull=True, message__isnull=False, anonymised_at__isnull=True
    )


def topic_informed_if_all(topic_id: int) -> None:
    topic = FeedbackTopic.objects.filter(pk=topic_id, status=TopicStatus.ANSWERED).first()
    if topic is not None and not uninformed(topic).exists():
        topic.status = TopicStatus.INFORMED
        topic.save(update_fields=["status", "updated_at"])


# --- reads for the pages ----------------------------------------------------------------------


def week_start(moment: datetime, zone: str | None = None) -> datetime:
    """Monday 00:00 of the moment's week in `zone` (the workspace's), else the current zone."""
    local = timezone.localtime(moment, ZoneInfo(zone) if zone else None)
    monday = local - timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def trends(
    topic_ids: Iterable[int], now: datetime | None = None, zone: str | None = None
) -> dict[int, list[int]]:
    """Items per week over the last TREND_WEEKS weeks (oldest first), per topic, the weeks
    counted in the workspace's zone."""
    first = week_start(now or timezone.now(), zone) - timedelta(weeks=TREND_WEEKS - 1)
    first_day = first.date()
    counts: dict[int, list[int]] = {pk: [0] * TREND_WEEKS for pk in topic_ids}
    rows = FeedbackItem.objects.filter(topic_id__in=list(counts), created_at__gte=first)
    for topic_id, created_at in rows.values_list("topic_id", "created_at"):
        # By calendar days: across a change of clocks two Mondays are 6 days 23 hours apart.
        index = (week_start(created_at, zone).date() - first_day).days // 7
        if 0 <= index < TREND_WEEKS:
            counts[topic_id][index] += 1
    return counts


def sparkline_points(counts: Sequence[int], width: int = 80, height: int = 20) -> str:
    """The points of an SVG polyline for the weekly counts (drawn server-side, no script)."""
    top = max(max(counts, default=0), 1)
    step = width / max(len(counts) - 1, 1)
    return " ".join(
        f"{round(i * step, 1)},{round(height - 1 - (c / top) * (height - 2), 1)}"
        for i, c in enumerate(counts)
    )


def topics_with_counts(topics: QuerySet[FeedbackTopic]) -> QuerySet[FeedbackTopic]:
    return topics.select_related("department").annotate(
        item_count=Count("items"),
        informed_count=Count("items", filter=Q(items__informed_at__isnull=False)),
    )


CSV_COLUMNS = (
    "topic_id",
    "topic",
    "status",
    "category",
    "department",
    "items",
    "informed",
    "first_item",
    "last_item",
    "answered_at",
)


def register_csv(topics: QuerySet[FeedbackTopic]) -> str:
    """The register as CSV, one row per topic (no one's name or words: safe to pass on)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    annotated = topics_with_counts(topics).order_by("id")
    spans = {
        row["topic_id"]: row
        for row in FeedbackItem.objects.filter(topic__in=annotated)
        .values("topic_id")
        .annotate(first=Min("created_at"), last=Max("created_at"))
    }
    for topic in annotated:
        span = spans.get(topic.pk, {})
        writer.writerow(
            [
                topic.pk,
                _safe_cell(topic.title),
                topic.status,
                topic.category,
                _safe_cell(topic.department.name) if topic.department else "",
                topic.item_count,  # type: ignore[attr-defined]
                topic.informed_count,  # type: ignore[attr-defined]
                _iso(span.get("first")),
                _iso(span.get("last")),
                _iso(topic.answered_at),
            ]
        )
    return out.getvalue()


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _safe_cell(text: str) -> str:
    """A cell a spreadsheet does not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def access_topic(membership: Membership, topic_id: int) -> FeedbackTopic:
    """The topic of the membership's workspace, or 404 (also for another's)."""
    found = access_topics(membership).select_related("department").filter(pk=topic_id).first()
    if found is None:
        raise Http404
    return found
