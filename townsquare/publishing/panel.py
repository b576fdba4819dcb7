"""The publishing panel of the post page: when it goes out and what happened, per account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from townsquare.content.models import Post
from townsquare.publishing.connection_warnings import at_risk
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, utc_to_local
from townsquare.publishing.views import ScheduleForm, SettleForm
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm


def publishing_panel(membership: Membership, post: Post) -> dict[str, Any]:
    zone = membership.workspace.time_zone
    publications = list(
        Publication.objects.filter(post=post).select_related("account").prefetch_related("attempts")
    )
    suggested = utc_to_local(timezone.now() + timedelta(hours=1), zone).replace(
        minute=0, second=0, microsecond=0
    )
    risks = {
        item.publication.pk: item.message
        for item in at_risk(Publication.objects.filter(pk__in=[p.pk for p in publications]))
    }
    for pub in publications:
        pub.connection_warning = risks.get(pub.pk, "")  # type: ignore[attr-defined]
    return {
        "publications": publications,
        "schedule_form": ScheduleForm(initial={"when": suggested}),
        "settle_form": SettleForm(),
        "can_schedule": has_perm(membership.role, Perm.SCHEDULE_POSTS),
        "time_zone": zone,
        # Failed ones count too: cancelling them clears the alarm on the dashboard.
        "any_active": any(
            p.status in (Status.SCHEDULED, Status.PUBLISHING, Status.FAILED) for p in publications
        ),
    }
