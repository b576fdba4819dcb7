"""Writes of Inbox > Settings: the inbox settings, teams, departments and rules, a
conversation forwarded by hand, and a conversation routed again after its routing failed.
Each checks the role (TRIAGE_INBOX), runs in a transaction
and leaves an audit event; pages, the API and the demo call these."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.inbox import business_hours
from townsquare.inbox.forwarding import forward_conversation, generate_secret, seal_secret
from townsquare.inbox.models import (
    Conversation,
    Department,
    Forward,
    InboxSettings,
    Message,
    Priority,
    Rule,
    RuleMatch,
    Team,
)
from townsquare.inbox.routing import (
    ASSIGN_MODES,
    ROUTING_FAILED,
    load_routing,
    record_failure,
    route_message,
    settings_of,
)
from townsquare.inbox.rule_conditions import clean_conditions
from townsquare.lib.bounds import MAX_ID
from townsquare.lib.errors import ActionError
from townsquare.notifications.webhooks import masked
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

logger = logging.getLogger(__name__)

MAX_SLA_MINUTES = 60 * 24 * 365
MAX_RULES = 200
SETTINGS_FIELDS = ("business_hours", "retention_days", "replies_need_approval", "spike_factor")
RULE_FIELDS = (
    "name",
    "position",
    "active",
    "stop_after",
    "conditions",
    "actions",
    "first_response_minutes",
    "resolution_minutes",
)


def _invalid(message: str, code: str) -> ActionError:
    return ActionError(message, code=code, status=422)


def _member_ids(membership: Membership) -> set[int]:
    return set(
        Membership.objects.filter(workspace=membership.workspace).values_list("user_id", flat=True)
    )


# --- settings -------------------------------------------------------------------------------


@transaction.atomic
def do_update_inbox_settings(
    membership: Membership,
    *,
    business_hours_raw: Mapping[str, Any],
    retention_days: int | None,
    replies_need_approval: bool,
    spike_factor: float,
    digest_recipient_ids: Iterable[int],
) -> InboxSettings:
    require(membership, Perm.TRIAGE_INBOX)
    try:
        business_hours.parse(business_hours_raw)
    except ValueError:
        raise _invalid(
            _("Business hours need times like 09:00-17:00, each ending after it starts."),
            "invalid_business_hours",
        ) from None
    if retention_days is not None and not 1 <= retention_days <= 36500:
        raise _invalid(_("Keep messages for 1 to 36,500 days, or leave it empty."), "retention")
    if not 1.5 <= spike_factor <= 100:
        raise _invalid(_("The storm alarm factor is between 1.5 and 100."), "spike_factor")
    recipients = set(digest_recipient_ids)
    if not recipients <= _member_ids(membership):
        raise _invalid(_("Digest recipients must be members of the workspace."), "recipients")
    settings = settings_of(membership.workspace)
    settings = InboxSettings.objects.select_for_update().get(pk=settings.pk)
    before = {
        **snapshot(settings, SETTINGS_FIELDS),
        "digest_recipients": sorted(settings.digest_recipients.values_list("pk", flat=True)),
    }
    settings.business_hours = {
        day: [list(s) for s in spans] for day, spans in business_hours_raw.items() if spans
    }
    settings.retention_days = retention_days
    settings.replies_need_approval = replies_need_approval
    settings.spike_factor = spike_factor
    settings.save()
    settings.digest_recipients.set(sorted(recipients))
    record(
        actor=membership.user,
        action="inbox.settings_update",
        target=settings,
        workspace=membership.workspace,
        before=before,
        after={**snapshot(settings, SETTINGS_FIELDS), "digest_recipients": sorted(recipients)},
    )
    return settings


# --- teams ----------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 100:
        raise _invalid(_("Give a name of 1 to 100 characters."), "invalid_name")
    return cleaned


@transaction.atomic
def do_save_team(
    membership: Membership, team: Team | None, *, name: str, member_ids: Iterable[int]
) -> Team:
    require(membership, Perm.TRIAGE_INBOX)
    members = set(member_ids)
    if not members <= _member_ids(membership):
        raise _invalid(_("Team members must be members of the workspace."), "not_members")
    before = None
    if team is None:
        team = Team(workspace=membership.workspace)
    else:
        before = {"name": team.name, "members": sorted(team.members.values_list("pk", flat=True))}
    team.name = _clean_name(name)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise _invalid(_("A team of this name exists already."), "duplicate_name") from None
    team.members.set(sorted(members))
    record(
        actor=membership.user,
        action="inbox.team_create" if before is None else "inbox.team_update",
        target=team,
        workspace=membership.workspace,
        before=before,
        after={"name": team.name, "members": sorted(members)},
    )
    return team


@transaction.atomic
def do_delete_team(membership: Membership, team: Team) -> None:
    require(membership, Perm.TRIAGE_INBOX)
    record(
        actor=membership.user,
        action="inbox.team_delete",
        target=team,
        workspace=membership.workspace,
        before={"name": team.name},
    )
    team.delete()


# --- departments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedDepartment:
    department: Department
    # The webhook secret, shown once when it is made; empty otherwise.
    new_secret: str = ""


def _department_view(department: Department) -> dict[str, Any]:
    return {
        "name": department.name,
        "email": department.email,
        "webhook_url": masked(department.webhook_url),
    }


@transaction.atomic
def do_save_department(
    membership: Membership,
    department: Department | None,
    *,
    name: str,
    email: str,
    webhook_url: str,
    new_secret: bool = False,
) -> SavedDepartment:
    """A new webhook address (or `new_secret`) gets a new secret, returned once."""
    require(membership, Perm.TRIAGE_INBOX)
    email, webhook_url = email.strip(), webhook_url.strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise _invalid(_("Enter a valid e-mail address."), "invalid_email") from None
    if webhook_url:
        try:
            URLValidator(schemes=["https", "http"])(webhook_url)
        except ValidationError:
            raise _invalid(_("Enter a valid http(s) address."), "invalid_webhook") from None
        if len(webhook_url) > 500:
            raise _invalid(_("The webhook address is too long."), "invalid_webhook")
    before = None
    if department is None:
        department = Department(workspace=membership.workspace)
    else:
        before = _department_view(department)
    address_changed = webhook_url and webhook_url != department.webhook_url
    department.name = _clean_name(name)
    department.email = email
    department.webhook_url = webhook_url
    secret = ""
    if webhook_url and (address_changed or new_secret or not department.webhook_secret_encrypted):
        secret = generate_secret()
        department.webhook_secret_encrypted = seal_secret(secret)
    if not webhook_url:
        department.webhook_secret_encrypted = ""
    try:
        with transaction.atomic():
            department.save()
    except IntegrityError:
        raise _invalid(_("A department of this name exists already."), "duplicate_name") from None
    after = {**_department_view(department), "new_secret": bool(secret)}
    record(
        actor=membership.user,
        action="inbox.department_create" if before is None else "inbox.department_update",
        target=department,
        workspace=membership.workspace,
        before=before,
        after=after,
    )
    return SavedDepartment(department, secret)


@transaction.atomic
def do_delete_department(membership: Membership, department: Department) -> None:
    require(membership, Perm.TRIAGE_INBOX)
    record(
        actor=membership.user,
        action="inbox.department_delete",
        target=department,
        workspace=membership.workspace,
        before=_department_view(department),
    )
    department.delete()


# --- rules ----------------------------------------------------------------------------------


def _id(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not an id")
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError("not an id")
    return number


def clean_actions(membership: Membership, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A rule's actions with every id checked against the workspace."""
    workspace = membership.workspace
    actions: dict[str, Any] = {}
    known = {
        "assign_user",
        "assign_team",
        "assign_mode",
        "labels",
        "priority",
        "hide",
        "delete",
        "forward_department",
    }
    unknown = set(raw) - known
    if unknown:
        raise _invalid(_("Unknown action: %(name)s") % {"name": sorted(unknown)[0]}, "action")
    user, team = raw.get("assign_user"), raw.get("assign_team")
    if user and team:
        raise _invalid(_("Assign to a person or to a team, not both."), "assign_both")
    if user:
        if _id(user) not in _member_ids(membership):
            raise _invalid(_("Assign only to members of the workspace."), "assign_user")
        actions["assign_user"] = _id(user)
    if team:
        if not Team.objects.filter(workspace=workspace, pk=_id(team)).exists():
            raise _invalid(_("Choose a team of this workspace."), "assign_team")
        actions["assign_team"] = _id(team)
        mode = raw.get("assign_mode") or "round_robin"
        if mode not in ASSIGN_MODES:
            raise _invalid(_("Choose round robin or open load."), "assign_mode")
        actions["assign_mode"] = mode
    labels = raw.get("labels") or []
    if isinstance(labels, str):
        labels = labels.split(",")
    labels = list(dict.fromkeys(str(label).strip() for label in labels if str(label).strip()))
    if len(labels) > 20 or any(len(label) > 50 for label in labels):
        raise _invalid(_("At most 20 labels of up to 50 characters."), "labels")
    if labels:
        actions["labels"] = labels
    priority = raw.get("priority")
    if priority not in (None, ""):
        if isinstance(priority, bool) or int(priority) not in Priority.values:
            raise _invalid(_("Choose a priority: normal, high or urgent."), "priority")
        actions["priority"] = int(priority)
    for flag in ("hide", "delete"):
        if raw.get(flag) is True:
            actions[flag] = True
    department = raw.get("forward_department")
    if department:
        if not Department.objects.filter(workspace=workspace, pk=_id(department)).exists():
            raise _invalid(_("Choose a department of this workspace."), "forward_department")
        actions["forward_department"] = _id(department)
    return actions


def _sla_minutes(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not 1 <= int(value) <= MAX_SLA_MINUTES:
        raise _invalid(_("SLA targets are 1 minute to 365 days."), "sla")
    return int(value)


@dataclass(frozen=True)
class RuleInput:
    name: str
    conditions: Mapping[str, Any]
    actions: Mapping[str, Any]
    active: bool = True
    stop_after: bool = False
    first_response_minutes: int | None = None
    resolution_minutes: int | None = None


@transaction.atomic
def do_save_rule(membership: Membership, rule: Rule | None, data: RuleInput) -> Rule:
    require(membership, Perm.TRIAGE_INBOX)
    workspace = membership.workspace
    conditions, problems = clean_conditions(data.conditions)
    if problems:
        key, _code = problems[0]
        raise _invalid(_("This condition is not valid: %(name)s") % {"name": key}, "condition")
    try:
        actions = clean_actions(membership, data.actions)
    except (TypeError, ValueError):
        raise _invalid(_("An action is not valid."), "action") from None
    name = " ".join(data.name.split())
    if not name or len(name) > 120:
        raise _invalid(_("Give the rule a name of 1 to 120 characters."), "invalid_name")
    before = None
    if rule is None:
        if Rule.objects.filter(workspace=workspace).count() >= MAX_RULES:
            raise _invalid(_("A workspace has at most 200 rules."), "too_many_rules")
        last = Rule.objects.filter(workspace=workspace).aggregate(m=Max("position"))["m"]
        rule = Rule(workspace=workspace, position=0 if last is None else last + 1)
    else:
        before = snapshot(rule, RULE_FIELDS)
    rule.name = name
    rule.conditions = conditions
    rule.actions = actions
    rule.active = data.active
    rule.stop_after = data.stop_after
    rule.first_response_minutes = _sla_minutes(data.first_response_minutes)
    rule.resolution_minutes = _sla_minutes(data.resolution_minutes)
    rule.save()
    record(
        actor=membership.user,
        action="inbox.rule_create" if before is None else "inbox.rule_update",
        target=rule,
        workspace=workspace,
        before=before,
        after=snapshot(rule, RULE_FIELDS),
    )
    return rule


@transaction.atomic
def do_delete_rule(membership: Membership, rule: Rule) -> None:
    require(membership, Perm.TRIAGE_INBOX)
    record(
        actor=membership.user,
        action="inbox.rule_delete",
        target=rule,
        workspace=membership.workspace,
        before=snapshot(rule, RULE_FIELDS),
    )
    rule.delete()


@transaction.atomic
def do_reorder_rules(membership: Membership, rule_ids: Sequence[int]) -> list[Rule]:
    """The rules in the order given (every rule of the workspace exactly once)."""
    require(membership, Perm.TRIAGE_INBOX)
    rules = {
        r.pk: r for r in Rule.objects.select_for_update().filter(workspace=membership.workspace)
    }
    if sorted(rule_ids) != sorted(rules) or len(set(rule_ids)) != len(rule_ids):
        raise _invalid(_("Give every rule of the workspace once."), "invalid_order")
    before = [r.pk for r in sorted(rules.values(), key=lambda r: (r.position, r.pk))]
    for position, pk in enumerate(rule_ids):
        rules[pk].position = position
    Rule.objects.bulk_update(rules.values(), ["position"])
    record(
        actor=membership.user,
        action="inbox.rules_reorder",
        target=membership.workspace,
        workspace=membership.workspace,
        before={"order": before},
        after={"order": list(rule_ids)},
    )
    return [rules[pk] for pk in rule_ids]


def do_move_rule(membership: Membership, rule: Rule, step: int) -> list[Rule]:
    """One place up (-1) or down (+1)."""
    order = list(
        Rule.objects.filter(workspace=membership.workspace)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = order.index(rule.pk)
    target = min(max(index + step, 0), len(order) - 1)
    order.insert(target, order.pop(index))
    return do_reorder_rules(membership, order)


# --- forwarding by hand ---------------------------------------------------------------------


@transaction.atomic
def do_forward_conversation(
    membership: Membership, conversation: Conversation, department: Department, note: str = ""
) -> list[Forward]:
    require(membership, Perm.TRIAGE_INBOX)
    if department.workspace_id != conversation.workspace_id:
        raise _invalid(_("Choose a department of this workspace."), "forward_department")
    forwards = forward_conversation(
        conversation, department, by=membership.user, note=note.strip()[:2000]
    )
    for forward in forwards:
        record(
            actor=membership.user,
            action="inbox.forward",
            target=forward,
            workspace=membership.workspace,
            after={"department": department.name, "channel": forward.channel},
        )
    return forwards


# --- routing again after a failure ----------------------------------------------------------


@dataclass(frozen=True)
class RoutedAgain:
    # The messages whose rules ran this time, and those whose routing failed again.
    routed: int
    failed: int


@transaction.atomic
def do_route_again(membership: Membership, conversation: Conversation) -> RoutedAgain:
    """Run the rules again for each message of the conversation whose routing failed. Its
    failure record is replaced by what the rules did now, or by a new failure with its
    reason; a conversation whose rules ran is refused (routing twice would assign, forward
    and hide twice)."""
    require(membership, Perm.TRIAGE_INBOX)
    # Locked first, so that two people pressing the button route each message once.
    Conversation.objects.select_for_update().get(pk=conversation.pk)
    failures = list(
        RuleMatch.objects.filter(
            conversation=conversation, rule__isnull=True, rule_name=ROUTING_FAILED
        ).order_by("created_at", "id")
    )
    if not failures:
        raise ActionError(
            _("The rules have run for this conversation; there is nothing to route again."),
            code="routing_not_failed",
            status=409,
        )
    message_ids = list(dict.fromkeys(failure.message_id for failure in failures))
    messages = (
        Message.objects.filter(pk__in=message_ids)
        .select_related("account", "contact", "workspace")
        .order_by("created_at", "id")
    )
    RuleMatch.objects.filter(pk__in=[failure.pk for failure in failures]).delete()
    routing = load_routing(membership.workspace)
    routed = failed = 0
    for message in messages:
        try:
            route_message(routing, message)
        except Exception as error:
            logger.exception("routing message %s again failed", message.pk)
            record_failure(message, error)
            failed += 1
        else:
            routed += 1
    conversation.refresh_from_db()
    record(
        actor=membership.user,
        action="inbox.route_again",
        target=conversation,
        workspace=membership.workspace,
        before={"failed_messages": message_ids},
        after={"routed": routed, "failed": failed},
    )
    return RoutedAgain(routed=routed, failed=failed)
