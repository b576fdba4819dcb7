"""Forms of the plan's pages. They turn what was typed into the values the actions take;
the actions check them (the API and `plan import` go through the same checks)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townsquare.networks.catalog import NETWORK_CHOICES, NETWORK_NAMES, network_label
from townsquare.planning.models import (
    ADDRESS_CHOICES,
    EMOJI_CHOICES,
    FORMALITY_CHOICES,
    GOAL_METRICS,
    HASHTAG_POLICY_CHOICES,
)
from townsquare.planning.snapshot import tone_dict

DAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
PLAN_DEFAULT = ("", _("As the plan says"))
WORKSPACE_DEFAULT = ("", _("As the workspace's plan says"))
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _lines(values: list[str]) -> str:
    return "\n".join(values)


def hashtag_field_name(network: str) -> str:
    return f"hashtags_{network}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class OverviewForm(forms.Form):
    summary = forms.CharField(
        label=_("What the plan is for"), required=False, max_length=20_000, widget=TEXTAREA
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        required=False,
        max_length=200,
        help_text=_("Empty: the workspace's time zone. For example Europe/Berlin."),
    )
    starts_on = forms.DateField(
        label=_("The plan starts on"),
        widget=DateInput(),
        help_text=_("Plan compliance counts the weeks from this day's week on."),
    )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("summary", "time_zone", "starts_on")}


class ToneFields(forms.Form):
    """The tone of a plan or of one network; `inherit` offers an empty choice."""

    def __init__(self, *args: Any, inherit: tuple[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        first = [inherit] if inherit else []
        self.fields["address"] = forms.ChoiceField(
            label=_("Form of address (German)"), choices=first + ADDRESS_CHOICES, required=False
        )
        self.fields["formality"] = forms.ChoiceField(
            label=_("Formality"), choices=first + FORMALITY_CHOICES, required=False
        )
        self.fields["emoji_policy"] = forms.ChoiceField(
            label=_("Emoji"), choices=first + EMOJI_CHOICES, required=False
        )
        self.fields["max_emoji"] = forms.IntegerField(
            label=_("At most this many emoji"),
            required=not inherit,
            min_value=0,
            max_value=50,
            help_text=_("Applies when the emoji rule is “A few”."),
        )
        self.fields["hashtag_policy"] = forms.ChoiceField(
            label=_("Hashtags"), choices=first + HASHTAG_POLICY_CHOICES, required=False
        )
        self.fields["call_to_action"] = forms.CharField(
            label=_("Call to action"), required=False, max_length=200
        )
        self.fields["avoid_words"] = forms.CharField(
            label=_("Words to avoid"),
            required=False,
            max_length=20_000,
            widget=TEXTAREA,
            help_text=_(
                "Separated by commas or one per line. The composer warns when one is used."
            ),
        )
        self.fields["prefer_words"] = forms.CharField(
            label=_("Words to prefer"),
            required=False,
            max_length=20_000,
            widget=TEXTAREA,
            help_text=_("Separated by commas or one per line: the words of the brand."),
        )

    def tone_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "address": data["address"],
            "formality": data["formality"],
            "emoji_policy": data["emoji_policy"],
            "max_emoji": data["max_emoji"],
            "hashtag_policy": data["hashtag_policy"],
            "call_to_action": data["call_to_action"],
            "avoid_words": data["avoid_words"],
            "prefer_words": data["prefer_words"],
        }


class ToneForm(ToneFields):
    """The plan's own tone, with the hashtags per network."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for key in NETWORK_NAMES:
            self.fields[hashtag_field_name(key)] = forms.IntegerField(
                label=network_label(key), required=False, min_value=0, max_value=100
            )

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("hashtags_")]

    def hashtag_fields(self) -> list[forms.BoundField]:
        return [self[hashtag_field_name(key)] for key in NETWORK_NAMES]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **self.tone_values(),
            "max_hashtags": {key: data.get(hashtag_field_name(key)) for key in NETWORK_NAMES},
        }

    @staticmethod
    def initial_for(plan: Any) -> dict[str, Any]:
        values = tone_dict(plan)
        return {
            **values,
            "avoid_words": _lines(values["avoid_words"]),
            "prefer_words": _lines(values["prefer_words"]),
            **{hashtag_field_name(k): v for k, v in values["max_hashtags"].items()},
        }


class NetworkForm(ToneFields):
    network = forms.ChoiceField(label=_("Network"), choices=NETWORK_CHOICES)
    rationale = forms.CharField(
        label=_("Why this network"), required=False, max_length=20_000, widget=TEXTAREA
    )
    posts_per_week = forms.IntegerField(
        label=_("Publications per week"), min_value=0, max_value=100, initial=0
    )
    preferred_days = forms.MultipleChoiceField(
        label=_("Preferred days"),
        choices=DAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_times = forms.CharField(
        label=_("Preferred times"),
        required=False,
        max_length=500,
        help_text=_("HH:MM, separated by commas, for example 09:00, 17:30."),
    )
    max_hashtags = forms.IntegerField(
        label=_("Hashtags at most"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Empty: what the plan or the network recommends."),
    )
    field_order = ["network", "rationale", "posts_per_week", "preferred_days", "preferred_times"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, inherit=PLAN_DEFAULT, **kwargs)
        self.order_fields(self.field_order)

    def cadence_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("posts_per_week", "preferred_days", "preferred_times")]

    def tone_fields(self) -> list[forms.BoundField]:
        return [
            self[n]
            for n in (
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
        ]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **self.tone_values(),
            "network": data["network"],
            "rationale": data["rationale"],
            "max_hashtags": data["max_hashtags"],
            "posts_per_week": data["posts_per_week"],
            "preferred_days": [int(day) for day in data["preferred_days"]],
            "preferred_times": data["preferred_times"],
        }

    @staticmethod
    def initial_for(entry: Any) -> dict[str, Any]:
        return {
            "network": entry.network,
            "rationale": entry.rationale,
            "address": entry.address,
            "formality": entry.formality,
            "emoji_policy": entry.emoji_policy,
            "max_emoji": entry.max_emoji,
            "hashtag_policy": entry.hashtag_policy,
            "max_hashtags": entry.max_hashtags,
            "call_to_action": entry.call_to_action,
            "avoid_words": _lines(entry.avoid_words),
            "prefer_words": _lines(entry.prefer_words),
            "posts_per_week": entry.posts_per_week,
            "preferred_days": [str(day) for day in entry.preferred_days],
            "preferred_times": ", ".join(entry.preferred_times),
        }


class GoalForm(forms.Form):
    metric = forms.ChoiceField(label=_("Measure"), choices=GOAL_METRICS)
    network = forms.ChoiceField(
        label=_("Network"),
        choices=[("", _("All networks of the plan")), *NETWORK_CHOICES],
        required=False,
    )
    target = forms.CharField(label=_("Target"), max_length=40)
    baseline = forms.CharField(label=_("Starting point"), max_length=40, required=False)
    starts_on = forms.CharField(label=_("From"), required=False, widget=DateInput())
    due_on = forms.CharField(label=_("By"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=20_000, widget=TEXTAREA)

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(goal: Any) -> dict[str, Any]:
        return {
            "metric": goal.metric,
            "network": goal.network,
            "target": format(goal.target.normalize(), "f"),
            "baseline": "" if goal.baseline is None else format(goal.baseline.normalize(), "f"),
            "starts_on": goal.starts_on.isoformat() if goal.starts_on else "",
            "due_on": goal.due_on.isoformat(),
            "note": goal.note,
        }


class PillarForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=20_000, widget=TEXTAREA
    )
    target_share = forms.IntegerField(label=_("Target share (%)"), min_value=0, max_value=100)
    colour = forms.CharField(
        label=_("Colour"),
        required=False,
        max_length=20,
        help_text=_("#rrggbb, for example #1f6feb: the calendar shows the pillar in it."),
    )

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(pillar: Any) -> dict[str, Any]:
        return {
            "name": pillar.name,
            "description": pillar.description,
            "target_share": pillar.target_share,
            "colour": pillar.colour,
        }


class AudienceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    who = forms.CharField(
        label=_("Who they are"), required=False, max_length=20_000, widget=TEXTAREA
    )
    cares_about = forms.CharField(
        label=_("What they care about"), required=False, max_length=20_000, widget=TEXTAREA
    )
    networks = forms.MultipleChoiceField(
        label=_("Where they are"),
        choices=NETWORK_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(audience: Any) -> dict[str, Any]:
        return {
            "name": audience.name,
            "who": audience.who,
            "cares_about": audience.cares_about,
            "networks": list(audience.networks),
        }


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=20_000, widget=TEXTAREA
    )
    starts_on = forms.CharField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.CharField(label=_("Ends on"), widget=DateInput())
    colour = forms.CharField(
        label=_("Colour"),
        required=False,
        max_length=20,
        help_text=_("#rrggbb, for example #c62828."),
    )

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(campaign: Any) -> dict[str, Any]:
        return {
            "name": campaign.name,
            "description": campaign.description,
            "starts_on": campaign.starts_on.isoformat(),
            "ends_on": campaign.ends_on.isoformat(),
            "colour": campaign.colour,
        }
