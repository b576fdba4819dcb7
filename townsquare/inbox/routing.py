"""Routing: the workspace's rules applied to each new inbound message, in rule order.

A rule whose conditions hold (rule_conditions.evaluate) acts on the message's conversation:
assignment (to a person, or to a team by round robin or by open load; the first assignment
wins, and a conversation someone already has keeps its assignee), labels, priority, hiding
or deleting on the network where its connector can, forwarding to a department, and the SLA
clock. `stop_after` ends the pass. Each rule that applied leaves a RuleMatch: the
conversation shows which conditions held and what was done or could not be done.

Ingest routes a page at a time (route_batch): rules, teams, business hours and members are
read once, the page's conversations locked in one query, and the changes, turns and matches
written together at the end, so a message costs the evaluation of its rules and little else.
A message whose rules fail is left as it was, with the failure on its conversation.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.tasks import task
from django.utils import timezone

from townsquare.inbox import business_hours, sla
from townsquare.inbox.models import (
    Conversation,
    ConversationStatus,
    Department,
    InboxSettings,
    Message,
    Rule,
    RuleMatch,
    Team,
)
from townsquare.inbox.row_updates import update_rows
from townsquare.inbox.rule_conditions import Check, MessageFacts, evaluate
from townsquare.workspaces.models import Membership, Workspace

logger = logging.getLogger(__name__)

OPEN_STATUSES = (ConversationStatus.OPEN, ConversationStatus.WAITING)
ASSIGN_MODES = ("round_robin", "open_load")
# Connector methods for moderation; a connector without them cannot hide or delete.
NETWORK_METHODS = {"hide": "hide_inbox_message", "delete": "delete_inbox_message"}


@dataclass
class WorkspaceRouting:
    """What routing needs of one workspace, read once per batch."""

    workspace: Workspace
    rules: list[Rule]
    schedule: dict[str, Any]
    time_zone: str
    departments: dict[int, Department] = field(default_factory=dict)
    member_ids: set[int] = field(default_factory=set)

    @property
    def writes_at_once(self) -> bool:
        """Whether a rule hides, deletes or forwards (written as it applies)."""
        return any(
            (rule.actions or {}).get(key)
            for rule in self.rules
            for key in ("hide", "delete", "forward_department")
        )


def settings_of(workspace: Workspace) -> InboxSettings:
    """The workspace's inbox settings, made with the defaults on first use."""
    found, _ = InboxSettings.objects.get_or_create(workspace=workspace)
    return found


def schedule_of(inbox_settings: InboxSettings) -> dict[str, Any]:
    try:
        return business_hours.parse(inbox_settings.business_hours)
    except ValueError:
        # Saved hours are checked by the form; old or hand-edited ones must not stop routing.
        logger.warning("business hours of workspace %s unreadable", inbox_settings.workspace_id)
        return {}


def load_routing(workspace: Workspace) -> WorkspaceRouting:
    inbox_settings = settings_of(workspace)
    return WorkspaceRouting(
        workspace=workspace,
        rules=list(
            Rule.objects.filter(workspace=workspace, active=True).order_by("position", "id")
        ),
        schedule=schedule_of(inbox_settings),
        time_zone=workspace.time_zone,
        departments={d.pk: d for d in Department.objects.filter(workspace=workspace)},
        member_ids=set(
            Membership.objects.filter(workspace=workspace).values_list("user_id", flat=True)
        ),
    )


def facts_of(message: Message, routing: WorkspaceRouting) -> MessageFacts:
    contact = message.contact
    return MessageFacts(
        text=message.text,
        category=message.category,
        sentiment=message.sentiment,
        urgency=message.urgency,
        spam=message.spam,
        language=message.language,
        network=message.account.network,
        account_id=message.account_id,
        author_handle=message.author_handle,
        follower_count=contact.follower_count if contact is not None else None,
        inside_business_hours=business_hours.is_open(
            routing.schedule, routing.time_zone, message.created_at
        ),
    )


def route_new(messages: Sequence[Message]) -> None:
    """Apply the rules to each new inbound message (our own answers are left alone).
    Called by ingest once the messages are stored and triaged, one batch per page: a
    message whose routing fails is left unrouted with the failure on its conversation, and
    the others are routed."""
    inbound = [m for m in messages if m.inbound and m.pk is not None]
    if not inbound:
        return
    if all(_loaded(m) for m in inbound):
        # As ingest hands them over: account and contact attached, nothing to read again.
        fresh = sorted(inbound, key=lambda m: (m.created_at, m.pk))
    else:
        fresh = list(
            Message.objects.filter(pk__in=[m.pk for m in inbound])
            .select_related("account", "contact", "workspace")
            .order_by("created_at", "id")
        )
    by_workspace: dict[int, list[Message]] = defaultdict(list)
    for message in fresh:
        by_workspace[message.workspace_id].append(message)
    for workspace_id, group in by_workspace.items():
        workspace = _workspace_of(group[0]) or Workspace.objects.get(pk=workspace_id)
        route_batch(load_routing(workspace), group)


def _loaded(message: Message) -> bool:
    return Message.account.is_cached(message) and (  # type: ignore[attr-defined]
        message.contact_id is None or Message.contact.is_cached(message)  # type: ignore[attr-defined]
    )


def _workspace_of(message: Message) -> Workspace | None:
    if Message.workspace.is_cached(message):  # type: ignore[attr-defined]
        return message.workspace
    account = message.account
    if type(account).workspace.is_cached(account):  # type: ignore[attr-defined]
        return account.workspace
    return None


def route_batch(routing: WorkspaceRouting, messages: Sequence[Message]) -> list[RuleMatch]:
    """Route `messages` (oldest first) of one workspace: their conversations and teams are
    read and locked once, and what the rules did is written once at the end."""
    if not routing.rules:
        return []
    with transaction.atomic():
        batch = _Batch(routing, [m.conversation_id for m in messages])
        for message in messages:
            try:
                batch.route(message)
            except Exception as error:
                logger.exception("routing message %s failed", message.pk)
                batch.matches.append(_failure(message, error))
        batch.write()
    return batch.matches


def route_message(routing: WorkspaceRouting, message: Message) -> list[RuleMatch]:
    """Route one message; an error is raised to the caller (nothing of it is kept)."""
    with transaction.atomic():
        batch = _Batch(routing, [message.conversation_id])
        matches = batch.route(message)
        batch.write()
    return matches


# The name kept on the match when routing itself failed; shown translated on the page.
ROUTING_FAILED = "routing_failed"


def _failure(message: Message, error: Exception) -> RuleMatch:
    return RuleMatch(
        workspace_id=message.workspace_id,
        conversation_id=message.conversation_id,
        message=message,
        rule=None,
        rule_name=ROUTING_FAILED,
        problems=[{"problem": ROUTING_FAILED, "error": f"{type(error).__name__}"}],
    )


def record_failure(message: Message, error: Exception) -> None:
    """Leave the failure on the conversation, where a person sees that its rules did not run
    and routes it by hand; nothing is retried behind their back."""
    try:
        with transaction.atomic():
            _failure(message, error).save()
    except Exception:  # the database itself is failing: the log above is all there is
        logger.exception("recording the routing failure of message %s failed", message.pk)


# What routing may change on a conversation, written for every conversation it changed.
ROUTED_FIELDS = (
    "labels",
    "priority",
    "team",
    "assignee",
    "rule",
    "first_response_due_at",
    "resolution_due_at",
)
LOCK_CHUNK = 500


class _Batch:
    """The rows routing a batch of messages reads and writes, each read (and locked) once:
    the conversations, the teams whose turns are handed out and their members, the open
    load of the people assigned to. Per message only the rules' own work is left; the
    changes are written together by `write`."""

    def __init__(self, routing: WorkspaceRouting, conversation_ids: Sequence[int]) -> None:
        self.routing = routing
        self.conversations: dict[int, Conversation] = {}
        ids = sorted(set(conversation_ids))
        for start in range(0, len(ids), LOCK_CHUNK):
            # In id order, so that two batches locking overlapping rows cannot deadlock.
            chunk = ids[start : start + LOCK_CHUNK]
            for conversation in (
                Conversation.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
            ):
                self.conversations[conversation.pk] = conversation
        self.teams: dict[Any, Team | None] = {}
        self.members: dict[int, list[int]] = {}
        self.open_loads: dict[int, int] = {}  # open conversations per person, from the database
        self.assigned: dict[int, int] = defaultdict(int)  # open ones assigned in this batch
        self.changed: dict[int, Conversation] = {}
        self.turns: dict[int, Team] = {}
        self.matches: list[RuleMatch] = []

    def team(self, team_id: Any) -> Team | None:
        """The workspace's team, locked, with its members still in the workspace."""
        if team_id not in self.teams:
            # A savepoint: a query that fails here fails this message, not the page.
            with transaction.atomic():
                team = (
                    Team.objects.select_for_update()
                    .filter(pk=team_id, workspace=self.routing.workspace)
                    .first()
                )
                members = [] if team is None else list(team.members.values_list("pk", flat=True))
            self.teams[team_id] = team
            if team is not None:
                self.members[team.pk] = sorted(
                    user_id for user_id in members if user_id in self.routing.member_ids
                )
        return self.teams[team_id]

    def loads(self, members: Sequence[int]) -> dict[int, int]:
        unread = [user_id for user_id in members if user_id not in self.open_loads]
        if unread:
            with transaction.atomic():  # as in `team`
                counted = self._count_open(unread)
            self.open_loads.update({user_id: counted.get(user_id, 0) for user_id in unread})
        return {user_id: self.open_loads[user_id] + self.assigned[user_id] for user_id in members}

    def _count_open(self, unread: list[int]) -> dict[int, int]:
        return dict(
            Conversation.objects.filter(
                workspace=self.routing.workspace,
                assignee_id__in=unread,
                status__in=OPEN_STATUSES,
            )
            .values_list("assignee_id")
            .annotate(open=Count("id"))
            .values_list("assignee_id", "open")
        )

    def route(self, message: Message) -> list[RuleMatch]:
        conversation = self.conversations.get(message.conversation_id)
        if conversation is None:
            raise Conversation.DoesNotExist(f"conversation {message.conversation_id} is gone")
        saved = self._state(conversation)
        try:
            # Rules that hide, delete or forward write at once: a savepoint takes those
            # writes back when a later rule of the same message fails.
            with transaction.atomic() if self.routing.writes_at_once else nullcontext():
                matches, outcome = _route(self, message, conversation)
        except Exception:
            self._restore(conversation, saved)
            raise
        if outcome.changed:
            self.changed[conversation.pk] = conversation
        if outcome.assigned_to is not None and conversation.status in OPEN_STATUSES:
            self.assigned[outcome.assigned_to] += 1
        self.matches += matches
        return matches

    def _state(self, conversation: Conversation) -> tuple[dict[str, Any], dict[int, Any]]:
        fields = {
            Conversation._meta.get_field(name).attname: getattr(
                conversation, Conversation._meta.get_field(name).attname
            )
            for name in ROUTED_FIELDS
        }
        turns = {pk: team.last_assigned_id for pk, team in self.turns.items()}
        return fields, turns

    def _restore(
        self, conversation: Conversation, saved: tuple[dict[str, Any], dict[int, Any]]
    ) -> None:
        fields, turns = saved
        for attname, value in fields.items():
            setattr(conversation, attname, value)
        for pk, team in list(self.turns.items()):
            if pk in turns:
                team.last_assigned_id = turns[pk]
            else:
                del self.turns[pk]

    def write(self) -> None:
        update_rows(Conversation, ROUTED_FIELDS, list(self.changed.values()))
        for team in self.turns.values():
            Team.objects.filter(pk=team.pk).update(last_assigned_id=team.last_assigned_id)
        RuleMatch.objects.bulk_create(self.matches)


def _route(
    batch: _Batch, message: Message, conversation: Conversation
) -> tuple[list[RuleMatch], _Outcome]:
    routing = batch.routing
    facts = facts_of(message, routing)
    outcome = _Outcome(conversation, batch)
    matches = []
    for rule in routing.rules:
        evaluation = evaluate(rule.conditions, facts)
        if not evaluation.matched:
            continue
        done, problems = _apply(routing, rule, message, outcome)
        matches.append(
            RuleMatch(
                workspace_id=message.workspace_id,
                conversation=conversation,
                message=message,
                rule=rule,
                rule_name=rule.name,
                checks=[_check_json(check) for check in evaluation.checks],
                done=done,
                problems=problems,
            )
        )
        if rule.stop_after:
            break
    _start_sla(routing, conversation, message, outcome)
    return matches, outcome


@dataclass
class _Outcome:
    conversation: Conversation
    batch: _Batch
    changed: set[str] = field(default_factory=set)
    assigned: bool = False
    assigned_to: int | None = None
    applied: list[Rule] = field(default_factory=list)


def _check_json(check: Check) -> dict[str, Any]:
    wanted = list(check.wanted) if isinstance(check.wanted, tuple) else check.wanted
    return {"key": check.key, "wanted": wanted, "seen": check.seen}


def _apply(
    routing: WorkspaceRouting, rule: Rule, message: Message, outcome: _Outcome
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    conversation = outcome.conversation
    actions = rule.actions or {}
    done: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    outcome.applied.append(rule)
    if actions.get("assign_user") or actions.get("assign_team"):
        _assign(routing, actions, outcome, done, problems)
    labels = [str(label) for label in actions.get("labels") or []]
    new_labels = [label for label in labels if label not in conversation.labels]
    if new_labels:
        conversation.labels = [*conversation.labels, *new_labels]
        outcome.changed.add("labels")
        done.append({"action": "labels", "labels": new_labels})
    priority = actions.get("priority")
    if priority is not None and int(priority) > conversation.priority:
        conversation.priority = int(priority)
        outcome.changed.add("priority")
        done.append({"action": "priority", "priority": int(priority)})
    for action in ("hide", "delete"):
        if actions.get(action):
            _moderate(action, message, done, problems)
    department_id = actions.get("forward_department")
    if department_id:
        department = routing.departments.get(int(department_id))
        if department is None:
            problems.append({"action": "forward", "problem": "department_gone"})
        else:
            from townsquare.inbox.forwarding import forward_conversation

            forward_conversation(conversation, department, rule=rule)
            done.append({"action": "forward", "department": department.name})
    return done, problems


def _assign(
    routing: WorkspaceRouting,
    actions: dict[str, Any],
    outcome: _Outcome,
    done: list[dict[str, Any]],
    problems: list[dict[str, Any]],
) -> None:
    conversation = outcome.conversation
    if outcome.assigned or conversation.assignee_id is not None:
        return  # the first assignment wins; someone who has the conversation keeps it
    user_id = actions.get("assign_user")
    if user_id:
        if int(user_id) not in routing.member_ids:
            problems.append({"action": "assign", "problem": "not_a_member"})
            return
        conversation.assignee_id = int(user_id)
        outcome.changed.add("assignee")
        outcome.assigned = True
        outcome.assigned_to = int(user_id)
        done.append({"action": "assign_user", "user": int(user_id)})
        return
    team = outcome.batch.team(actions.get("assign_team"))
    if team is None:
        problems.append({"action": "assign", "problem": "team_gone"})
        return
    conversation.team = team
    outcome.changed.add("team")
    outcome.assigned = True
    mode = actions.get("assign_mode") or "round_robin"
    chosen = pick_member(outcome.batch, team, mode)
    if chosen is None:
        problems.append({"action": "assign", "problem": "team_empty", "team": team.name})
        done.append({"action": "assign_team", "team": team.name})
        return
    conversation.assignee_id = chosen
    outcome.changed.add("assignee")
    outcome.assigned_to = chosen
    done.append({"action": "assign_team", "team": team.name, "user": chosen, "mode": mode})


def pick_member(batch: _Batch, team: Team, mode: str) -> int | None:
    """The member of `team` (still a member of the workspace) who gets the next
    conversation: the one after the last assigned (round robin), or the one with the
    fewest open conversations (open load; ties go round robin). The team row is locked
    for the batch, so two routers never hand out the same turn."""
    members = batch.members.get(team.pk, [])
    if not members:
        return None
    last = team.last_assigned_id
    order = [m for m in members if last is not None and m > last] + [
        m for m in members if last is None or m <= last
    ]
    if mode == "open_load":
        loads = batch.loads(members)
        chosen = min(order, key=lambda user_id: loads[user_id])
    else:
        chosen = order[0]
    team.last_assigned_id = chosen
    batch.turns[team.pk] = team
    return chosen


def network_can(network: str, action: str) -> bool:
    """Whether the network's connector can hide or delete a message someone else wrote."""
    from townsquare.networks.registry import UnknownNetwork, get_publisher

    try:
        connector = get_publisher(network)
    except (UnknownNetwork, ImportError):
        return False
    return callable(getattr(connector, NETWORK_METHODS[action], None))


def _moderate(
    action: str, message: Message, done: list[dict[str, Any]], problems: list[dict[str, Any]]
) -> None:
    """Hidden in Townsquare at once; on the network only where its connector can do it,
    otherwise the conversation says so (never a silent no-op)."""
    if message.hidden_at is None:
        message.hidden_at = timezone.now()
        Message.objects.filter(pk=message.pk).update(hidden_at=message.hidden_at)
    network = message.account.network
    if network_can(network, action):
        transaction.on_commit(lambda: moderate_on_network.enqueue(message.pk, action))
        done.append({"action": action, "network": network})
    else:
        done.append({"action": "hide_in_townsquare"})
        problems.append({"action": action, "problem": "not_supported", "network": network})


@task
def moderate_on_network(message_id: int, action: str) -> str:
    """Hide or delete the message on its network; the outcome is kept with the match."""
    from townsquare.networks.credentials import credentials_for
    from townsquare.networks.registry import get_publisher

    message = Message.objects.select_related("account").filter(pk=message_id).first()
    if message is None:
        return "gone"
    connector = get_publisher(message.account.network)
    try:
        getattr(connector, NETWORK_METHODS[action])(
            credentials_for(message.account), message.network_message_id
        )
    except Exception as error:  # the network's refusal is shown, not raised into the queue
        match = message.rule_matches.order_by("-id").first()
        if match is not None:
            match.problems = [
                *match.problems,
                {"action": action, "problem": "failed", "error": str(error)[:300]},
            ]
            match.save(update_fields=["problems"])
        return "failed"
    return "done"


def _start_sla(
    routing: WorkspaceRouting, conversation: Conversation, message: Message, outcome: _Outcome
) -> None:
    """Each SLA target comes from the first rule that applied and sets it, counted in
    business minutes from the message's time; the conversation keeps the rule that gave
    its targets (else the first that applied) for the clock and the explanation. A
    conversation routed before keeps its clock."""
    applied = outcome.applied
    if not applied or conversation.rule_id is not None:
        return
    first = next((r for r in applied if r.first_response_minutes), None)
    resolution = next((r for r in applied if r.resolution_minutes), None)
    conversation.rule = first or resolution or applied[0]
    outcome.changed.add("rule")
    start = message.created_at
    if first is not None and conversation.first_responded_at is None:
        due = sla.due_in(routing.schedule, routing.time_zone, start, first.first_response_minutes)
        if due is not None:
            conversation.first_response_due_at = due
            outcome.changed.add("first_response_due_at")
    if resolution is not None and conversation.closed_at is None:
        due = sla.due_in(routing.schedule, routing.time_zone, start, resolution.resolution_minutes)
        if due is not None:
            conversation.resolution_due_at = due
            outcome.changed.add("resolution_due_at")


def explain(conversation: Conversation) -> list[RuleMatch]:
    """The rules that applied to the conversation's messages, oldest first (the UI renders
    them with rule_words.describe_match)."""
    return list(conversation.rule_matches.select_related("rule").order_by("created_at", "id"))
