"""A plan as plain JSON: what a PlanVersion keeps, what the API and `plan export` give.

A workspace's plan covers the workspace's pillars, audiences and campaigns; a campaign's
plan names its campaign and holds only what differs from the workspace's plan.
"""

from __future__ import annotations

from typing import Any

from townsquare.planning.models import Audience, Campaign, Goal, NetworkPlan, Pillar, Plan

TONE_FIELDS = (
    "address",
    "formality",
    "emoji_policy",
    "max_emoji",
    "hashtag_policy",
    "max_hashtags",
    "call_to_action",
    "avoid_words",
    "prefer_words",
)
NETWORK_TONE_FIELDS = (
    "address",
    "formality",
    "emoji_policy",
    "max_emoji",
    "hashtag_policy",
    "max_hashtags",
    "call_to_action",
    "avoid_words",
    "prefer_words",
)
NETWORK_FIELDS = (
    "network",
    "rationale",
    *NETWORK_TONE_FIELDS,
    "posts_per_week",
    "preferred_days",
    "preferred_times",
)


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Any) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def network_dict(entry: NetworkPlan) -> dict[str, Any]:
    values = {name: getattr(entry, name) for name in NETWORK_FIELDS}
    values["avoid_words"] = list(entry.avoid_words)
    values["prefer_words"] = list(entry.prefer_words)
    values["preferred_days"] = list(entry.preferred_days)
    values["preferred_times"] = list(entry.preferred_times)
    return values


def goal_dict(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "metric": goal.metric,
        "network": goal.network,
        "target": _number(goal.target),
        "baseline": _number(goal.baseline),
        "starts_on": _date(goal.starts_on),
        "due_on": _date(goal.due_on),
        "note": goal.note,
    }


def pillar_dict(pillar: Pillar) -> dict[str, Any]:
    return {
        "id": pillar.pk,
        "name": pillar.name,
        "description": pillar.description,
        "target_share": pillar.target_share,
        "colour": pillar.colour,
    }


def audience_dict(audience: Audience) -> dict[str, Any]:
    return {
        "id": audience.pk,
        "name": audience.name,
        "who": audience.who,
        "cares_about": audience.cares_about,
        "networks": list(audience.networks),
    }


def campaign_dict(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "description": campaign.description,
        "starts_on": _date(campaign.starts_on),
        "ends_on": _date(campaign.ends_on),
        "colour": campaign.colour,
    }


def tone_dict(plan: Plan) -> dict[str, Any]:
    values = {name: getattr(plan, name) for name in TONE_FIELDS}
    values["max_hashtags"] = dict(plan.max_hashtags)
    values["avoid_words"] = list(plan.avoid_words)
    values["prefer_words"] = list(plan.prefer_words)
    return values


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """Everything the plan says now, in a form that compares and serialises as JSON."""
    campaign = plan.campaign
    snapshot: dict[str, Any] = {
        "summary": plan.summary,
        "time_zone": plan.time_zone,
        "starts_on": _date(plan.starts_on),
        "campaign": campaign_dict(campaign) if campaign is not None else None,
        "tone": tone_dict(plan),
        "networks": [network_dict(entry) for entry in plan.networks.order_by("network")],
        "goals": [goal_dict(goal) for goal in plan.goals.order_by("due_on", "id")],
    }
    if campaign is None:
        workspace = plan.workspace
        snapshot["audiences"] = [audience_dict(a) for a in workspace.audiences.order_by("name")]
        snapshot["pillars"] = [pillar_dict(p) for p in workspace.pillars.order_by("name")]
        snapshot["campaigns"] = [
            campaign_dict(c) for c in workspace.campaigns.order_by("starts_on", "name")
        ]
    else:
        snapshot["audiences"] = []
        snapshot["pillars"] = []
        snapshot["campaigns"] = [campaign_dict(campaign)]
    return snapshot
