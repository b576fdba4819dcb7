"""Times in templates: `{{ when|local_time:workspace }}` is the time in the workspace's zone
with the zone named; `{{ when|ago }}` and `{{ when|time_left }}` are spans in words."""

from __future__ import annotations

from datetime import datetime

from django import template

from townsquare.lib import local_time as times

register = template.Library()


@register.filter
def local_time(value: datetime | None, where: object = None) -> str:
    return times.in_zone(value, where) if isinstance(value, datetime) else ""


@register.filter
def local_date(value: datetime | None, where: object = None) -> str:
    return times.in_zone(value, where, date_only=True) if isinstance(value, datetime) else ""


@register.filter
def ago(value: datetime | None) -> str:
    return times.ago(value) if isinstance(value, datetime) else ""


@register.filter
def time_left(value: datetime | None) -> str:
    return times.time_left(value) if isinstance(value, datetime) else ""
