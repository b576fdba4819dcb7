"""The inbox's share of the KPIs: people who write, conversations, answers and their
times, sentiment. Counted by the database per period (the period and its previous one in
the same query); only the first-response times come back per conversation.

Campaigns and pillars do not apply here (a message is not about one post's campaign);
network and account do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, When

from townsquare.analytics.kpis.care import CareInput, ResponseSample, TeamInput
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.readers_scope import (
    Filters,
    as_date,
    both,
    bounds,
    conversations,
    day_start,
    in_period,
    inbound,
    local_parts,
    messages,
)
from townsquare.inbox import business_hours
from townsquare.inbox.models import InboxSettings, Message, MessageKind
from townsquare.workspaces.models import Membership, Workspace


def schedule(workspace: Workspace) -> business_hours.Schedule:
    """The workspace's business hours (around the clock when none are set, or when the
    stored ones cannot be read: a figure must not fail on them). Read only: no settings
    row is made for a workspace that has none."""
    raw = (
        InboxSettings.objects.filter(workspace=workspace)
        .values_list("business_hours", flat=True)
        .first()
    )
    try:
        return business_hours.parse(raw or {})
    except ValueError:
        return {}


@dataclass(frozen=True, slots=True)
class People:
    engaged_now: int = 0
    engaged_before: int = 0
    weeks_now: Mapping[int, int] = field(default_factory=dict)
    weeks_before: Mapping[int, int] = field(default_factory=dict)
    conversations_now: int = 0
    conversations_before: int = 0
    messages_now: int = 0
    messages_before: int = 0


def weeks_engaged(
    membership: Membership, last_day: date, weeks: int, filters: Filters
) -> dict[int, int]:
    """How many people wrote in how many of the `weeks` weeks (7 local days each, counted
    back from `last_day`): {distinct weeks: people}. One query; the week of each message
    is found by comparing its time with the weeks' starts in UTC (computed here, changes
    of clocks included), so the database runs no zone functions."""
    if weeks <= 0:
        return {}
    workspace = membership.workspace
    starts = [day_start(workspace, last_day + timedelta(days=1 - 7 * k)) for k in range(weeks + 1)]
    week = Case(
        *[When(created_at__gte=starts[k + 1], then=k) for k in range(weeks)],
        output_field=IntegerField(),
    )
    per_person = (
        inbound(membership, filters)
        .filter(contact__isnull=False, created_at__gte=starts[-1], created_at__lt=starts[0])
        .annotate(week=week)
        .values("contact_id")
        .annotate(weeks=Count("week", distinct=True))
        .values("weeks")
    )
    # Counting the people per number of weeks is an aggregate over an aggregate, which the
    # ORM cannot express; the inner SQL is the ORM's own, its values stay parameters.
    inner, params = per_person.query.sql_with_params()
    outer = f"SELECT weeks, COUNT(*) FROM ({inner}) per_person GROUP BY weeks"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        return {int(n_weeks): int(people) for n_weeks, people in cursor.fetchall()}


def read_people(
    membership: Membership, period: Period, filters: Filters, returning_weeks: int
) -> People:
    """Engaged people, returning people and conversation depth for the period and the
    previous one: four queries."""
    workspace = membership.workspace
    previous = period.previous()
    now_q, before_q = (
        in_period("created_at", workspace, period),
        in_period("created_at", workspace, previous),
    )
    engaged = (
        inbound(membership, filters)
        .filter(in_period("created_at", workspace, both(period)), contact__isnull=False)
        .aggregate(
            now=Count("contact", filter=now_q, distinct=True),
            before=Count("contact", filter=before_q, distinct=True),
        )
    )
    # Conversations begun in each period and all their messages, from either side: one
    # query that walks from the conversations to their messages by its index.
    begun_now = in_period("first_message_at", workspace, period)
    begun_before = in_period("first_message_at", workspace, previous)
    talks = (
        conversations(membership, filters)
        .filter(in_period("first_message_at", workspace, both(period)))
        .aggregate(
            now=Count("pk", filter=begun_now, distinct=True),
            before=Count("pk", filter=begun_before, distinct=True),
            messages_now=Count("messages", filter=begun_now),
            messages_before=Count("messages", filter=begun_before),
        )
    )
    return People(
        engaged_now=engaged["now"],
        engaged_before=engaged["before"],
        weeks_now=weeks_engaged(membership, period.end, returning_weeks, filters),
        weeks_before=weeks_engaged(membership, previous.end, returning_weeks, filters),
        conversations_now=talks["now"],
        conversations_before=talks["before"],
        messages_now=talks["messages_now"],
        messages_before=talks["messages_before"],
    )


def _answered() -> Exists:
    """An answer of ours in the same conversation at or after the message."""
    return Exists(
        Message.objects.filter(
            conversation=OuterRef("conversation"),
            kind=MessageKind.OUTBOUND,
            created_at__gte=OuterRef("created_at"),
        )
    )


def _samples(
    rows: list[tuple[datetime, datetime | None]], period: Period, workspace: Workspace
) -> tuple[ResponseSample, ...]:
    start = day_start(workspace, period.start)
    end = day_start(workspace, period.end + timedelta(days=1))
    return tuple(ResponseSample(a, r) for a, r in rows if start <= a < end)


def read_care_inputs(
    membership: Membership, period: Period, filters: Filters
) -> tuple[CareInput, CareInput]:
    """Inbound and answered messages, first-response samples and sentiments of the period
    and the previous one: three queries."""
    workspace = membership.workspace
    previous = period.previous()
    now_q = in_period("created_at", workspace, period)
    before_q = in_period("created_at", workspace, previous)
    scope = inbound(membership, filters).filter(in_period("created_at", workspace, both(period)))
    counts = scope.annotate(answered=_answered()).aggregate(
        inbound_now=Count("pk", filter=now_q),
        inbound_before=Count("pk", filter=before_q),
        answered_now=Count("pk", filter=now_q & Q(answered=True)),
        answered_before=Count("pk", filter=before_q & Q(answered=True)),
    )
    sentiments_now: dict[str, int] = {}
    sentiments_before: dict[str, int] = {}
    for row in scope.values("sentiment").annotate(
        now=Count("pk", filter=now_q), before=Count("pk", filter=before_q)
    ):
        sentiments_now[row["sentiment"]] = row["now"]
        sentiments_before[row["sentiment"]] = row["before"]
    rows = list(
        conversations(membership, filters)
        .filter(in_period("first_message_at", workspace, both(period)))
        .values_list("first_message_at", "first_responded_at")
    )
    return (
        CareInput(
            inbound=counts["inbound_now"],
            answered=counts["answered_now"],
            responses=_samples(rows, period, workspace),
            sentiments=sentiments_now,
        ),
        CareInput(
            inbound=counts["inbound_before"],
            answered=counts["answered_before"],
            responses=_samples(rows, previous, workspace),
            sentiments=sentiments_before,
        ),
    )


def read_team_inputs(
    membership: Membership, period: Period, filters: Filters
) -> tuple[list[TeamInput], list[TeamInput]]:
    """Answers sent per person, and the conversations each answered first: three queries."""
    workspace = membership.workspace
    previous = period.previous()
    now_q = in_period("created_at", workspace, period)
    before_q = in_period("created_at", workspace, previous)
    replies: dict[int, list[int]] = {}
    for row in (
        messages(membership, filters)
        .filter(
            in_period("created_at", workspace, both(period)),
            kind=MessageKind.OUTBOUND,
            sent_by__isnull=False,
        )
        .values("sent_by")
        .annotate(now=Count("pk", filter=now_q), before=Count("pk", filter=before_q))
    ):
        replies[row["sent_by"]] = [row["now"], row["before"]]
    # Who answered each conversation first: its answers in order, the first kept here.
    # A join from the period's conversations to their answers rather than a subquery per
    # conversation, which PostgreSQL prices high enough to compile first (JIT), costing
    # more than the query itself; starting from the conversations keeps SQLite on them.
    firsts: dict[int, list[tuple[datetime, datetime | None]]] = {}
    seen: set[int] = set()
    for conversation_id, arrived, responded, user_id in (
        conversations(membership, filters)
        .filter(
            in_period("first_message_at", workspace, both(period)),
            first_responded_at__isnull=False,
            messages__kind=MessageKind.OUTBOUND,
        )
        .order_by("pk", "messages__created_at", "messages__pk")
        .values_list("pk", "first_message_at", "first_responded_at", "messages__sent_by")
    ):
        if conversation_id in seen:
            continue
        seen.add(conversation_id)
        if user_id is not None:
            firsts.setdefault(user_id, []).append((arrived, responded))
    ids = set(replies) | set(firsts)
    names = _names(ids)
    now: list[TeamInput] = []
    before: list[TeamInput] = []
    for user_id in sorted(ids):
        counts = replies.get(user_id, [0, 0])
        rows = firsts.get(user_id, [])
        now.append(
            TeamInput(user_id, names.get(user_id, ""), counts[0], _samples(rows, period, workspace))
        )
        before.append(
            TeamInput(
                user_id, names.get(user_id, ""), counts[1], _samples(rows, previous, workspace)
            )
        )
    return now, before


def _names(ids: set[int]) -> dict[int, str]:
    """The names of the people who answered (ids found in the workspace's own messages;
    a former member keeps their name on their answers)."""
    if not ids:
        return {}
    return {
        pk: name or email
        for pk, name, email in get_user_model()
        .objects.filter(pk__in=ids)
        .values_list("pk", "name", "email")
    }


def read_message_days(
    membership: Membership, period: Period, filters: Filters
) -> dict[str, dict[date, float | None]]:
    """Messages received (not spam) and answers sent per local day: one grouped query."""
    workspace = membership.workspace
    out_q = Q(kind=MessageKind.OUTBOUND)
    rows: Any = (
        messages(membership, filters)
        .filter(in_period("created_at", workspace, period))
        .exclude(spam__in=("spam", "abuse"))
        .annotate(
            local_day=local_parts(workspace, Message, "created_at", *bounds(workspace, period))[
                "day"
            ]
        )
        .values("local_day")
        .annotate(received=Count("pk", filter=~out_q), sent=Count("pk", filter=out_q))
    )
    found: dict[str, dict[date, float | None]] = {"messages_in": {}, "messages_out": {}}
    for row in rows:
        found["messages_in"][as_date(row["local_day"])] = row["received"]
        found["messages_out"][as_date(row["local_day"])] = row["sent"]
    return found
