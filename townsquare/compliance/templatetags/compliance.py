"""`{% compliance_summary membership %}`: this week's figures against the plan, for the
dashboard, with a link to the compliance page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template

from townsquare.compliance.figures import week_start
from townsquare.compliance.marks import calendar_marks, local_today

register = template.Library()


@register.inclusion_tag("compliance/_summary.html")
def compliance_summary(membership: Any) -> dict[str, Any]:
    workspace = membership.workspace
    today = local_today(workspace)
    monday = week_start(today)
    marks = calendar_marks(workspace, monday, monday + timedelta(days=6), today=today)
    return {"workspace": workspace, "week": marks.week(monday), "has_plan": marks.has_plan}
