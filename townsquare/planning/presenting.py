"""What the plan's pages show of a plan, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from townsquare.networks.catalog import network_label
from townsquare.planning.forms import DAY_CHOICES
from townsquare.planning.models import (
    ADDRESS_CHOICES,
    EMOJI_CHOICES,
    FORMALITY_CHOICES,
    GOAL_METRICS,
    HASHTAG_POLICY_CHOICES,
    NetworkPlan,
    Plan,
)

LABELS = {
    "address": dict(ADDRESS_CHOICES),
    "formality": dict(FORMALITY_CHOICES),
    "emoji_policy": dict(EMOJI_CHOICES),
    "hashtag_policy": dict(HASHTAG_POLICY_CHOICES),
}


def _choice(name: str, value: str, inherited: str) -> str:
    if not value:
        return inherited
    return str(LABELS[name].get(value, value))


def tone_rows(source: Plan | NetworkPlan, inherited: str) -> list[tuple[str, str]]:
    rows = [
        (_("Form of address (German)"), _choice("address", source.address, inherited)),
        (_("Formality"), _choice("formality", source.formality, inherited)),
        (_("Emoji"), _choice("emoji_policy", source.emoji_policy, inherited)),
    ]
    if source.emoji_policy == "few" or source.max_emoji is not None:
        rows.append(
            (
                _("At most this many emoji"),
                str(source.max_emoji) if source.max_emoji is not None else inherited,
            )
        )
    rows.append((_("Hashtags"), _choice("hashtag_policy", source.hashtag_policy, inherited)))
    if isinstance(source, NetworkPlan) and source.max_hashtags is not None:
        rows.append((_("Hashtags at most"), str(source.max_hashtags)))
    if isinstance(source, Plan) and source.max_hashtags:
        rows.append(
            (
                _("Hashtags per network"),
                ", ".join(
                    f"{network_label(k)}: {v}" for k, v in sorted(source.max_hashtags.items())
                ),
            )
        )
    if source.call_to_action:
        rows.append((_("Call to action"), source.call_to_action))
    if source.avoid_words:
        rows.append((_("Words to avoid"), ", ".join(source.avoid_words)))
    if source.prefer_words:
        rows.append((_("Words to prefer"), ", ".join(source.prefer_words)))
    return rows


def cadence_text(entry: NetworkPlan) -> str:
    days = dict(DAY_CHOICES)
    parts = [
        _("%(count)s per week") % {"count": entry.posts_per_week},
    ]
    if entry.preferred_days:
        parts.append(", ".join(str(days[str(d)])[:2] for d in entry.preferred_days))
    if entry.preferred_times:
        parts.append(", ".join(entry.preferred_times))
    return " · ".join(parts)


def plan_view(plan: Plan) -> dict[str, Any]:
    is_campaign = plan.campaign_id is not None
    inherited = _("as the workspace's plan") if is_campaign else _("Townsquare's default")
    metrics = dict(GOAL_METRICS)
    networks = [
        {
            "entry": entry,
            "name": network_label(entry.network),
            "cadence": cadence_text(entry),
            "tone": [
                (label, value)
                for label, value in tone_rows(entry, _("as the plan says"))
                if value != _("as the plan says")
            ],
        }
        for entry in plan.networks.order_by("network")
    ]
    goals = [
        {
            "goal": goal,
            "metric": str(metrics.get(goal.metric, goal.metric)),
            "network": network_label(goal.network) if goal.network else _("All networks"),
            "target": format(goal.target.normalize(), "f"),
            "baseline": format(goal.baseline.normalize(), "f") if goal.baseline is not None else "",
        }
        for goal in plan.goals.order_by("due_on", "id")
    ]
    pillars = list(plan.workspace.pillars.order_by("name")) if not is_campaign else []
    audiences = [
        {"audience": a, "networks": ", ".join(network_label(n) for n in a.networks)}
        for a in (plan.workspace.audiences.order_by("name") if not is_campaign else [])
    ]
    share = sum(p.target_share for p in pillars)
    return {
        "plan": plan,
        "tone": tone_rows(plan, inherited),
        "networks": networks,
        "weekly_total": sum(n["entry"].posts_per_week for n in networks),
        "goals": goals,
        "pillars": pillars,
        "share_total": share,
        "share_left": 100 - share,
        "audiences": audiences,
        "latest": plan.versions.select_related("author").order_by("-number").first(),
    }
