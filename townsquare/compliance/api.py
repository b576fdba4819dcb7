"""API of plan compliance: per ISO week (Monday to Sunday in the workspace's zone) and
network, planned / scheduled / published and the status, and the pillar mix over the span.

`start` and `end` are dates (YYYY-MM-DD); the weeks touching them are returned, at most 26.
Left out: the four weeks before this one, this one and the four after.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from townsquare.compliance.figures import weeks_between
from townsquare.compliance.marks import FIRST_DAY, LAST_DAY, compliance, local_today
from townsquare.compliance.views import span_around
from townsquare.lib.bounds import Id
from townsquare.lib.errors import ActionError
from townsquare.planning.models import Campaign

router = Router(tags=["compliance"])

MAX_WEEKS = 26


class ComplianceNetworkOut(Schema):
    network: str
    label: str
    planned: int
    scheduled: int
    published: int
    status: str = Field(description="gap, open, ok, overload or unplanned")
    text: str = Field(description='e.g. "2 of 3 posts on LinkedIn (page)"')


class ComplianceWeekOut(Schema):
    start: date
    end: date
    iso_year: int
    iso_week: int
    current: bool
    status: str
    networks: list[ComplianceNetworkOut]


class CompliancePillarOut(Schema):
    pillar: int | None
    name: str
    target: int
    count: int
    share: float
    off: bool


class ComplianceOut(Schema):
    time_zone: str
    campaign: int | None
    has_plan: bool
    weeks: list[ComplianceWeekOut]
    pillars: list[CompliancePillarOut]


def _date(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ActionError(
            _("%(name)s is not a date; write it as YYYY-MM-DD, e.g. 2026-12-07.") % {"name": name},
            code="invalid_date",
            status=422,
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ActionError(
            _("%(name)s is out of range: choose a day between %(first)s and %(last)s.")
            % {"name": name, "first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
            code="invalid_date",
            status=422,
        )
    return day


@router.get("/workspaces/{workspace}/plan/compliance", response=ComplianceOut)
def get_compliance(
    request: HttpRequest,
    workspace: str,
    start: str | None = None,
    end: str | None = None,
    campaign: Id | None = None,
) -> dict[str, object]:
    """Weeks with their rows per network, and the pillar mix over the span."""
    membership = request.membership
    ws = membership.workspace
    today = local_today(ws)
    default_first, default_last = span_around(today)
    first = _date(start, "start") or default_first
    last = _date(end, "end") or default_last
    if last < first:
        raise ActionError(_("end is before start."), code="invalid_range", status=422)
    if len(weeks_between(first, last)) > MAX_WEEKS:
        raise ActionError(
            _("At most %(max)s weeks at a time; ask for a shorter span.") % {"max": MAX_WEEKS},
            code="range_too_long",
            status=422,
        )
    chosen = None
    if campaign is not None:
        chosen = Campaign.objects.filter(workspace=ws, pk=campaign).first()
        if chosen is None:
            raise ActionError(
                _("There is no such campaign in this workspace."),
                code="unknown_campaign",
                status=422,
            )
    result = compliance(ws, first, last, campaign=chosen, today=today)
    return {
        "time_zone": result.zone,
        "campaign": chosen.pk if chosen else None,
        "has_plan": result.has_plan,
        "weeks": [
            {
                "start": w.start,
                "end": w.end,
                "iso_year": w.iso_year,
                "iso_week": w.iso_week,
                "current": w.current,
                "status": w.status.value,
                "networks": [
                    {
                        "network": r.network,
                        "label": r.label,
                        "planned": r.planned,
                        "scheduled": r.scheduled,
                        "published": r.published,
                        "status": r.status.value,
                        "text": r.text,
                    }
                    for r in w.rows
                ],
            }
            for w in result.weeks
        ],
        "pillars": [
            {
                "pillar": p.pillar_id,
                "name": p.name,
                "target": p.target,
                "count": p.count,
                "share": round(p.share, 1),
                "off": p.off,
            }
            for p in result.pillars.rows
        ],
    }
