"""A post's campaign, pillar and audience: only those of the post's own workspace."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from townsquare.lib.errors import ActionError
from townsquare.planning.models import Audience, Campaign, Pillar
from townsquare.workspaces.models import Membership


def _one(model: Any, membership: Membership, pk: Any, message: str, code: str) -> Any:
    if pk is None or pk == "":
        return None
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise ActionError(message, code=code)
    found = model.objects.filter(workspace=membership.workspace, pk=pk).first()
    if found is None:
        raise ActionError(message, code=code)
    return found


def plan_links(
    membership: Membership, data: Any
) -> tuple[Campaign | None, Pillar | None, Audience | None]:
    """The objects a PostInput names, or ActionError when one is not of this workspace."""
    return (
        _one(
            Campaign,
            membership,
            getattr(data, "campaign_id", None),
            _("Choose a campaign of this workspace's plan."),
            "unknown_campaign",
        ),
        _one(
            Pillar,
            membership,
            getattr(data, "pillar_id", None),
            _("Choose a content pillar of this workspace's plan."),
            "unknown_pillar",
        ),
        _one(
            Audience,
            membership,
            getattr(data, "audience_id", None),
            _("Choose an audience of this workspace's plan."),
            "unknown_audience",
        ),
    )
