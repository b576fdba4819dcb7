"""Posting slots: the weekly times per account (in the workspace's zone) that the queue
fills, added by hand or from the plan's preferred days and times."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.queues.models import Slot
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

MAX_SLOTS_PER_ACCOUNT = 100


def _check_account(membership: Membership, account: SocialAccount) -> None:
    if account.workspace_id != membership.workspace_id or account.removed_at is not None:
        raise ActionError(_("Choose an account of this workspace."), code="unknown_account")


@transaction.atomic
def do_add_slot(membership: Membership, account: SocialAccount, weekday: int, at: time) -> Slot:
    require(membership, Perm.SCHEDULE_POSTS)
    _check_account(membership, account)
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise ActionError(
            _("Choose a weekday (Monday to Sunday)."), code="invalid_weekday", status=422
        )
    at = at.replace(second=0, microsecond=0, tzinfo=None)
    if Slot.objects.filter(account=account, weekday=weekday, time=at).exists():
        raise ActionError(
            _("This account already has a slot at that time."), code="slot_exists", status=409
        )
    if Slot.objects.filter(account=account).count() >= MAX_SLOTS_PER_ACCOUNT:
        raise ActionError(
            _("An account has at most %(max)s slots.") % {"max": MAX_SLOTS_PER_ACCOUNT},
            code="too_many_slots",
            status=422,
        )
    slot = Slot.objects.create(
        workspace=membership.workspace, account=account, weekday=weekday, time=at
    )
    record(
        actor=membership.user,
        action="queue.slot_add",
        target=slot,
        workspace=membership.workspace,
        after={"account": account.pk, "weekday": weekday, "time": at.strftime("%H:%M")},
    )
    return slot


@transaction.atomic
def do_remove_slot(membership: Membership, slot: Slot) -> None:
    require(membership, Perm.SCHEDULE_POSTS)
    if slot.workspace_id != membership.workspace_id:
        raise ActionError(_("Choose a slot of this workspace."), code="unknown_slot")
    record(
        actor=membership.user,
        action="queue.slot_remove",
        target=slot,
        workspace=membership.workspace,
        before={
            "account": slot.account_id,
            "weekday": slot.weekday,
            "time": slot.time.strftime("%H:%M"),
        },
    )
    slot.delete()


def plan_cadence(membership: Membership) -> dict[str, tuple[list[int], list[time]]]:
    """Preferred days and times per network from the workspace's plan (not a campaign's)."""
    from townsquare.planning.models import NetworkPlan

    out: dict[str, tuple[list[int], list[time]]] = {}
    rows = NetworkPlan.objects.filter(
        plan__workspace=membership.workspace, plan__campaign__isnull=True
    )
    for row in rows:
        days = sorted({d for d in row.preferred_days or [] if isinstance(d, int) and 0 <= d <= 6})
        times = []
        for text in row.preferred_times or []:
            try:
                times.append(datetime.strptime(str(text), "%H:%M").time())
            except ValueError:
                continue
        if days and times:
            out[row.network] = (days, sorted(set(times)))
    return out


@transaction.atomic
def do_fill_slots_from_plan(
    membership: Membership, accounts: Iterable[SocialAccount] | None = None
) -> list[Slot]:
    """Add a slot for each preferred day and time of the plan's network, for every account
    (or the ones given); slots already there stay. Nothing in the plan: a clear refusal."""
    require(membership, Perm.SCHEDULE_POSTS)
    cadence = plan_cadence(membership)
    if not cadence:
        raise ActionError(
            _(
                "The plan names no preferred days and times yet. Add them to the plan's "
                "cadence, or add slots by hand."
            ),
            code="plan_without_cadence",
            status=422,
        )
    if accounts is None:
        accounts = SocialAccount.objects.filter(workspace=membership.workspace)
    created = []
    for account in accounts:
        _check_account(membership, account)
        if account.network not in cadence:
            continue
        days, times = cadence[account.network]
        existing = set(Slot.objects.filter(account=account).values_list("weekday", "time"))
        for day in days:
            for at in times:
                if (day, at) in existing:
                    continue
                created.append(
                    Slot.objects.create(
                        workspace=membership.workspace, account=account, weekday=day, time=at
                    )
                )
    record(
        actor=membership.user,
        action="queue.slots_from_plan",
        target=membership.workspace,
        workspace=membership.workspace,
        after={"slots": len(created)},
    )
    return created
