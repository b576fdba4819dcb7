"""Forms of Inbox > Settings. They only shape the input; routing_actions checks it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from townsquare.inbox.business_hours import WEEKDAYS
from townsquare.inbox.models import Priority
from townsquare.networks.catalog import network_label

DAY_LABELS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
_SPAN = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$")

CATEGORY_CHOICES = [
    ("question", pgettext_lazy("inbox category", "question")),
    ("complaint", pgettext_lazy("inbox category", "complaint")),
    ("suggestion", pgettext_lazy("inbox category", "suggestion")),
    ("praise", pgettext_lazy("inbox category", "praise")),
    ("other", pgettext_lazy("inbox category", "other")),
]
SENTIMENT_CHOICES = [
    ("negative", pgettext_lazy("sentiment", "negative")),
    ("neutral", pgettext_lazy("sentiment", "neutral")),
    ("positive", pgettext_lazy("sentiment", "positive")),
    ("undefined", pgettext_lazy("sentiment", "undefined")),
]
SPAM_CHOICES = [
    ("spam", pgettext_lazy("inbox spam", "spam")),
    ("abuse", pgettext_lazy("inbox spam", "abuse")),
    ("ok", pgettext_lazy("inbox spam", "neither spam nor abuse")),
]
TRISTATE = [("", _("Either")), ("yes", _("Yes")), ("no", _("No"))]


def _clock(text: str) -> str:
    hours, minutes = text.split(":")
    return f"{int(hours):02d}:{minutes}"


def spans_text(spans: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in spans)


class InboxSettingsForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Keep messages for (days)"),
        required=False,
        min_value=1,
        max_value=36500,
        help_text=_("Older messages are anonymised. Empty: kept."),
    )
    replies_need_approval = forms.BooleanField(label=_("Replies need approval"), required=False)
    spike_factor = forms.FloatField(
        label=_("Storm alarm factor"),
        min_value=1.5,
        max_value=100,
        help_text=_(
            "Managers are alerted when the last hour brings this many times the usual number "
            "of unanswered or negative messages (and at least 10)."
        ),
    )
    digest_recipients = forms.TypedMultipleChoiceField(
        label=_("Weekly digest goes to"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=DAY_LABELS[day],
                required=False,
                max_length=100,
                help_text=_("e.g. 09:00-12:00, 13:00-17:00; empty: closed") if day == "mon" else "",
            )
        self.fields["digest_recipients"].choices = members
        self.order_fields([f"hours_{day}" for day in WEEKDAYS])

    def business_hours(self) -> dict[str, list[list[str]]]:
        """The days' spans; all days empty means around the clock."""
        schedule: dict[str, list[list[str]]] = {}
        for day in WEEKDAYS:
            text = self.cleaned_data.get(f"hours_{day}") or ""
            spans = []
            for part in filter(None, (p.strip() for p in text.split(","))):
                found = _SPAN.match(part)
                if not found:
                    raise forms.ValidationError(
                        _("Write opening hours like 09:00-17:00 (%(day)s).")
                        % {"day": DAY_LABELS[day]}
                    )
                spans.append([_clock(found.group(1)), _clock(found.group(2))])
            if spans:
                schedule[day] = spans
        return schedule


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    members = forms.TypedMultipleChoiceField(
        label=_("Members"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = members


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    webhook_url = forms.CharField(
        label=_("Webhook address"),
        required=False,
        max_length=500,
        help_text=_(
            "Signed per Standard Webhooks. The address is a secret: it is shown masked; "
            "leave it as shown to keep it."
        ),
    )
    new_secret = forms.BooleanField(label=_("Make a new webhook secret"), required=False)


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    stop_after = forms.BooleanField(
        label=_("Stop after this rule"),
        required=False,
        help_text=_("Later rules do not run for a message this rule applied to."),
    )
    # --- when
    category = forms.MultipleChoiceField(
        label=_("Category"),
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sentiment = forms.MultipleChoiceField(
        label=_("Sentiment"),
        choices=SENTIMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_urgency = forms.IntegerField(
        label=_("Urgency at least"), required=False, min_value=0, max_value=100
    )
    spam = forms.MultipleChoiceField(
        label=_("Spam or abuse"),
        choices=SPAM_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.CharField(
        label=_("Language"), required=False, max_length=200, help_text=_("e.g. de, en")
    )
    keywords = forms.CharField(
        label=_("Contains one of the words"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by commas; whole words, upper or lower case alike."),
    )
    emoji_only = forms.ChoiceField(label=_("Only emoji"), choices=TRISTATE, required=False)
    has_link = forms.ChoiceField(label=_("Contains a link"), choices=TRISTATE, required=False)
    network = forms.MultipleChoiceField(
        label=_("Network"), required=False, widget=forms.CheckboxSelectMultiple
    )
    account = forms.TypedMultipleChoiceField(
        label=_("Account"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    author = forms.CharField(
        label=_("Written by"),
        required=False,
        max_length=2000,
        help_text=_("Handles, comma-separated"),
    )
    min_followers = forms.IntegerField(
        label=_("Author has at least this many followers"),
        required=False,
        min_value=0,
        max_value=10**12,
    )
    business_hours = forms.ChoiceField(
        label=_("Business hours"),
        required=False,
        choices=[("", _("Any time")), ("inside", _("Inside")), ("outside", _("Outside"))],
    )
    # --- then
    assign = forms.ChoiceField(label=_("Assign to"), required=False)
    assign_mode = forms.ChoiceField(
        label=_("Within a team"),
        choices=[
            ("round_robin", _("Round robin")),
            ("open_load", _("Whoever has the fewest open conversations")),
        ],
        required=False,
    )
    labels = forms.CharField(label=_("Add labels"), required=False, max_length=1100)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Unchanged")), *[(p.value, p.label) for p in Priority]],
    )
    hide = forms.BooleanField(label=_("Hide the message"), required=False)
    delete = forms.BooleanField(label=_("Delete the message on the network"), required=False)
    forward_department = forms.TypedChoiceField(
        label=_("Forward to"), coerce=int, empty_value=None, required=False
    )
    first_response_minutes = forms.IntegerField(
        label=_("First answer within (business minutes)"),
        required=False,
        min_value=1,
        max_value=60 * 24 * 365,
    )
    resolution_minutes = forms.IntegerField(
        label=_("Resolved within (business minutes)"),
        required=False,
        min_value=1,
        max_value=60 * 24 * 365,
    )

    def __init__(
        self,
        *args: Any,
        members: list[tuple[int, str]],
        teams: list[tuple[int, str]],
        departments: list[tuple[int, str]],
        accounts: list[tuple[int, str]],
        networks: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assign"].choices = [
            ("", _("Nobody")),
            *[(f"team:{pk}", _("Team %(name)s") % {"name": name}) for pk, name in teams],
            *[(f"user:{pk}", name) for pk, name in members],
        ]
        self.fields["forward_department"].choices = [("", _("Nobody")), *departments]
        self.fields["account"].choices = accounts
        self.fields["network"].choices = [(key, network_label(key)) for key in networks]

    def conditions(self) -> dict[str, Any]:
        data = self.cleaned_data
        tristate = {"yes": True, "no": False}
        return {
            "category": data.get("category") or [],
            "sentiment": data.get("sentiment") or [],
            "min_urgency": data.get("min_urgency"),
            "spam": data.get("spam") or [],
            "language": data.get("language") or "",
            "keywords": data.get("keywords") or "",
            "emoji_only": tristate.get(data.get("emoji_only") or ""),
            "has_link": tristate.get(data.get("has_link") or ""),
            "network": data.get("network") or [],
            "account": data.get("account") or [],
            "author": data.get("author") or "",
            "min_followers": data.get("min_followers"),
            "business_hours": data.get("business_hours") or "",
        }

    def actions(self) -> dict[str, Any]:
        data = self.cleaned_data
        actions: dict[str, Any] = {}
        kind, _sep, pk = (data.get("assign") or "").partition(":")
        if kind == "user":
            actions["assign_user"] = int(pk)
        elif kind == "team":
            actions["assign_team"] = int(pk)
            actions["assign_mode"] = data.get("assign_mode") or "round_robin"
        if data.get("labels"):
            actions["labels"] = data["labels"]
        if data.get("priority") is not None:
            actions["priority"] = data["priority"]
        if data.get("hide"):
            actions["hide"] = True
        if data.get("delete"):
            actions["delete"] = True
        if data.get("forward_department"):
            actions["forward_department"] = data["forward_department"]
        return actions


def rule_initial(rule: Any) -> dict[str, Any]:
    """A saved rule as the form's initial values."""
    conditions, actions = rule.conditions or {}, rule.actions or {}
    tristate = {True: "yes", False: "no"}
    assign = ""
    if actions.get("assign_user"):
        assign = f"user:{actions['assign_user']}"
    elif actions.get("assign_team"):
        assign = f"team:{actions['assign_team']}"
    return {
        "name": rule.name,
        "active": rule.active,
        "stop_after": rule.stop_after,
        "category": conditions.get("category", []),
        "sentiment": conditions.get("sentiment", []),
        "min_urgency": conditions.get("min_urgency"),
        "spam": conditions.get("spam", []),
        "language": ", ".join(conditions.get("language", [])),
        "keywords": ", ".join(conditions.get("keywords", [])),
        "emoji_only": tristate.get(conditions.get("emoji_only"), ""),
        "has_link": tristate.get(conditions.get("has_link"), ""),
        "network": conditions.get("network", []),
        "account": conditions.get("account", []),
        "author": ", ".join(conditions.get("author", [])),
        "min_followers": conditions.get("min_followers"),
        "business_hours": conditions.get("business_hours", ""),
        "assign": assign,
        "assign_mode": actions.get("assign_mode", "round_robin"),
        "labels": ", ".join(actions.get("labels", [])),
        "priority": actions.get("priority"),
        "hide": bool(actions.get("hide")),
        "delete": bool(actions.get("delete")),
        "forward_department": actions.get("forward_department"),
        "first_response_minutes": rule.first_response_minutes,
        "resolution_minutes": rule.resolution_minutes,
    }
