"""`{% queue_controls %}`: the composer's "Add to queue" button, the near-duplicate warning
and the Repeat fields, with what the person entered kept."""

from __future__ import annotations

from typing import Any

from django import template

from townsquare.lib.local_time import in_zone
from townsquare.queues.models import WEEKDAYS, Evergreen, SeriesOccurrence

register = template.Library()


@register.inclusion_tag("queues/_composer.html", takes_context=True)
def queue_controls(context: Any) -> dict[str, Any]:
    form = context.get("form")
    workspace = context.get("workspace")
    post = context.get("post")
    data = form.data if form is not None and form.is_bound else {}

    def value(name: str, default: str = "") -> str:
        got = data.get(name, default) if data else default
        return got if isinstance(got, str) else default

    chosen = set(data.getlist("repeat_weekdays")) if hasattr(data, "getlist") else set()
    duplicates = [
        {
            "post_id": d.post_id,
            "account": d.account,
            "published": d.published,
            "when": in_zone(d.when, workspace),
        }
        for d in getattr(form, "near_duplicates", [])
    ]
    occurrence = None
    evergreen = None
    if post is not None and post.pk:
        occurrence = SeriesOccurrence.objects.filter(post=post).select_related("series").first()
        evergreen = Evergreen.objects.filter(post=post).first()
    frequency = value("repeat_frequency")
    return {
        "workspace": workspace,
        "post": post,
        "duplicates": duplicates,
        "weekdays": [(str(n), label, str(n) in chosen) for n, label in WEEKDAYS],
        "frequency": frequency,
        "interval": value("repeat_interval", "1"),
        "end": value("repeat_end", "count"),
        "count": value("repeat_count", "8"),
        "until": value("repeat_until"),
        "rrule": value("repeat_rrule"),
        "repeat_open": bool(frequency or value("repeat_rrule")),
        "occurrence": occurrence,
        "evergreen": evergreen,
    }
