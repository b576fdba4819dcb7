"""Inbox > Settings: general settings (business hours, retention, approvals of replies, the
storm alarm, the digest), teams, departments and the ordered routing rules. Everyone in the
workspace reads them; changing needs TRIAGE_INBOX (the actions check it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townsquare.inbox import routing_actions
from townsquare.inbox.access import (
    access_department,
    access_departments,
    access_rule,
    access_rules,
    access_team,
    access_teams,
)
from townsquare.inbox.forwarding import SECRET_PREFIX
from townsquare.inbox.models import Department, Rule, Team
from townsquare.inbox.routing import settings_of
from townsquare.inbox.routing_actions import RuleInput
from townsquare.inbox.rule_words import describe_rule, workspace_names
from townsquare.inbox.settings_forms import (
    DepartmentForm,
    InboxSettingsForm,
    RuleForm,
    TeamForm,
    rule_initial,
    spans_text,
)
from townsquare.inbox.sla import storm_state
from townsquare.lib.errors import ActionError
from townsquare.networks.catalog import network_label
from townsquare.networks.models import SocialAccount
from townsquare.notifications.webhooks import masked
from townsquare.workspaces.access import access_members
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

TEAM = {"team_id": access_team}
DEPARTMENT = {"department_id": access_department}
RULE = {"rule_id": access_rule}


def _can_edit(membership: Membership) -> bool:
    return has_perm(membership.role, Perm.TRIAGE_INBOX)


def _page(
    request: HttpRequest, membership: Membership, template: str, tab: str, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"inbox/settings/{template}",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "can_edit": _can_edit(membership),
            "inbox_tab": tab,
            **context,
        },
    )


def _members(membership: Membership) -> list[tuple[int, str]]:
    return [(m.user_id, m.user.name or m.user.email) for m in access_members(membership)]


def _slug(membership: Membership) -> str:
    return str(membership.workspace.slug)


@workspace_view(Perm.VIEW)
def general(request: HttpRequest, membership: Membership) -> HttpResponse:
    current = settings_of(membership.workspace)
    initial: dict[str, Any] = {
        "retention_days": current.retention_days,
        "replies_need_approval": current.replies_need_approval,
        "spike_factor": current.spike_factor,
        "digest_recipients": list(current.digest_recipients.values_list("pk", flat=True)),
    }
    for day, spans in (current.business_hours or {}).items():
        initial[f"hours_{day}"] = spans_text(spans)
    form = InboxSettingsForm(initial=initial, members=_members(membership))
    if request.method == "POST":
        form = InboxSettingsForm(request.POST, members=_members(membership))
        if form.is_valid():
            try:
                routing_actions.do_update_inbox_settings(
                    membership,
                    business_hours_raw=form.business_hours(),
                    retention_days=form.cleaned_data["retention_days"],
                    replies_need_approval=form.cleaned_data["replies_need_approval"],
                    spike_factor=form.cleaned_data["spike_factor"],
                    digest_recipient_ids=form.cleaned_data["digest_recipients"],
                )
            except ActionError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, _("Inbox settings saved."))
                return redirect("inbox_settings", workspace=_slug(membership))
    if not _can_edit(membership):
        for field in form.fields.values():
            field.disabled = True
    return _page(
        request,
        membership,
        "general.html",
        "general",
        form=form,
        storm=storm_state(membership.workspace),
        around_the_clock=not current.business_hours,
    )


# --- teams ----------------------------------------------------------------------------------


@workspace_view(Perm.VIEW)
def teams(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = TeamForm(members=_members(membership))
    if request.method == "POST":
        form = TeamForm(request.POST, members=_members(membership))
        if form.is_valid():
            try:
                routing_actions.do_save_team(
                    membership,
                    None,
                    name=form.cleaned_data["name"],
                    member_ids=form.cleaned_data["members"],
                )
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Team saved."))
                return redirect("inbox_settings_teams", workspace=_slug(membership))
    found = access_teams(membership).prefetch_related("members")
    return _page(request, membership, "teams.html", "teams", teams=found, form=form)


@workspace_view(Perm.VIEW, lookups=TEAM)
def team_edit(request: HttpRequest, membership: Membership, team_id: Team) -> HttpResponse:
    team = team_id
    initial = {"name": team.name, "members": list(team.members.values_list("pk", flat=True))}
    form = TeamForm(initial=initial, members=_members(membership))
    if request.method == "POST":
        form = TeamForm(request.POST, members=_members(membership))
        if form.is_valid():
            try:
                routing_actions.do_save_team(
                    membership,
                    team,
                    name=form.cleaned_data["name"],
                    member_ids=form.cleaned_data["members"],
                )
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Team saved."))
                return redirect("inbox_settings_teams", workspace=_slug(membership))
    return _page(request, membership, "team_edit.html", "teams", team=team, form=form)


@workspace_view(Perm.VIEW, methods=("POST",), lookups=TEAM)
def team_delete(request: HttpRequest, membership: Membership, team_id: Team) -> HttpResponse:
    routing_actions.do_delete_team(membership, team_id)
    messages.success(request, _("Team deleted."))
    return redirect("inbox_settings_teams", workspace=_slug(membership))


# --- departments ----------------------------------------------------------------------------


def _save_department(
    request: HttpRequest, membership: Membership, department: Department | None
) -> HttpResponse | None:
    """The answer after a valid save (the page showing a new secret once), else None with
    the form's errors set."""
    form = DepartmentForm(request.POST)
    request.department_form = form  # type: ignore[attr-defined]
    if not form.is_valid():
        return None
    url = form.cleaned_data["webhook_url"].strip()
    if department is not None and url and url == masked(department.webhook_url):
        url = department.webhook_url  # the masked address shown, sent back unchanged
    try:
        saved = routing_actions.do_save_department(
            membership,
            department,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            webhook_url=url,
            new_secret=form.cleaned_data["new_secret"],
        )
    except ActionError as error:
        form.add_error(None, error.message)
        return None
    if saved.new_secret:
        # Shown once, on this page, never stored readable nor put into a redirect.
        return _page(
            request,
            membership,
            "department_secret.html",
            "departments",
            department=saved.department,
            secret=saved.new_secret,
        )
    messages.success(request, _("Department saved."))
    return redirect("inbox_settings_departments", workspace=_slug(membership))


def _department_rows(membership: Membership) -> list[dict[str, Any]]:
    return [
        {"department": d, "webhook": masked(d.webhook_url)} for d in access_departments(membership)
    ]


@workspace_view(Perm.VIEW)
def departments(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = DepartmentForm()
    if request.method == "POST":
        answer = _save_department(request, membership, None)
        if answer is not None:
            return answer
        form = request.department_form  # type: ignore[attr-defined]
    return _page(
        request,
        membership,
        "departments.html",
        "departments",
        rows=_department_rows(membership),
        form=form,
        secret_prefix=SECRET_PREFIX,
    )


@workspace_view(Perm.VIEW, lookups=DEPARTMENT)
def department_edit(
    request: HttpRequest, membership: Membership, department_id: Department
) -> HttpResponse:
    department = department_id
    form = DepartmentForm(
        initial={
            "name": department.name,
            "email": department.email,
            "webhook_url": masked(department.webhook_url),
        }
    )
    if request.method == "POST":
        answer = _save_department(request, membership, department)
        if answer is not None:
            return answer
        form = request.department_form  # type: ignore[attr-defined]
    return _page(
        request, membership, "department_edit.html", "departments", department=department, form=form
    )


@workspace_view(Perm.VIEW, methods=("POST",), lookups=DEPARTMENT)
def department_delete(
    request: HttpRequest, membership: Membership, department_id: Department
) -> HttpResponse:
    routing_actions.do_delete_department(membership, department_id)
    messages.success(request, _("Department deleted."))
    return redirect("inbox_settings_departments", workspace=_slug(membership))


# --- rules ----------------------------------------------------------------------------------


@workspace_view(Perm.VIEW, methods=("GET",))
def rules(request: HttpRequest, membership: Membership) -> HttpResponse:
    names = workspace_names(membership.workspace)
    rows = [
        {"rule": rule, "words": describe_rule(rule, names)}
        for rule in access_rules(membership).order_by("position", "id")
    ]
    return _page(request, membership, "rules.html", "rules", rows=rows)


def _rule_form(membership: Membership, *args: Any, **kwargs: Any) -> RuleForm:
    workspace = membership.workspace
    accounts = SocialAccount.objects.filter(workspace=workspace).order_by("network", "handle")
    return RuleForm(
        *args,
        members=_members(membership),
        teams=list(access_teams(membership).values_list("pk", "name")),
        departments=list(access_departments(membership).values_list("pk", "name")),
        accounts=[(a.pk, f"{a.handle} ({network_label(a.network)})") for a in accounts],
        networks=sorted({a.network for a in accounts}),
        **kwargs,
    )


def _rule_form_page(
    request: HttpRequest, membership: Membership, rule: Rule | None
) -> HttpResponse:
    initial = rule_initial(rule) if rule is not None else {"active": True}
    form = _rule_form(membership, initial=initial)
    if request.method == "POST":
        form = _rule_form(membership, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                routing_actions.do_save_rule(
                    membership,
                    rule,
                    RuleInput(
                        name=data["name"],
                        conditions=form.conditions(),
                        actions=form.actions(),
                        active=data["active"],
                        stop_after=data["stop_after"],
                        first_response_minutes=data["first_response_minutes"],
                        resolution_minutes=data["resolution_minutes"],
                    ),
                )
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("inbox_settings_rules", workspace=_slug(membership))
    if not _can_edit(membership):
        for field in form.fields.values():
            field.disabled = True
    return _page(request, membership, "rule_edit.html", "rules", rule=rule, form=form)


@workspace_view(Perm.VIEW)
def rule_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _rule_form_page(request, membership, None)


@workspace_view(Perm.VIEW, lookups=RULE)
def rule_edit(request: HttpRequest, membership: Membership, rule_id: Rule) -> HttpResponse:
    return _rule_form_page(request, membership, rule_id)


@workspace_view(Perm.VIEW, methods=("POST",), lookups=RULE)
def rule_move(request: HttpRequest, membership: Membership, rule_id: Rule) -> HttpResponse:
    step = -1 if request.POST.get("direction") == "up" else 1
    routing_actions.do_move_rule(membership, rule_id, step)
    return redirect("inbox_settings_rules", workspace=_slug(membership))


@workspace_view(Perm.VIEW, methods=("POST",), lookups=RULE)
def rule_delete(request: HttpRequest, membership: Membership, rule_id: Rule) -> HttpResponse:
    routing_actions.do_delete_rule(membership, rule_id)
    messages.success(request, _("Rule deleted."))
    return redirect("inbox_settings_rules", workspace=_slug(membership))
