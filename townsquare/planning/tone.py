"""The plan's tone as the adaptation engine reads it.

`engine_style(workspace, campaign)` builds the engine's StyleSettings from the workspace's
plan and, for a post of a campaign, the campaign's plan. A choice is taken from the first
of these that makes it: the campaign's entry for the network, the campaign's plan, the
workspace's entry for the network, the workspace's plan; then the engine's defaults. Words
to avoid add up along the way. The engine explains each change it makes because of the
plan with "the plan says ...".
"""

from __future__ import annotations

from typing import Any

from townsquare.content.adapt import HashtagSet as EngineHashtagSet
from townsquare.content.adapt import StyleSettings as EngineStyle
from townsquare.content.models import HashtagSet
from townsquare.planning.models import TONE_DEFAULTS, Campaign, NetworkPlan, Plan
from townsquare.workspaces.models import Workspace

CHOICES = ("address", "emoji_policy", "hashtag_policy")


def resolve(
    levels: list[Any], sets: tuple[EngineHashtagSet, ...], caps: dict[str, int]
) -> EngineStyle:
    """One style from the levels that may set it, the most specific first."""
    values: dict[str, Any] = {}
    for name in CHOICES:
        values[name] = next(
            (getattr(level, name) for level in levels if getattr(level, name)), TONE_DEFAULTS[name]
        )
    max_emoji = next((level.max_emoji for level in levels if level.max_emoji is not None), None)
    avoid: list[str] = []
    for level in levels:
        for word in level.avoid_words:
            if word not in avoid:
                avoid.append(word)
    return EngineStyle(
        address=values["address"],
        emoji_policy=values["emoji_policy"],
        max_emoji=TONE_DEFAULTS["max_emoji"] if max_emoji is None else max_emoji,
        banned_words=tuple(avoid),
        hashtag_policy=values["hashtag_policy"],
        max_hashtags=caps,
        hashtag_sets=sets,
    )


def engine_style(workspace: Workspace, campaign: Campaign | None = None) -> EngineStyle:
    sets = tuple(
        EngineHashtagSet(name=s.name, hashtags=tuple(s.hashtags), networks=tuple(s.networks))
        for s in HashtagSet.objects.filter(workspace=workspace)
    )
    if campaign is not None and campaign.workspace_id != workspace.pk:
        campaign = None
    plans = list(
        Plan.objects.filter(workspace=workspace, campaign__isnull=True)
        if campaign is None
        else Plan.objects.filter(workspace=workspace, campaign__in=[campaign])
        | Plan.objects.filter(workspace=workspace, campaign__isnull=True)
    )
    own = next((p for p in plans if p.campaign_id is None), None)
    special = next((p for p in plans if p.campaign_id is not None), None)
    entries = list(NetworkPlan.objects.filter(plan__in=plans))
    own_entries = {e.network: e for e in entries if own is not None and e.plan_id == own.pk}
    special_entries = {
        e.network: e for e in entries if special is not None and e.plan_id == special.pk
    }
    caps: dict[str, int] = {}
    for plan in (own, special):
        if plan is not None:
            caps.update({str(k): int(v) for k, v in plan.max_hashtags.items()})
    for found in (own_entries, special_entries):
        caps.update({k: e.max_hashtags for k, e in found.items() if e.max_hashtags is not None})
    plan_levels = [p for p in (special, own) if p is not None]
    networks = {}
    for network in sorted(set(own_entries) | set(special_entries)):
        levels = [
            level
            for level in (
                special_entries.get(network),
                special,
                own_entries.get(network),
                own,
            )
            if level is not None
        ]
        networks[network] = resolve(levels, sets, caps)
    base = resolve(plan_levels, sets, caps)
    if not networks:
        return base
    return EngineStyle(
        address=base.address,
        emoji_policy=base.emoji_policy,
        max_emoji=base.max_emoji,
        banned_words=base.banned_words,
        hashtag_policy=base.hashtag_policy,
        max_hashtags=caps,
        hashtag_sets=sets,
        network_styles=networks,
    )
