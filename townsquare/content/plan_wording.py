"""The plan's wording settings (formality, call to action, words to prefer) for the engine.

The plan's tone reaches the engine through `planning.tone.engine_style`; the wording
settings are added here, read with the same precedence: the campaign's entry for the
network, the campaign's plan, the workspace's entry for the network, the workspace's plan,
then the engine's defaults. Words to prefer add up along the way, as words to avoid do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from townsquare.content.adapt import StyleSettings
from townsquare.planning.models import TONE_DEFAULTS, Campaign, NetworkPlan, Plan
from townsquare.workspaces.models import Workspace


def with_plan_wording(
    style: StyleSettings, workspace: Workspace, campaign: Campaign | None = None
) -> StyleSettings:
    """`style` with the wording settings of the workspace's (and the campaign's) plan."""
    if campaign is not None and campaign.workspace_id != workspace.pk:
        campaign = None
    plans = list(
        Plan.objects.filter(workspace=workspace, campaign__isnull=True)
        if campaign is None
        else Plan.objects.filter(workspace=workspace, campaign__in=[campaign])
        | Plan.objects.filter(workspace=workspace, campaign__isnull=True)
    )
    if not plans:
        return style
    own = next((p for p in plans if p.campaign_id is None), None)
    special = next((p for p in plans if p.campaign_id is not None), None)
    entries = list(NetworkPlan.objects.filter(plan__in=plans))
    own_entries = {e.network: e for e in entries if own is not None and e.plan_id == own.pk}
    special_entries = {
        e.network: e for e in entries if special is not None and e.plan_id == special.pk
    }
    networks = {}
    for network in sorted(set(own_entries) | set(special_entries)):
        levels = [
            level
            for level in (special_entries.get(network), special, own_entries.get(network), own)
            if level is not None
        ]
        networks[network] = replace(style.for_network(network), **wording(levels))
    base = wording([p for p in (special, own) if p is not None])
    if not networks:
        return replace(style, **base)
    return replace(style, **base, network_styles=networks)


def wording(levels: Sequence[Any]) -> dict[str, Any]:
    """The wording settings the levels make, the most specific first."""
    formality = next(
        (level.formality for level in levels if level.formality), TONE_DEFAULTS["formality"]
    )
    call_to_action = next((level.call_to_action for level in levels if level.call_to_action), "")
    prefer: list[str] = []
    for level in levels:
        for word in level.prefer_words:
            if word not in prefer:
                prefer.append(word)
    return {
        "formality": formality,
        "call_to_action": call_to_action,
        "prefer_words": tuple(prefer),
    }
