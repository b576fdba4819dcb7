"""The plan's sections checked: raw values in (a form, a JSON body, a file), values to
store out. Every value is checked here (with clean.py), so the pages, the API and
`townsquare plan import` refuse the same input with the same message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.lib.errors import ActionError
from townsquare.planning import clean
from townsquare.planning.models import TONE_DEFAULTS

MAX_NAME = 80
MAX_CAMPAIGN_NAME = 120
PLAN_START_LABEL = gettext_lazy("The plan starts on")


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


def check_shares(shares: Mapping[str, int]) -> None:
    total = sum(shares.values())
    if total > 100:
        raise ActionError(
            _("The pillars' target shares add up to %(total)s %%; at most 100 %% in all.")
            % {"total": total},
            code="shares_over_100",
        )


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
    if data.get("starts_on") is not None:
        cleaned["starts_on"] = clean.date(data["starts_on"], PLAN_START_LABEL)
    if data.get("tone") is not None:
        if not isinstance(data["tone"], Mapping):
            raise ActionError(_("The tone is a JSON object."), code="invalid_plan")
        cleaned["tone"] = clean_plan_tone(data["tone"], inherit=campaign)
    for section, cleaner in (("networks", clean_network), ("goals", clean_goal)):
        if data.get(section) is None:
            continue
        items = as_list(data[section], section)
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
            items = as_list(data[section], section)
            found = [_item(cleaner, item, section, index) for index, item in enumerate(items)]
            names = [item["name"].casefold() for item in found]
            if len(names) != len(set(names)):
                raise ActionError(
                    _("%(section)s: each name may appear once.") % {"section": section},
                    code="duplicate_name",
                )
            cleaned[section] = found
        if "pillars" in cleaned:
            check_shares({p["name"]: p["target_share"] for p in cleaned["pillars"]})
    return cleaned


def as_list(value: Any, section: str) -> list[Any]:
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
