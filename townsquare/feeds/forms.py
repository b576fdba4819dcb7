from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from townsquare.planning.models import Campaign


class FeedForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("For you to recognise it, e.g. the calendar app it is for."),
    )
    campaign = forms.ChoiceField(label=_("Posts"), required=False)

    def __init__(self, *args: Any, campaigns: list[Campaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", pgettext_lazy("calendar feeds", "Every post of the workspace"))] + [
            (str(c.pk), _("Only the campaign %(name)s") % {"name": c.name}) for c in campaigns
        ]
