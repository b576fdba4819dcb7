"""The plan's pages: the overview, a form per section, campaigns and the version history.

Everyone in the workspace may read the plan; owners and managers (the plan permission)
change it. Every form goes through the actions, so a refused value is explained on the
form and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from townsquare.content.profiles import RECOMMENDED_HASHTAGS
from townsquare.lib.errors import ActionError
from townsquare.planning import actions
from townsquare.planning.access import (
    access_audience,
    access_campaign,
    access_campaigns,
    access_goal,
    access_network_entry,
    access_pillar,
    access_version,
    campaign_plan,
    workspace_plan,
)
from townsquare.planning.diff import diff_plans
from townsquare.planning.forms import (
    WORKSPACE_DEFAULT,
    AudienceForm,
    CampaignForm,
    GoalForm,
    NetworkForm,
    OverviewForm,
    PillarForm,
    ToneForm,
    hashtag_field_name,
)
from townsquare.planning.models import Campaign, Plan, PlanVersion
from townsquare.planning.names import network_names
from townsquare.planning.presenting import plan_view
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

EDIT = Perm.EDIT_PLAN


def _can_edit(membership: Membership) -> bool:
    return has_perm(membership.role, EDIT)


def _context(membership: Membership, **extra: Any) -> dict[str, Any]:
    return {
        "membership": membership,
        "workspace": membership.workspace,
        "can_edit": _can_edit(membership),
        **extra,
    }


def _plan_url(membership: Membership, plan: Plan) -> str:
    if plan.campaign_id is not None:
        return reverse(
            "plan_campaign",
            kwargs={"workspace": membership.workspace.slug, "campaign_id": plan.campaign_id},
        )
    return reverse("workspace_plan", kwargs={"workspace": membership.workspace.slug})


def _plan_of(membership: Membership, campaign: Any = None) -> tuple[Plan, Campaign | None]:
    """The workspace's plan, or the plan of a campaign the page's lookup already found."""
    if campaign is None:
        return workspace_plan(membership.workspace), None
    return campaign_plan(campaign), campaign


def _pair(
    view: Callable[..., HttpResponse],
    perm: Perm = Perm.VIEW,
    methods: tuple[str, ...] = ("GET", "POST"),
) -> tuple[Callable[..., HttpResponse], Callable[..., HttpResponse]]:
    """One page for the workspace's plan and one for a campaign's plan (the campaign looked
    up before the method is checked)."""
    return (
        workspace_view(perm, methods)(view),
        workspace_view(perm, methods, lookups={"campaign_id": access_campaign})(view),
    )


def _form_page(
    request: HttpRequest,
    membership: Membership,
    *,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    title: str,
    back: str,
    done: str,
    template: str = "planning/form.html",
    delete_url: str | None = None,
    **extra: Any,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.values())
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect(back)
    return render(
        request,
        template,
        _context(membership, form=form, title=title, back=back, delete_url=delete_url, **extra),
        status=200,
    )


@workspace_view(methods=("GET",))
def overview(request: HttpRequest, membership: Membership) -> HttpResponse:
    plan = workspace_plan(membership.workspace)
    return render(
        request,
        "planning/overview.html",
        _context(
            membership,
            plan=plan,
            view=plan_view(plan),
            campaigns=list(access_campaigns(membership).order_by("starts_on", "name")),
        ),
    )


def _edit_overview(
    request: HttpRequest, membership: Membership, campaign_id: Any = None
) -> HttpResponse:
    plan, campaign = _plan_of(membership, campaign_id)
    form = OverviewForm(
        request.POST or None, initial={"summary": plan.summary, "time_zone": plan.time_zone}
    )
    return _form_page(
        request,
        membership,
        form=form,
        save=lambda v: actions.do_save_overview(membership, plan, **v),
        title=_("What the plan is for"),
        back=_plan_url(membership, plan),
        done=_("The plan is saved."),
        campaign=campaign,
    )


def _tone(request: HttpRequest, membership: Membership, campaign_id: Any = None) -> HttpResponse:
    """The plan's tone (the former style settings): readable by all, changed by few."""
    plan, campaign = _plan_of(membership, campaign_id)
    can_edit = _can_edit(membership)
    if request.method == "POST" and not can_edit:
        require(membership, EDIT)
    initial = ToneForm.initial_for(plan)
    if campaign is None and initial["max_emoji"] is None:
        initial["max_emoji"] = 3
    form = ToneForm(
        request.POST or None,
        initial=initial,
        inherit=WORKSPACE_DEFAULT if campaign is not None else None,
    )
    for key, count in RECOMMENDED_HASHTAGS.items():
        form.fields[hashtag_field_name(key)].widget.attrs["placeholder"] = str(count)
    if not can_edit:
        for form_field in form.fields.values():
            form_field.disabled = True
    return _form_page(
        request,
        membership,
        form=form,
        save=lambda v: actions.do_save_tone(membership, plan, v),
        title=_("Tone"),
        back=_plan_url(membership, plan),
        done=_("The tone is saved. New and changed posts follow it."),
        template="planning/tone.html",
        campaign=campaign,
    )


def _network_add(
    request: HttpRequest, membership: Membership, campaign_id: Any = None
) -> HttpResponse:
    plan, campaign = _plan_of(membership, campaign_id)
    form = NetworkForm(request.POST or None)
    return _form_page(
        request,
        membership,
        form=form,
        save=lambda v: actions.do_save_network(membership, plan, v),
        title=_("Add a network to the plan"),
        back=_plan_url(membership, plan),
        done=_("The network is in the plan."),
        template="planning/network_form.html",
        campaign=campaign,
    )


@workspace_view(EDIT, lookups={"entry_id": access_network_entry})
def network_edit(request: HttpRequest, membership: Membership, entry_id: Any) -> HttpResponse:
    entry = entry_id
    form = NetworkForm(request.POST or None, initial=NetworkForm.initial_for(entry))
    return _form_page(
        request,
        membership,
        form=form,
        save=lambda v: actions.do_save_network(membership, entry.plan, v, entry),
        title=_("Network in the plan"),
        back=_plan_url(membership, entry.plan),
        done=_("The network's entry is saved."),
        template="planning/network_form.html",
        campaign=entry.plan.campaign,
        delete_url=reverse(
            "plan_network_remove",
            kwargs={"workspace": membership.workspace.slug, "entry_id": entry.pk},
        ),
        delete_label=_("Remove from the plan"),
    )


def _delete_view(
    name: str,
    lookup: Callable[[Membership, Any], Any],
    remove: Callable[[Membership, Any], None],
    done: Any,
    back: Callable[[Membership, Any], str],
) -> Callable[..., HttpResponse]:
    """A POST that removes one object of the plan, then back to where it was listed."""

    @workspace_view(EDIT, methods=("POST",), lookups={name: lookup})
    def view(request: HttpRequest, membership: Membership, **kwargs: Any) -> HttpResponse:
        found = kwargs[name]
        url = back(membership, found)
        try:
            remove(membership, found)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return redirect(url)

    return view


def _back_to_plan_of_entry(membership: Membership, obj: Any) -> str:
    return _plan_url(membership, obj.plan)


def _back_to_plan(membership: Membership, obj: Any) -> str:
    return reverse("workspace_plan", kwargs={"workspace": membership.workspace.slug})


def _back_to_campaigns(membership: Membership, obj: Any) -> str:
    return reverse("plan_campaigns", kwargs={"workspace": membership.workspace.slug})


network_remove = _delete_view(
    "entry_id",
    access_network_entry,
    actions.do_remove_network,
    gettext_lazy("The network is no longer in the plan."),
    _back_to_plan_of_entry,
)
goal_delete = _delete_view(
    "goal_id",
    access_goal,
    actions.do_delete_goal,
    gettext_lazy("The goal is deleted."),
    _back_to_plan_of_entry,
)
pillar_delete = _delete_view(
    "pillar_id",
    access_pillar,
    actions.do_delete_pillar,
    gettext_lazy("The pillar is deleted."),
    _back_to_plan,
)
audience_delete = _delete_view(
    "audience_id",
    access_audience,
    actions.do_delete_audience,
    gettext_lazy("The audience is deleted."),
    _back_to_plan,
)
campaign_delete = _delete_view(
    "campaign_id",
    access_campaign,
    actions.do_delete_campaign,
    gettext_lazy("The campaign is deleted."),
    _back_to_campaigns,
)


def _goal_add(
    request: HttpRequest, membership: Membership, campaign_id: Any = None
) -> HttpResponse:
    plan, campaign = _plan_of(membership, campaign_id)
    return _form_page(
        request,
        membership,
        form=GoalForm(request.POST or None),
        save=lambda v: actions.do_save_goal(membership, plan, v),
        title=_("Add a goal"),
        back=_plan_url(membership, plan),
        done=_("The goal is saved."),
        campaign=campaign,
    )


@workspace_view(EDIT, lookups={"goal_id": access_goal})
def goal_edit(request: HttpRequest, membership: Membership, goal_id: Any) -> HttpResponse:
    goal = goal_id
    return _form_page(
        request,
        membership,
        form=GoalForm(request.POST or None, initial=GoalForm.initial_for(goal)),
        save=lambda v: actions.do_save_goal(membership, goal.plan, v, goal),
        title=_("Goal"),
        back=_plan_url(membership, goal.plan),
        done=_("The goal is saved."),
        campaign=goal.plan.campaign,
        delete_url=reverse(
            "plan_goal_delete",
            kwargs={"workspace": membership.workspace.slug, "goal_id": goal.pk},
        ),
        delete_label=_("Delete the goal"),
    )


@workspace_view(EDIT)
def pillar_add(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _form_page(
        request,
        membership,
        form=PillarForm(request.POST or None),
        save=lambda v: actions.do_save_pillar(membership, v),
        title=_("Add a content pillar"),
        back=_back_to_plan(membership, None),
        done=_("The pillar is saved."),
    )


@workspace_view(EDIT, lookups={"pillar_id": access_pillar})
def pillar_edit(request: HttpRequest, membership: Membership, pillar_id: Any) -> HttpResponse:
    pillar = pillar_id
    return _form_page(
        request,
        membership,
        form=PillarForm(request.POST or None, initial=PillarForm.initial_for(pillar)),
        save=lambda v: actions.do_save_pillar(membership, v, pillar),
        title=_("Content pillar"),
        back=_back_to_plan(membership, None),
        done=_("The pillar is saved."),
        delete_url=reverse(
            "plan_pillar_delete",
            kwargs={"workspace": membership.workspace.slug, "pillar_id": pillar.pk},
        ),
        delete_label=_("Delete the pillar (its posts keep their text)"),
    )


@workspace_view(EDIT)
def audience_add(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _form_page(
        request,
        membership,
        form=AudienceForm(request.POST or None),
        save=lambda v: actions.do_save_audience(membership, v),
        title=_("Add an audience"),
        back=_back_to_plan(membership, None),
        done=_("The audience is saved."),
    )


@workspace_view(EDIT, lookups={"audience_id": access_audience})
def audience_edit(request: HttpRequest, membership: Membership, audience_id: Any) -> HttpResponse:
    audience = audience_id
    return _form_page(
        request,
        membership,
        form=AudienceForm(request.POST or None, initial=AudienceForm.initial_for(audience)),
        save=lambda v: actions.do_save_audience(membership, v, audience),
        title=_("Audience"),
        back=_back_to_plan(membership, None),
        done=_("The audience is saved."),
        delete_url=reverse(
            "plan_audience_delete",
            kwargs={"workspace": membership.workspace.slug, "audience_id": audience.pk},
        ),
        delete_label=_("Delete the audience"),
    )


@workspace_view()
def campaigns(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = None
    if _can_edit(membership):
        form = CampaignForm(request.POST or None)
    elif request.method == "POST":
        require(membership, EDIT)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            campaign = actions.do_save_campaign(membership, form.values())
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect(
                "plan_campaign", workspace=membership.workspace.slug, campaign_id=campaign.pk
            )
    return render(
        request,
        "planning/campaigns.html",
        _context(
            membership,
            campaigns=list(access_campaigns(membership).order_by("-starts_on", "name")),
            form=form,
        ),
    )


@workspace_view(methods=("GET",), lookups={"campaign_id": access_campaign})
def campaign(request: HttpRequest, membership: Membership, campaign_id: Any) -> HttpResponse:
    found: Campaign = campaign_id
    plan = campaign_plan(found)
    return render(
        request,
        "planning/campaign.html",
        _context(
            membership,
            campaign=found,
            plan=plan,
            view=plan_view(plan),
            base=plan_view(workspace_plan(membership.workspace)),
        ),
    )


@workspace_view(EDIT, lookups={"campaign_id": access_campaign})
def campaign_edit(request: HttpRequest, membership: Membership, campaign_id: Any) -> HttpResponse:
    found: Campaign = campaign_id
    return _form_page(
        request,
        membership,
        form=CampaignForm(request.POST or None, initial=CampaignForm.initial_for(found)),
        save=lambda v: actions.do_save_campaign(membership, v, found),
        title=_("Campaign"),
        back=reverse(
            "plan_campaign",
            kwargs={"workspace": membership.workspace.slug, "campaign_id": found.pk},
        ),
        done=_("The campaign is saved."),
        delete_url=reverse(
            "plan_campaign_delete",
            kwargs={"workspace": membership.workspace.slug, "campaign_id": found.pk},
        ),
        delete_label=_("Delete the campaign (its posts stay, without a campaign)"),
    )


def _versions(membership: Membership, plan: Plan) -> list[dict[str, Any]]:
    """Each version with what changed since the one before, newest first."""
    names = network_names()
    language = (get_language() or "en")[:2]
    versions = list(
        PlanVersion.objects.filter(plan=plan).select_related("author").order_by("number")
    )
    rows = []
    previous: dict[str, Any] | None = None
    for version in versions:
        lines = diff_plans(previous, version.snapshot, names)
        rows.append(
            {
                "version": version,
                "changes": [line.message(language) for line in lines],
                "first": previous is None,
            }
        )
        previous = version.snapshot
    rows.reverse()
    return rows


def _history(request: HttpRequest, membership: Membership, campaign_id: Any = None) -> HttpResponse:
    plan, found = _plan_of(membership, campaign_id)
    return render(
        request,
        "planning/history.html",
        _context(
            membership,
            plan=plan,
            campaign=found,
            rows=_versions(membership, plan),
            back=_plan_url(membership, plan),
        ),
    )


@workspace_view(methods=("GET",), lookups={"version_id": access_version})
def version(request: HttpRequest, membership: Membership, version_id: Any) -> HttpResponse:
    found: PlanVersion = version_id
    previous = (
        PlanVersion.objects.filter(plan=found.plan, number__lt=found.number)
        .order_by("-number")
        .first()
    )
    language = (get_language() or "en")[:2]
    lines = diff_plans(previous.snapshot if previous else None, found.snapshot, network_names())
    return render(
        request,
        "planning/version.html",
        _context(
            membership,
            version=found,
            previous=previous,
            changes=[line.message(language) for line in lines],
            campaign=found.plan.campaign,
            back=reverse(
                "plan_campaign_history",
                kwargs={
                    "workspace": membership.workspace.slug,
                    "campaign_id": found.plan.campaign_id,
                },
            )
            if found.plan.campaign_id
            else reverse("plan_history", kwargs={"workspace": membership.workspace.slug}),
        ),
    )


edit_overview, campaign_edit_overview = _pair(_edit_overview, EDIT)
tone, campaign_tone = _pair(_tone)
network_add, campaign_network_add = _pair(_network_add, EDIT)
goal_add, campaign_goal_add = _pair(_goal_add, EDIT)
history, campaign_history = _pair(_history, methods=("GET",))
