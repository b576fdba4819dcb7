"""Demo data for the queues: posting slots for every account (from the plan's preferred
days and times, or Monday, Wednesday and Friday at 09:00 where the plan names none), a
weekly question with eight occurrences, and an evergreen post that went out six weeks ago.
Each part is looked up first, so a second run adds nothing."""

from __future__ import annotations

import contextlib
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from townsquare.content.actions import PostInput, do_save_post
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, utc_to_local
from townsquare.queues.evergreen_actions import do_set_evergreen
from townsquare.queues.models import Evergreen, SeriesOccurrence, Slot
from townsquare.queues.series_actions import do_create_series
from townsquare.queues.slot_actions import do_add_slot, do_fill_slots_from_plan
from townsquare.workspaces.models import Membership, Workspace

FALLBACK_SLOTS = ((0, time(9, 0)), (2, time(9, 0)), (4, time(9, 0)))
NETWORKS = ("bluesky", "mastodon")

TEXTS = {
    "de": {
        "series": "Montagsfrage: Wie trinkt ihr euren ersten Kaffee der Woche? Erzählt es uns "
        "in den Antworten!",
        "evergreen": "Wusstet ihr schon? Frisch gerösteter Kaffee schmeckt am besten zwei bis "
        "drei Wochen nach dem Röstdatum. Das Datum steht auf jeder Tüte.",
    },
    "en": {
        "series": "Monday question: where is your next trail taking you? Tell us in the replies!",
        "evergreen": "Trail tip: pack one more layer than you think you need. Mountain weather "
        "changes faster than any forecast.",
    },
}


def seed_queues(workspaces: list[Workspace]) -> None:
    for workspace in workspaces:
        owner = (
            Membership.objects.filter(workspace=workspace, role="owner")
            .select_related("user", "workspace")
            .first()
        )
        accounts = list(SocialAccount.objects.filter(workspace=workspace))
        if owner is None or not accounts:
            continue
        texts = TEXTS["de" if workspace.language == "de" else "en"]
        _slots(owner, accounts)
        targets = [a for a in accounts if a.network in NETWORKS] or accounts[:1]
        _series(owner, targets, texts["series"])
        # One account: its slots come back every week, whatever the others' cadence.
        _evergreen(owner, targets[:1], texts["evergreen"])


def _slots(owner: Membership, accounts: list[SocialAccount]) -> None:
    with contextlib.suppress(ActionError), transaction.atomic():
        do_fill_slots_from_plan(owner)
    for account in accounts:
        if Slot.objects.filter(account=account).exists():
            continue
        for weekday, at in FALLBACK_SLOTS:
            with contextlib.suppress(ActionError), transaction.atomic():
                do_add_slot(owner, account, weekday, at)


def _next_monday(workspace: Workspace) -> datetime:
    today = utc_to_local(timezone.now(), workspace.time_zone).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return datetime.combine(monday, time(9, 0))


def _series(owner: Membership, accounts: list[SocialAccount], text: str) -> None:
    workspace = owner.workspace
    if SeriesOccurrence.objects.filter(
        series__workspace=workspace, post__master_text=text
    ).exists():
        return
    with contextlib.suppress(ActionError), transaction.atomic():
        post = do_save_post(
            owner, PostInput(text=text, language=workspace.language), [a.pk for a in accounts]
        )
        do_create_series(
            owner, post, "FREQ=WEEKLY;COUNT=8", _next_monday(workspace), confirm_duplicate=True
        )


def _evergreen(owner: Membership, accounts: list[SocialAccount], text: str) -> None:
    workspace = owner.workspace
    if Evergreen.objects.filter(workspace=workspace, post__master_text=text).exists():
        return
    with contextlib.suppress(ActionError), transaction.atomic():
        post = do_save_post(
            owner, PostInput(text=text, language=workspace.language), [a.pk for a in accounts]
        )
        went_out = timezone.now() - timedelta(days=42)
        wall = utc_to_local(went_out, workspace.time_zone)
        for variant in post.variants.select_related("account"):
            Publication.objects.create(
                workspace=workspace,
                post=post,
                variant=variant,
                account=variant.account,
                status=Status.PUBLISHED,
                due_at=went_out,
                time_zone=workspace.time_zone,
                local_due=wall.isoformat(timespec="minutes"),
                published_at=went_out,
                attempt_count=1,
            )
        do_set_evergreen(owner, post, enabled=True, min_gap_days=30, max_reposts=3)
