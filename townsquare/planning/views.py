"""The plan's pages: the overview, a form per section, campaigns and the version history.

Everyone in the workspace may read the plan; owners and managers (the plan permission)
change it. Every form goes through the actions, so a refused value is explained on the
form and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
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
        request.POST or None,
        initial={"summary": plan.summary, "time_zone": plan.time_zone, "starts_on": plan.starts_on},
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


@dataclass(frozen=True)
class ItemPages:
    """The pages of one kind of thing a plan lists: its form, its lookup, and where each
    page leads back to."""

    param: str  # the URL's name for the object's id
    lookup: Callable[[Membership, Any], Any]
    form: Any
    save: Callable[[Membership, Any, dict[str, Any]], Any]  # (membership, found, values)
    title: Promise
    done: Promise
    deleted: Promise
    delete_url: str
    delete_label: Promise
    back: Callable[[Membership, Any], str]
    back_after_delete: Callable[[Membership, Any], str]
    remove: Callable[[Membership, Any], None]
    # Adding one: to a plan (networks, goals) or to the workspace (None: not on a page
    # of its own; campaigns are added on the list of campaigns).
    create: Callable[[Membership, Plan, dict[str, Any]], Any] | None = None
    add_title: Promise | None = None
    added: Promise | None = None  # the message after adding, when it differs from `done`
    template: str = "planning/form.html"
    of_plan: bool = False  # the page names the campaign whose plan it is


def _back_to_plan_of_entry(membership: Membership, obj: Any) -> str:
    return _plan_url(membership, obj.plan)


def _back_to_plan(membership: Membership, obj: Any) -> str:
    return reverse("workspace_plan", kwargs={"workspace": membership.workspace.slug})


def _back_to_campaigns(membership: Membership, obj: Any) -> str:
    return reverse("plan_campaigns", kwargs={"workspace": membership.workspace.slug})


def _back_to_campaign(membership: Membership, obj: Any) -> str:
    return reverse(
        "plan_campaign", kwargs={"workspace": membership.workspace.slug, "campaign_id": obj.pk}
    )


def _listed_pages(
    param: str,
    lookup: Callable[[Membership, Any], Any],
    form: Any,
    save: Callable[..., Any],
    remove: Callable[[Membership, Any], None],
    *,
    of_one_plan: bool,
    delete_url: str,
    title: Promise,
    add_title: Promise,
    done: Promise,
    deleted: Promise,
    delete_label: Promise,
    added: Promise | None = None,
    template: str = "planning/form.html",
) -> ItemPages:
    """The pages of what a plan lists and is added on its page. `of_one_plan`: an entry of
    one plan, the workspace's or a campaign's (networks, goals), saved by `save(membership,
    plan, values[, found])`; otherwise what the workspace keeps once for all its plans
    (pillars, audiences), saved by `save(membership, values[, found])`."""
    if of_one_plan:
        back = _back_to_plan_of_entry

        def saved(m: Membership, found: Any, values: dict[str, Any]) -> Any:
            return save(m, found.plan, values, found)

        def created(m: Membership, plan: Plan, values: dict[str, Any]) -> Any:
            return save(m, plan, values)
    else:
        back = _back_to_plan

        def saved(m: Membership, found: Any, values: dict[str, Any]) -> Any:
            return save(m, values, found)

        def created(m: Membership, plan: Plan, values: dict[str, Any]) -> Any:
            return save(m, values)

    return ItemPages(
        param=param,
        lookup=lookup,
        form=form,
        save=saved,
        create=created,
        title=title,
        add_title=add_title,
        done=done,
        added=added,
        deleted=deleted,
        delete_url=delete_url,
        delete_label=delete_label,
        back=back,
        back_after_delete=back,
        remove=remove,
        template=template,
        of_plan=of_one_plan,
    )


NETWORK_PAGES = _listed_pages(
    "entry_id",
    access_network_entry,
    NetworkForm,
    actions.do_save_network,
    actions.do_remove_network,
    of_one_plan=True,
    delete_url="plan_network_remove",
    title=gettext_lazy("Network in the plan"),
    add_title=gettext_lazy("Add a network to the plan"),
    done=gettext_lazy("The network's entry is saved."),
    added=gettext_lazy("The network is in the plan."),
    deleted=gettext_lazy("The network is no longer in the plan."),
    delete_label=gettext_lazy("Remove from the plan"),
    template="planning/network_form.html",
)
GOAL_PAGES = _listed_pages(
    "goal_id",
    access_goal,
    GoalForm,
    actions.do_save_goal,
    actions.do_delete_goal,
    of_one_plan=True,
    delete_url="plan_goal_delete",
    title=gettext_lazy("Goal"),
    add_title=gettext_lazy("Add a goal"),
    done=gettext_lazy("The goal is saved."),
    deleted=gettext_lazy("The goal is deleted."),
    delete_label=gettext_lazy("Delete the goal"),
)
PILLAR_PAGES = _listed_pages(
    "pillar_id",
    access_pillar,
    PillarForm,
    actions.do_save_pillar,
    actions.do_delete_pillar,
    of_one_plan=False,
    delete_url="plan_pillar_delete",
    title=gettext_lazy("Content pillar"),
    add_title=gettext_lazy("Add a content pillar"),
    done=gettext_lazy("The pillar is saved."),
    deleted=gettext_lazy("The pillar is deleted."),
    delete_label=gettext_lazy("Delete the pillar (its posts keep their text)"),
)
AUDIENCE_PAGES = _listed_pages(
    "audience_id",
    access_audience,
    AudienceForm,
    actions.do_save_audience,
    actions.do_delete_audience,
    of_one_plan=False,
    delete_url="plan_audience_delete",
    title=gettext_lazy("Audience"),
    add_title=gettext_lazy("Add an audience"),
    done=gettext_lazy("The audience is saved."),
    deleted=gettext_lazy("The audience is deleted."),
    delete_label=gettext_lazy("Delete the audience"),
)
CAMPAIGN_PAGES = ItemPages(
    param="campaign_id",
    lookup=access_campaign,
    form=CampaignForm,
    save=lambda m, campaign, v: actions.do_save_campaign(m, v, campaign),
    title=gettext_lazy("Campaign"),
    done=gettext_lazy("The campaign is saved."),
    deleted=gettext_lazy("The campaign is deleted."),
    delete_url="plan_campaign_delete",
    delete_label=gettext_lazy("Delete the campaign (its posts stay, without a campaign)"),
    back=_back_to_campaign,
    back_after_delete=_back_to_campaigns,
    remove=actions.do_delete_campaign,
)


def _add_page(pages: ItemPages) -> Callable[..., HttpResponse]:
    """Adding one to the workspace's plan (or, paired, to a campaign's plan)."""
    create = pages.create
    assert create is not None and pages.add_title is not None

    def view(request: HttpRequest, membership: Membership, campaign_id: Any = None) -> HttpResponse:
        plan, campaign = _plan_of(membership, campaign_id)
        return _form_page(
            request,
            membership,
            form=pages.form(request.POST or None),
            save=lambda v: create(membership, plan, v),
            title=str(pages.add_title),
            back=_plan_url(membership, plan),
            done=str(pages.added or pages.done),
            template=pages.template,
            campaign=campaign,
        )

    return view


def _edit_page(pages: ItemPages) -> Callable[..., HttpResponse]:
    @workspace_view(EDIT, lookups={pages.param: pages.lookup})
    def view(request: HttpRequest, membership: Membership, **kwargs: Any) -> HttpResponse:
        found = kwargs[pages.param]
        extra = {"campaign": found.plan.campaign} if pages.of_plan else {}
        return _form_page(
            request,
            membership,
            form=pages.form(request.POST or None, initial=pages.form.initial_for(found)),
            save=lambda v: pages.save(membership, found, v),
            title=str(pages.title),
            back=pages.back(membership, found),
            done=str(pages.done),
            template=pages.template,
            delete_url=reverse(
                pages.delete_url,
                kwargs={"workspace": membership.workspace.slug, pages.param: found.pk},
            ),
            delete_label=pages.delete_label,
            **extra,
        )

    return view


def _delete_view(pages: ItemPages) -> Callable[..., HttpResponse]:
    """A POST that removes one object of the plan, then back to where it was listed."""

    @workspace_view(EDIT, methods=("POST",), lookups={pages.param: pages.lookup})
    def view(request: HttpRequest, membership: Membership, **kwargs: Any) -> HttpResponse:
        found = kwargs[pages.param]
        url = pages.back_after_delete(membership, found)
        try:
            pages.remove(membership, found)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, pages.deleted)
        return redirect(url)

    return view


network_edit = _edit_page(NETWORK_PAGES)
network_remove = _delete_view(NETWORK_PAGES)
goal_edit = _edit_page(GOAL_PAGES)
goal_delete = _delete_view(GOAL_PAGES)
pillar_add = workspace_view(EDIT)(_add_page(PILLAR_PAGES))
pillar_edit = _edit_page(PILLAR_PAGES)
pillar_delete = _delete_view(PILLAR_PAGES)
audience_add = workspace_view(EDIT)(_add_page(AUDIENCE_PAGES))
audience_edit = _edit_page(AUDIENCE_PAGES)
audience_delete = _delete_view(AUDIENCE_PAGES)
campaign_edit = _edit_page(CAMPAIGN_PAGES)
campaign_delete = _delete_view(CAMPAIGN_PAGES)


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
network_add, campaign_network_add = _pair(_add_page(NETWORK_PAGES), EDIT)
goal_add, campaign_goal_add = _pair(_add_page(GOAL_PAGES), EDIT)
history, campaign_history = _pair(_history, methods=("GET",))
