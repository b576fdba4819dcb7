"""The composer's campaign, pillar and audience: three selects the composer's form gets
from here, their starting values, and what they give to the post."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townsquare.lib.bounds import id_from_text
from townsquare.planning.models import Audience, Campaign, Pillar
from townsquare.workspaces.models import Workspace

PLAN_FIELDS = ("campaign", "pillar", "audience")


def add_plan_fields(form: forms.Form, workspace: Workspace) -> None:
    """The selects, each offering only this workspace's objects (a foreign id is refused
    by the form as not one of the choices, and again by do_save_post)."""
    sources: dict[str, tuple[Any, Any]] = {
        "campaign": (_("Campaign"), Campaign.objects.filter(workspace=workspace)),
        "pillar": (_("Content pillar"), Pillar.objects.filter(workspace=workspace)),
        "audience": (_("Audience"), Audience.objects.filter(workspace=workspace)),
    }
    for name, (label, queryset) in sources.items():
        choices = [("", _("Not set"))] + [(str(obj.pk), obj.name) for obj in queryset]
        field = forms.ChoiceField(label=label, choices=choices, required=False)
        field.plan_field = True  # type: ignore[attr-defined]
        form.fields[name] = field
    form.plan_choices_empty = all(  # type: ignore[attr-defined]
        len(form.fields[name].choices) == 1  # type: ignore[attr-defined]
        for name in PLAN_FIELDS
    )


def plan_initial(post: Any) -> dict[str, str]:
    return {
        "campaign": str(post.campaign_id or ""),
        "pillar": str(post.pillar_id or ""),
        "audience": str(post.audience_id or ""),
    }


def plan_initial_from_data(data: Any) -> dict[str, str]:
    return {name: data.get(name, "") for name in PLAN_FIELDS}


def plan_ids(cleaned: dict[str, Any]) -> dict[str, int | None]:
    """PostInput's campaign_id, pillar_id and audience_id from the form's values."""
    return {f"{name}_id": id_from_text(str(cleaned.get(name) or "")) for name in PLAN_FIELDS}


def plan_campaign(workspace: Workspace, campaign_id: int | None) -> Campaign | None:
    if campaign_id is None:
        return None
    return Campaign.objects.filter(workspace=workspace, pk=campaign_id).first()
