"""Forms of the writing-aid pages. They only turn what was typed into the
values the actions take; the actions check them (the API goes through the same checks)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from townsquare.networks.catalog import NETWORK_CHOICES, NETWORK_NAMES, network_label

_SEPARATORS = re.compile(r"[\s,;]+")


def split_entries(raw: str) -> list[str]:
    """ "#a #b", "#a, #b" and one per line all give ["#a", "#b"]."""
    return [entry for entry in _SEPARATORS.split(raw or "") if entry]


def split_lines_or_commas(raw: str) -> list[str]:
    """Words to avoid may be phrases, so only commas and line breaks separate them."""
    return [entry.strip() for entry in re.split(r"[,\n\r]+", raw or "") if entry.strip()]


def _name_field() -> forms.CharField:
    return forms.CharField(label=_("Name"), max_length=80)


def _hashtags_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Hashtags"),
        required=required,
        max_length=4000,
        help_text=_("Separated by spaces, e.g. #Kaffee #Leipzig"),
    )


class AidForm(forms.Form):
    """A writing aid's form: `values()` for the actions, `initial_for()` from a stored aid."""

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @classmethod
    def initial_for(cls, aid: Model) -> dict[str, Any]:
        return {name: getattr(aid, name) for name in cls.base_fields}


class PostTemplateForm(AidForm):
    name = _name_field()
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=100_000,
        help_text=_("The composer starts from this text. Placeholders like {product} are kept."),
    )
    hashtags = _hashtags_field(required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def values(self) -> dict[str, Any]:
        return {**self.cleaned_data, "hashtags": split_entries(self.cleaned_data["hashtags"])}

    @classmethod
    def initial_for(cls, aid: Model) -> dict[str, Any]:
        initial = super().initial_for(aid)
        return {**initial, "hashtags": " ".join(initial["hashtags"])}


class SnippetForm(AidForm):
    name = _name_field()
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=100_000,
        help_text=_("Inserted where the cursor is in the composer: a greeting, a disclaimer."),
    )


class HashtagSetForm(AidForm):
    name = _name_field()
    hashtags = _hashtags_field(required=True)
    networks = forms.MultipleChoiceField(
        label=_("Only for these networks"),
        choices=NETWORK_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to use the set on every network."),
    )

    def values(self) -> dict[str, Any]:
        return {**self.cleaned_data, "hashtags": split_entries(self.cleaned_data["hashtags"])}

    @classmethod
    def initial_for(cls, aid: Model) -> dict[str, Any]:
        initial = super().initial_for(aid)
        return {**initial, "hashtags": " ".join(initial["hashtags"])}


def handle_field_name(network: str) -> str:
    return f"handle_{network}"


class ContactForm(AidForm):
    """A name and one handle per network; an empty handle means no account there."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Mention this contact in a post as @[Name]."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in NETWORK_NAMES:
            self.fields[handle_field_name(key)] = forms.CharField(
                label=network_label(key), required=False, max_length=255
            )

    def handle_fields(self) -> list[forms.BoundField]:
        return [self[handle_field_name(key)] for key in NETWORK_NAMES]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "handles": {key: data.get(handle_field_name(key), "") for key in NETWORK_NAMES},
        }

    @classmethod
    def initial_for(cls, aid: Model) -> dict[str, Any]:
        handles = getattr(aid, "handles", {})
        return {
            "name": getattr(aid, "name", ""),
            **{handle_field_name(key): handles.get(key, "") for key in NETWORK_NAMES},
        }


AID_FORMS: dict[str, type[AidForm]] = {
    "templates": PostTemplateForm,
    "snippets": SnippetForm,
    "hashtag-sets": HashtagSetForm,
    "contacts": ContactForm,
}
