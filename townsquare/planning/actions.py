"""Audited writes of the social media plan.

Every change needs the plan permission, runs in one transaction, is recorded in the audit
log and saves a new version of the plan it touches (pillars, audiences and campaigns belong
to the workspace's plan): the version keeps a snapshot of the whole plan, so any two
versions can be compared. Every value is checked here (clean.py), so the pages, the API
and `townsquare plan import` refuse the same input with the same message, and a refused
change saves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.lib.errors import ActionError
from townsquare.networks.catalog import network_label
from townsquare.planning import clean
from townsquare.planning.access import campaign_plan, workspace_plan
from townsquare.planning.models import (
    TONE_DEFAULTS,
    Audience,
    Campaign,
    Goal,
    NetworkPlan,
    Pillar,
    Plan,
    PlanVersion,
)
from townsquare.planning.snapshot import (
    audience_dict,
    campaign_dict,
    goal_dict,
    network_dict,
    pillar_dict,
    plan_snapshot,
    tone_dict,
)
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

EDIT_PLAN = Perm.EDIT_PLAN
MAX_NAME = 80
MAX_CAMPAIGN_NAME = 120


# Cleaning: raw values in (form, JSON body, file), values to store out.


def clean_tone(values: Mapping[str, Any], inherit: bool) -> dict[str, Any]:
    """The plan's own tone. `inherit`: a campaign's plan (or a network) may leave choices
    empty, so the plan above decides."""
    labels = {
        "address": _("Form of address"),
        "formality": _("Formality"),
        "emoji_policy": _("Emoji"),
        "hashtag_policy": _("Hashtags"),
    }
    cleaned: dict[str, Any] = {}
    for name, label in labels.items():
        default = "" if inherit else TONE_DEFAULTS[name]
        cleaned[name] = clean.choice(values.get(name, default) or default, name, label, inherit)
    max_emoji = values.get("max_emoji")
    if max_emoji is None and not inherit:
        max_emoji = TONE_DEFAULTS["max_emoji"]
    cleaned["max_emoji"] = clean.whole_number(
        max_emoji, _("At most this many emoji"), clean.MAX_EMOJI, allow_none=inherit
    )
    cleaned["call_to_action"] = clean.text(values.get("call_to_action"), _("Call to action"), 200)
    cleaned["avoid_words"] = clean.words(values.get("avoid_words") or [], _("Words to avoid"))
    cleaned["prefer_words"] = clean.words(values.get("prefer_words") or [], _("Words to prefer"))
    return cleaned


def clean_plan_tone(values: Mapping[str, Any], inherit: bool) -> dict[str, Any]:
    cleaned = clean_tone(values, inherit)
    cleaned["max_hashtags"] = clean.hashtag_caps(values.get("max_hashtags"))
    return cleaned


def clean_network(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {"network": clean.network(values.get("network"))}
    cleaned["rationale"] = clean.text(values.get("rationale"), _("Why this network"), 2000)
    cleaned.update(clean_tone(values, inherit=True))
    cleaned["max_hashtags"] = clean.whole_number(
        values.get("max_hashtags"), _("Hashtags at most"), clean.MAX_HASHTAGS, allow_none=True
    )
    cleaned["posts_per_week"] = clean.whole_number(
        values.get("posts_per_week", 0), _("Publications per week"), clean.MAX_POSTS_PER_WEEK
    )
    cleaned["preferred_days"] = clean.days(values.get("preferred_days", []))
    cleaned["preferred_times"] = clean.times(values.get("preferred_times", []))
    return cleaned


def clean_goal(values: Mapping[str, Any]) -> dict[str, Any]:
    metric = clean.metric(values.get("metric"))
    network = values.get("network") or ""
    cleaned: dict[str, Any] = {
        "metric": metric,
        "network": clean.network(network) if network else "",
        "target": clean.number(values.get("target"), _("Target")),
        "baseline": clean.number(values.get("baseline"), _("Starting point"), required=False),
        "starts_on": clean.date(values.get("starts_on"), _("From"), required=False),
        "due_on": clean.date(values.get("due_on"), _("By")),
        "note": clean.text(values.get("note"), _("Note"), 2000),
    }
    if metric == "engagement_rate" and cleaned["target"] > 100:
        raise ActionError(_("An engagement rate is at most 100 %."), code="invalid_number")
    if cleaned["starts_on"] and cleaned["starts_on"] > cleaned["due_on"]:
        raise ActionError(
            _("A goal's start (%(start)s) must not be after its date (%(due)s).")
            % {"start": cleaned["starts_on"], "due": cleaned["due_on"]},
            code="invalid_dates",
        )
    return cleaned


def clean_pillar(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": clean.text(values.get("name"), _("Name"), MAX_NAME, required=True),
        "description": clean.text(values.get("description"), _("Description"), 2000),
        "target_share": clean.whole_number(
            values.get("target_share", 0), _("Target share (%)"), 100
        ),
        "colour": clean.colour(values.get("colour")),
    }


def clean_audience(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": clean.text(values.get("name"), _("Name"), MAX_NAME, required=True),
        "who": clean.text(values.get("who"), _("Who they are"), 2000),
        "cares_about": clean.text(values.get("cares_about"), _("What they care about"), 2000),
        "networks": clean.networks(values.get("networks", [])),
    }


def clean_campaign(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {
        "name": clean.text(values.get("name"), _("Name"), MAX_CAMPAIGN_NAME, required=True),
        "description": clean.text(values.get("description"), _("Description"), 2000),
        "starts_on": clean.date(values.get("starts_on"), _("Starts on")),
        "ends_on": clean.date(values.get("ends_on"), _("Ends on")),
        "colour": clean.colour(values.get("colour")),
    }
    if cleaned["ends_on"] < cleaned["starts_on"]:
        raise ActionError(
            _("A campaign must not end (%(end)s) before it starts (%(start)s).")
            % {"end": cleaned["ends_on"], "start": cleaned["starts_on"]},
            code="invalid_dates",
        )
    return cleaned


def _check_shares(shares: Mapping[str, int]) -> None:
    total = sum(shares.values())
    if total > 100:
        raise ActionError(
            _("The pillars' target shares add up to %(total)s %%; at most 100 %% in all.")
            % {"total": total},
            code="shares_over_100",
        )


# Versions


def _locked(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("campaign", "workspace")
        .get(pk=plan.pk)
    )


def _new_version(membership: Membership, plan: Plan) -> PlanVersion:
    plan.version += 1
    plan.updated_by = membership.user
    plan.save()
    return PlanVersion.objects.create(
        plan=plan, number=plan.version, author=membership.user, snapshot=plan_snapshot(plan)
    )


def _audit(
    membership: Membership,
    action: str,
    target: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record(
        actor=membership.user,
        action=action,
        target=target,
        workspace=membership.workspace,
        before=before,
        after=after,
    )


def _own(membership: Membership, plan: Plan) -> Plan:
    require(membership, EDIT_PLAN)
    if plan.workspace_id != membership.workspace.pk:
        raise ActionError(_("This plan belongs to another workspace."), "not_found", 404)
    return _locked(plan)


# The plan's own sections


@transaction.atomic
def do_save_overview(
    membership: Membership, plan: Plan, *, summary: Any, time_zone: Any = ""
) -> Plan:
    plan = _own(membership, plan)
    values = {
        "summary": clean.text(summary, _("What the plan is for")),
        "time_zone": clean.time_zone(time_zone),
    }
    before = {name: getattr(plan, name) for name in values}
    for name, value in values.items():
        setattr(plan, name, value)
    _new_version(membership, plan)
    _audit(membership, "plan.update", plan, before, values)
    return plan


@transaction.atomic
def do_save_tone(membership: Membership, plan: Plan, values: Mapping[str, Any]) -> Plan:
    """The plan's tone for every network that has none of its own."""
    plan = _own(membership, plan)
    cleaned = clean_plan_tone(values, inherit=plan.campaign_id is not None)
    before = tone_dict(plan)
    for name, value in cleaned.items():
        setattr(plan, name, value)
    _new_version(membership, plan)
    _audit(membership, "plan.tone", plan, before, tone_dict(plan))
    return plan


@transaction.atomic
def do_save_network(
    membership: Membership,
    plan: Plan,
    values: Mapping[str, Any],
    entry: NetworkPlan | None = None,
) -> NetworkPlan:
    """Add a network to the plan, or change its entry (rationale, tone, cadence)."""
    plan = _own(membership, plan)
    cleaned = clean_network(values)
    taken = plan.networks.filter(network=cleaned["network"])
    if entry is not None:
        if entry.plan_id != plan.pk:
            raise ActionError(_("This network belongs to another plan."), "not_found", 404)
        taken = taken.exclude(pk=entry.pk)
    if taken.exists():
        raise ActionError(
            _("%(network)s is in the plan already; change its entry instead.")
            % {"network": network_label(cleaned["network"])},
            code="duplicate_network",
        )
    before = network_dict(entry) if entry is not None else None
    if entry is None:
        entry = NetworkPlan(plan=plan)
    for name, value in cleaned.items():
        setattr(entry, name, value)
    entry.save()
    _new_version(membership, plan)
    _audit(membership, "plan.network.save", entry, before, network_dict(entry))
    return entry


@transaction.atomic
def do_remove_network(membership: Membership, entry: NetworkPlan) -> None:
    plan = _own(membership, entry.plan)
    before = network_dict(entry)
    _audit(membership, "plan.network.remove", entry, before, None)
    entry.delete()
    _new_version(membership, plan)


@transaction.atomic
def do_save_goal(
    membership: Membership, plan: Plan, values: Mapping[str, Any], goal: Goal | None = None
) -> Goal:
    plan = _own(membership, plan)
    cleaned = clean_goal(values)
    if goal is not None and goal.plan_id != plan.pk:
        raise ActionError(_("This goal belongs to another plan."), "not_found", 404)
    before = goal_dict(goal) if goal is not None else None
    if goal is None:
        goal = Goal(plan=plan)
    for name, value in cleaned.items():
        setattr(goal, name, value)
    goal.save()
    _new_version(membership, plan)
    _audit(membership, "plan.goal.save", goal, before, goal_dict(goal))
    return goal


@transaction.atomic
def do_delete_goal(membership: Membership, goal: Goal) -> None:
    plan = _own(membership, goal.plan)
    _audit(membership, "plan.goal.delete", goal, goal_dict(goal), None)
    goal.delete()
    _new_version(membership, plan)


# What the workspace's plan covers: pillars, audiences, campaigns


def _workspace_plan_locked(membership: Membership) -> Plan:
    return _own(membership, workspace_plan(membership.workspace))


@transaction.atomic
def do_save_pillar(
    membership: Membership, values: Mapping[str, Any], pillar: Pillar | None = None
) -> Pillar:
    plan = _workspace_plan_locked(membership)
    cleaned = clean_pillar(values)
    others = Pillar.objects.select_for_update().filter(workspace=membership.workspace)
    if pillar is not None:
        if pillar.workspace_id != membership.workspace.pk:
            raise ActionError(_("This pillar belongs to another workspace."), "not_found", 404)
        others = others.exclude(pk=pillar.pk)
    others_list = list(others)
    clean.unique_name(cleaned["name"], (p.name for p in others_list))
    _check_shares({**{str(p.pk): p.target_share for p in others_list}, "": cleaned["target_share"]})
    before = pillar_dict(pillar) if pillar is not None else None
    if pillar is None:
        pillar = Pillar(workspace=membership.workspace)
    for name, value in cleaned.items():
        setattr(pillar, name, value)
    pillar.save()
    _new_version(membership, plan)
    _audit(membership, "plan.pillar.save", pillar, before, pillar_dict(pillar))
    return pillar


@transaction.atomic
def do_delete_pillar(membership: Membership, pillar: Pillar) -> None:
    """Posts of the pillar keep their text; they no longer name a pillar."""
    plan = _workspace_plan_locked(membership)
    _audit(membership, "plan.pillar.delete", pillar, pillar_dict(pillar), None)
    pillar.delete()
    _new_version(membership, plan)


@transaction.atomic
def do_save_audience(
    membership: Membership, values: Mapping[str, Any], audience: Audience | None = None
) -> Audience:
    plan = _workspace_plan_locked(membership)
    cleaned = clean_audience(values)
    others = Audience.objects.filter(workspace=membership.workspace)
    if audience is not None:
        if audience.workspace_id != membership.workspace.pk:
            raise ActionError(_("This audience belongs to another workspace."), "not_found", 404)
        others = others.exclude(pk=audience.pk)
    clean.unique_name(cleaned["name"], others.values_list("name", flat=True))
    before = audience_dict(audience) if audience is not None else None
    if audience is None:
        audience = Audience(workspace=membership.workspace)
    for name, value in cleaned.items():
        setattr(audience, name, value)
    audience.save()
    _new_version(membership, plan)
    _audit(membership, "plan.audience.save", audience, before, audience_dict(audience))
    return audience


@transaction.atomic
def do_delete_audience(membership: Membership, audience: Audience) -> None:
    plan = _workspace_plan_locked(membership)
    _audit(membership, "plan.audience.delete", audience, audience_dict(audience), None)
    audience.delete()
    _new_version(membership, plan)


@transaction.atomic
def do_save_campaign(
    membership: Membership, values: Mapping[str, Any], campaign: Campaign | None = None
) -> Campaign:
    plan = _workspace_plan_locked(membership)
    cleaned = clean_campaign(values)
    others = Campaign.objects.filter(workspace=membership.workspace)
    if campaign is not None:
        if campaign.workspace_id != membership.workspace.pk:
            raise ActionError(_("This campaign belongs to another workspace."), "not_found", 404)
        others = others.exclude(pk=campaign.pk)
    clean.unique_name(cleaned["name"], others.values_list("name", flat=True))
    before = campaign_dict(campaign) if campaign is not None else None
    if campaign is None:
        campaign = Campaign(workspace=membership.workspace)
    for name, value in cleaned.items():
        setattr(campaign, name, value)
    campaign.save()
    _new_version(membership, plan)
    _audit(membership, "plan.campaign.save", campaign, before, campaign_dict(campaign))
    return campaign


@transaction.atomic
def do_delete_campaign(membership: Membership, campaign: Campaign) -> None:
    """The campaign and its plan go; its posts stay and no longer name a campaign."""
    plan = _workspace_plan_locked(membership)
    _audit(membership, "plan.campaign.delete", campaign, campaign_dict(campaign), None)
    campaign.delete()
    _new_version(membership, plan)


# A whole plan at once: the API's PUT and `townsquare plan import`


def clean_plan(data: Any, campaign: bool) -> dict[str, Any]:
    """A plan's sections checked together; a section left out stays as it is."""
    if not isinstance(data, Mapping):
        raise ActionError(_("A plan is a JSON object."), code="invalid_plan")
    cleaned: dict[str, Any] = {}
    if "summary" in data:
        cleaned["summary"] = clean.text(data["summary"], _("What the plan is for"))
    if "time_zone" in data:
        cleaned["time_zone"] = clean.time_zone(data["time_zone"])
    if data.get("tone") is not None:
        if not isinstance(data["tone"], Mapping):
            raise ActionError(_("The tone is a JSON object."), code="invalid_plan")
        cleaned["tone"] = clean_plan_tone(data["tone"], inherit=campaign)
    for section, cleaner in (("networks", clean_network), ("goals", clean_goal)):
        if data.get(section) is None:
            continue
        items = _list(data[section], section)
        cleaned[section] = [
            _item(cleaner, item, section, index) for index, item in enumerate(items)
        ]
    keys = [entry["network"] for entry in cleaned.get("networks", [])]
    if len(keys) != len(set(keys)):
        raise ActionError(_("Each network may be in a plan once."), code="duplicate_network")
    if not campaign:
        for section, cleaner in (
            ("pillars", clean_pillar),
            ("audiences", clean_audience),
            ("campaigns", clean_campaign),
        ):
            if data.get(section) is None:
                continue
            items = _list(data[section], section)
            found = [_item(cleaner, item, section, index) for index, item in enumerate(items)]
            names = [item["name"].casefold() for item in found]
            if len(names) != len(set(names)):
                raise ActionError(
                    _("%(section)s: each name may appear once.") % {"section": section},
                    code="duplicate_name",
                )
            cleaned[section] = found
        if "pillars" in cleaned:
            _check_shares({p["name"]: p["target_share"] for p in cleaned["pillars"]})
    return cleaned


def _list(value: Any, section: str) -> list[Any]:
    if not isinstance(value, list):
        raise ActionError(
            _("%(section)s: give a list.") % {"section": section}, code="invalid_plan"
        )
    return value


def _item(cleaner: Any, item: Any, section: str, index: int) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise ActionError(
            _("%(section)s, entry %(number)s: give an object.")
            % {"section": section, "number": index + 1},
            code="invalid_plan",
        )
    try:
        return dict(cleaner(item))
    except ActionError as error:
        raise ActionError(
            _("%(section)s, entry %(number)s: %(message)s")
            % {"section": section, "number": index + 1, "message": error.message},
            code=error.code,
            status=error.status,
        ) from None


def _replace_by_name(model: Any, membership: Membership, items: list[dict[str, Any]]) -> None:
    existing = {
        obj.name.casefold(): obj for obj in model.objects.filter(workspace=membership.workspace)
    }
    wanted = {item["name"].casefold() for item in items}
    for key, obj in existing.items():
        if key not in wanted:
            obj.delete()
    for item in items:
        obj = existing.get(item["name"].casefold()) or model(workspace=membership.workspace)
        for name, value in item.items():
            setattr(obj, name, value)
        obj.save()


def apply_plan(membership: Membership, plan: Plan, cleaned: dict[str, Any]) -> PlanVersion:
    """Write sections already cleaned by clean_plan; the caller holds the transaction."""
    for name in ("summary", "time_zone"):
        if name in cleaned:
            setattr(plan, name, cleaned[name])
    for name, value in cleaned.get("tone", {}).items():
        setattr(plan, name, value)
    if "networks" in cleaned:
        keep = []
        for values in cleaned["networks"]:
            entry = plan.networks.filter(network=values["network"]).first() or NetworkPlan(
                plan=plan
            )
            for name, value in values.items():
                setattr(entry, name, value)
            entry.save()
            keep.append(entry.pk)
        plan.networks.exclude(pk__in=keep).delete()
    if "goals" in cleaned:
        plan.goals.all().delete()
        for values in cleaned["goals"]:
            Goal.objects.create(plan=plan, **values)
    if plan.campaign_id is None:
        for section, model in (
            ("pillars", Pillar),
            ("audiences", Audience),
            ("campaigns", Campaign),
        ):
            if section in cleaned:
                _replace_by_name(model, membership, cleaned[section])
    return _new_version(membership, plan)


@transaction.atomic
def do_replace_plan(membership: Membership, plan: Plan, data: Any) -> Plan:
    """The API's PUT: every section given replaces the plan's; the rest stays."""
    plan = _own(membership, plan)
    cleaned = clean_plan(data, campaign=plan.campaign_id is not None)
    before = plan_snapshot(plan)
    version = apply_plan(membership, plan, cleaned)
    _audit(membership, "plan.replace", plan, {"version": before}, {"version": version.number})
    return plan


@transaction.atomic
def do_import_plan(membership: Membership, data: Any) -> list[PlanVersion]:
    """A file made by `plan export`: the workspace's plan with its pillars, audiences and
    campaigns, and each campaign's plan. All of it is checked before anything is written;
    one refused value refuses the whole file."""
    require(membership, EDIT_PLAN)
    if not isinstance(data, Mapping) or not isinstance(data.get("plan"), Mapping):
        raise ActionError(
            _("The file holds no plan: expected an object with “plan” (as `plan export` writes)."),
            code="invalid_plan",
        )
    main = clean_plan(data["plan"], campaign=False)
    campaign_names = {c["name"].casefold() for c in main.get("campaigns", [])}
    if "campaigns" not in main:
        campaign_names = {
            name.casefold()
            for name in Campaign.objects.filter(workspace=membership.workspace).values_list(
                "name", flat=True
            )
        }
    campaign_plans = []
    for index, item in enumerate(_list(data.get("campaign_plans") or [], "campaign_plans")):
        if not isinstance(item, Mapping) or not isinstance(item.get("campaign"), str):
            raise ActionError(
                _("campaign_plans, entry %(number)s: name its campaign.") % {"number": index + 1},
                code="invalid_plan",
            )
        if item["campaign"].casefold() not in campaign_names:
            raise ActionError(
                _("campaign_plans, entry %(number)s: there is no campaign “%(name)s”.")
                % {"number": index + 1, "name": item["campaign"][:120]},
                code="unknown_campaign",
            )
        campaign_plans.append((item["campaign"], clean_plan(item.get("plan") or {}, True)))
    plan = _own(membership, workspace_plan(membership.workspace))
    versions = [apply_plan(membership, plan, main)]
    for name, cleaned in campaign_plans:
        campaign = Campaign.objects.get(workspace=membership.workspace, name__iexact=name)
        versions.append(apply_plan(membership, _locked(campaign_plan(campaign)), cleaned))
    _audit(membership, "plan.import", plan, None, {"versions": [v.number for v in versions]})
    return versions


def export_plan(plan: Plan) -> dict[str, Any]:
    """What `plan import` reads back: the workspace's plan and each campaign's plan."""
    campaign_plans = []
    for other in Plan.objects.filter(
        workspace=plan.workspace, campaign__isnull=False
    ).select_related("campaign"):
        snapshot = plan_snapshot(other)
        campaign_plans.append(
            {
                "campaign": other.campaign.name if other.campaign else "",
                "plan": {
                    k: snapshot[k] for k in ("summary", "time_zone", "tone", "networks", "goals")
                },
            }
        )
    return {
        "format": "townsquare-plan",
        "version": 1,
        "plan": plan_snapshot(plan),
        "campaign_plans": campaign_plans,
    }
