"""`townsquare plan check`: this week's plan check printed, and sent with --send. The `plan`
command itself lives in the planning app (Django runs one command per name); this is the
part that belongs to compliance."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation

from townsquare.compliance.figures import week_start
from townsquare.compliance.marks import local_today
from townsquare.compliance.models import PlanCheck
from townsquare.compliance.weekly import check_text, send_check
from townsquare.workspaces.models import Workspace


def run_check(
    workspace: Workspace, *, language: str, send: bool, write: Callable[[str], None]
) -> None:
    """Print the check in `language`; with `send`, send it once per week to the owners and
    managers (each in their own language) and say to how many."""
    with translation.override(language):
        text = check_text(workspace)
    write(text.title)
    write("")
    write(text.body)
    if not send:
        return
    check = send_check(workspace)
    if check is None:
        monday = week_start(local_today(workspace))
        sent = PlanCheck.objects.filter(workspace=workspace, week_start=monday).first()
        when = f" at {sent.sent_at:%Y-%m-%d %H:%M} UTC" if sent else ""
        write(f"\nThis week's check was sent already{when}; not sent again.")
        return
    people = "person" if check.recipients == 1 else "people"
    write(
        f"\nSent to {check.recipients} {people} (the owners and managers), in the app and by email."
    )
