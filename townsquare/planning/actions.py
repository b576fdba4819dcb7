"""Audited writes of the social media plan.

Every change needs the plan permission, runs in one transaction, is recorded in the audit
log and saves a new version of the plan it touches (pillars, audiences and campaigns belong
to the workspace's plan): the version keeps a snapshot of the whole plan, so any two
versions can be compared. Every value is checked first (cleaners.py), so the pages, the API
and `townsquare plan import` refuse the same input with the same message, and a refused
change saves nothing. Whole plans (the API's PUT, import and export) are in whole_plan.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.lib.errors import ActionError
from townsquare.networks.catalog import network_label
from townsquare.planning import clean
from townsquare.planning.cleaners import (
    check_shares,
    clean_audience,
    clean_campaign,
    clean_goal,
    clean_network,
    clean_pillar,
    clean_plan_tone,
)
from townsquare.planning.models import Audience, Campaign, Goal, NetworkPlan, Pillar, Plan
from townsquare.planning.plan_writes import EDIT_PLAN, audit, new_version, own, own_workspace_plan
from townsquare.planning.snapshot import (
    audience_dict,
    campaign_dict,
    goal_dict,
    network_dict,
    pillar_dict,
    tone_dict,
)
from townsquare.planning.whole_plan import do_import_plan, do_replace_plan, export_plan
from townsquare.workspaces.models import Membership

__all__ = [
    "EDIT_PLAN",
    "do_delete_audience",
    "do_delete_campaign",
    "do_delete_goal",
    "do_delete_pillar",
    "do_delete_workspace_item",
    "do_import_plan",
    "do_remove_network",
    "do_replace_plan",
    "do_save_audience",
    "do_save_campaign",
    "do_save_goal",
    "do_save_network",
    "do_save_overview",
    "do_save_pillar",
    "do_save_tone",
    "do_save_workspace_item",
    "export_plan",
]

# The plan's own fields


@transaction.atomic
def do_save_overview(
    membership: Membership,
    plan: Plan,
    *,
    summary: Any,
    time_zone: Any = "",
    starts_on: Any = None,
) -> Plan:
    """What the plan is for, its zone and its start (left out: the start stays)."""
    plan = own(membership, plan)
    values: dict[str, Any] = {
        "summary": clean.text(summary, _("What the plan is for")),
        "time_zone": clean.time_zone(time_zone),
    }
    if starts_on is not None and starts_on != "":
        values["starts_on"] = clean.date(starts_on, _("The plan starts on"))
    before = {name: _plain(getattr(plan, name)) for name in values}
    for name, value in values.items():
        setattr(plan, name, value)
    new_version(membership, plan)
    audit(membership, "plan.update", plan, before, {k: _plain(v) for k, v in values.items()})
    return plan


def _plain(value: Any) -> Any:
    """A value as the audit log keeps it (JSON): dates as YYYY-MM-DD."""
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def do_save_tone(membership: Membership, plan: Plan, values: Mapping[str, Any]) -> Plan:
    """The plan's tone for every network that has none of its own."""
    plan = own(membership, plan)
    cleaned = clean_plan_tone(values, inherit=plan.campaign_id is not None)
    before = tone_dict(plan)
    for name, value in cleaned.items():
        setattr(plan, name, value)
    new_version(membership, plan)
    audit(membership, "plan.tone", plan, before, tone_dict(plan))
    return plan


# What a plan lists: its networks and goals; the workspace's pillars, audiences, campaigns


@dataclass(frozen=True)
class ItemKind[Item: models.Model]:
    """One kind of thing a plan lists, and how it is checked, audited and told apart."""

    model: type[Item]
    clean: Callable[[Mapping[str, Any]], dict[str, Any]]
    as_dict: Callable[[Item], dict[str, Any]]
    saved: str  # audit event names
    removed: str
    elsewhere: Promise  # the refusal when the object belongs to another plan or workspace
    of_plan: bool = False  # a plan's own (networks, goals), else the workspace's
    unique_names: bool = True
    # Checks the cleaned values against the kind's other objects (locked when given).
    check_others: Callable[[dict[str, Any], Sequence[Item]], None] | None = None


def _shares_fit(cleaned: dict[str, Any], others: Sequence[Pillar]) -> None:
    check_shares({**{str(p.pk): p.target_share for p in others}, "": cleaned["target_share"]})


def _network_free(cleaned: dict[str, Any], others: Sequence[NetworkPlan]) -> None:
    if any(entry.network == cleaned["network"] for entry in others):
        raise ActionError(
            _("%(network)s is in the plan already; change its entry instead.")
            % {"network": network_label(cleaned["network"])},
            code="duplicate_network",
        )


NETWORK: ItemKind[NetworkPlan] = ItemKind(
    NetworkPlan,
    clean_network,
    network_dict,
    "plan.network.save",
    "plan.network.remove",
    gettext_lazy("This network belongs to another plan."),
    of_plan=True,
    unique_names=False,
    check_others=_network_free,
)
GOAL: ItemKind[Goal] = ItemKind(
    Goal,
    clean_goal,
    goal_dict,
    "plan.goal.save",
    "plan.goal.delete",
    gettext_lazy("This goal belongs to another plan."),
    of_plan=True,
    unique_names=False,
)
# Posts of a deleted pillar, audience or campaign keep their text and no longer name it.
PILLAR: ItemKind[Pillar] = ItemKind(
    Pillar,
    clean_pillar,
    pillar_dict,
    "plan.pillar.save",
    "plan.pillar.delete",
    gettext_lazy("This pillar belongs to another workspace."),
    check_others=_shares_fit,
)
AUDIENCE: ItemKind[Audience] = ItemKind(
    Audience,
    clean_audience,
    audience_dict,
    "plan.audience.save",
    "plan.audience.delete",
    gettext_lazy("This audience belongs to another workspace."),
)
CAMPAIGN: ItemKind[Campaign] = ItemKind(
    Campaign,
    clean_campaign,
    campaign_dict,
    "plan.campaign.save",
    "plan.campaign.delete",
    gettext_lazy("This campaign belongs to another workspace."),
)


def _owner(kind: ItemKind[Any], membership: Membership, plan: Plan) -> dict[str, Any]:
    return {"plan": plan} if kind.of_plan else {"workspace": membership.workspace}


def _save_item[Item: models.Model](
    membership: Membership,
    plan: Plan,
    kind: ItemKind[Item],
    values: Mapping[str, Any],
    found: Item | None,
) -> Item:
    """Create or change one object; `plan` is locked and gets the new version."""
    cleaned = kind.clean(values)
    owner = _owner(kind, membership, plan)
    [(owner_field, owner_object)] = owner.items()
    if found is not None and getattr(found, f"{owner_field}_id") != owner_object.pk:
        raise ActionError(str(kind.elsewhere), "not_found", 404)
    if kind.unique_names or kind.check_others:
        others = kind.model._default_manager.filter(**owner)
        if kind.check_others is not None:
            others = others.select_for_update()
        if found is not None:
            others = others.exclude(pk=found.pk)
        listed = list(others)
        if kind.unique_names:
            clean.unique_name(cleaned["name"], (o.name for o in listed))
        if kind.check_others is not None:
            kind.check_others(cleaned, listed)
    before = kind.as_dict(found) if found is not None else None
    item = found if found is not None else kind.model(**owner)
    for name, value in cleaned.items():
        setattr(item, name, value)
    item.save()
    new_version(membership, plan)
    audit(membership, kind.saved, item, before, kind.as_dict(item))
    return item


def _remove_item[Item: models.Model](
    membership: Membership, plan: Plan, kind: ItemKind[Item], item: Item
) -> None:
    audit(membership, kind.removed, item, kind.as_dict(item), None)
    item.delete()
    new_version(membership, plan)


@transaction.atomic
def do_save_workspace_item[Item: models.Model](
    membership: Membership, kind: ItemKind[Item], values: Mapping[str, Any], found: Item | None
) -> Item:
    """Create or change a pillar, an audience or a campaign (they belong to the
    workspace's plan)."""
    return _save_item(membership, own_workspace_plan(membership), kind, values, found)


@transaction.atomic
def do_delete_workspace_item[Item: models.Model](
    membership: Membership, kind: ItemKind[Item], item: Item
) -> None:
    _remove_item(membership, own_workspace_plan(membership), kind, item)


class _Saver[Item: models.Model](Protocol):
    def __call__(
        self, membership: Membership, values: Mapping[str, Any], found: Item | None = None
    ) -> Item: ...


def _workspace_item_saver[Item: models.Model](kind: ItemKind[Item]) -> _Saver[Item]:
    """do_save_pillar and its kin, named for the callers that know their kind."""

    def save(membership: Membership, values: Mapping[str, Any], found: Item | None = None) -> Item:
        return do_save_workspace_item(membership, kind, values, found)

    return save


def _workspace_item_remover[Item: models.Model](
    kind: ItemKind[Item],
) -> Callable[[Membership, Item], None]:
    def remove(membership: Membership, item: Item) -> None:
        do_delete_workspace_item(membership, kind, item)

    return remove


do_save_pillar = _workspace_item_saver(PILLAR)
do_delete_pillar = _workspace_item_remover(PILLAR)
do_save_audience = _workspace_item_saver(AUDIENCE)
do_delete_audience = _workspace_item_remover(AUDIENCE)
do_save_campaign = _workspace_item_saver(CAMPAIGN)
do_delete_campaign = _workspace_item_remover(CAMPAIGN)


@transaction.atomic
def do_save_network(
    membership: Membership,
    plan: Plan,
    values: Mapping[str, Any],
    entry: NetworkPlan | None = None,
) -> NetworkPlan:
    """Add a network to the plan, or change its entry (rationale, tone, cadence)."""
    return _save_item(membership, own(membership, plan), NETWORK, values, entry)


@transaction.atomic
def do_remove_network(membership: Membership, entry: NetworkPlan) -> None:
    _remove_item(membership, own(membership, entry.plan), NETWORK, entry)


@transaction.atomic
def do_save_goal(
    membership: Membership, plan: Plan, values: Mapping[str, Any], goal: Goal | None = None
) -> Goal:
    return _save_item(membership, own(membership, plan), GOAL, values, goal)


@transaction.atomic
def do_delete_goal(membership: Membership, goal: Goal) -> None:
    _remove_item(membership, own(membership, goal.plan), GOAL, goal)
