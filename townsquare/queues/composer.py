"""The composer's queue and repeat controls: what "Schedule" and "Add to queue" do when the
form carries the queues' fields (confirm_duplicate, repeat_*). Called from the composer's
save, inside its transaction: a refusal saves nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.queues import near_duplicates, queue_actions, series_actions
from townsquare.queues.recurrence import RecurrenceError, Repeat
from townsquare.workspaces.models import Membership

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY")
MAX_FIELD = 500


def _text(data: Any, name: str) -> str:
    value = data.get(name, "")
    return value.strip()[:MAX_FIELD] if isinstance(value, str) else ""


def repeat_rule(data: Any) -> str | None:
    """The rule the form's Repeat fields describe, or None when the post does not repeat.
    The advanced field (a raw RRULE) wins over the simple ones."""
    raw = _text(data, "repeat_rrule")
    if raw:
        return raw
    frequency = _text(data, "repeat_frequency").upper()
    if not frequency:
        return None
    if frequency not in FREQUENCIES:
        raise ActionError(_("Choose how often it repeats."), code="invalid_rrule", status=422)
    try:
        interval = int(_text(data, "repeat_interval") or "1")
    except ValueError:
        raise ActionError(
            _("Repeat every: give a whole number."), code="invalid_rrule", status=422
        ) from None
    weekdays = []
    for value in data.getlist("repeat_weekdays") if hasattr(data, "getlist") else []:
        if isinstance(value, str) and value.isdigit() and int(value) <= 6:
            weekdays.append(int(value))
    end = _text(data, "repeat_end")
    count = until = None
    if end == "count":
        try:
            count = int(_text(data, "repeat_count"))
        except ValueError:
            raise ActionError(
                _("Ends after: give the number of times."), code="invalid_rrule", status=422
            ) from None
        if count < 1:
            raise ActionError(_("Ends after: at least once."), code="invalid_rrule", status=422)
    elif end == "until":
        try:
            until = date.fromisoformat(_text(data, "repeat_until"))
        except ValueError:
            raise ActionError(
                _("Ends on: choose a date."), code="invalid_rrule", status=422
            ) from None
    try:
        return Repeat(frequency, interval, tuple(weekdays), count, until).rule()
    except RecurrenceError as error:
        raise ActionError(
            series_actions.recurrence_message(error), code="invalid_rrule", status=422
        ) from None


def schedule_from_composer(membership: Membership, post: Post, action: str, form: Any) -> None:
    """action "schedule": at the form's time; "queue": at the next free slot. With Repeat
    fields, the post starts a series at that time. A near-duplicate is refused (its
    matches kept on the form for the warning) unless "Schedule anyway" is ticked."""
    data = form.data
    confirm = data.get("confirm_duplicate") in ("on", "1", "true")
    try:
        rule = repeat_rule(data)
        if action == "queue":
            if rule:
                first, _due = queue_actions.next_free_slot(post)
                series_actions.do_create_series(
                    membership, post, rule, first, confirm_duplicate=confirm
                )
            else:
                queue_actions.do_add_to_queue(membership, post, confirm_duplicate=confirm)
            return
        when: datetime | None = form.cleaned_data.get("when")
        if rule:
            if when is None:
                raise ActionError(
                    _("Choose the time of the first post."), code="when_required", status=422
                )
            series_actions.do_create_series(
                membership, post, rule, when.replace(tzinfo=None), confirm_duplicate=confirm
            )
        else:
            queue_actions.do_schedule_checked(membership, post, when, confirm_duplicate=confirm)
    except near_duplicates.NearDuplicate as error:
        form.near_duplicates = error.duplicates
        raise
