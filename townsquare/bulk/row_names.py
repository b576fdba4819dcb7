"""An import row's names resolved in the workspace: accounts (by handle, id or
network:handle), campaign, pillar and audience by name, and the posting slots a row
without a time needs. `WorkspaceNames` reads the workspace once per import check.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from townsquare.approvals.access import settings_of
from townsquare.bulk.row_values import problem, split_list
from townsquare.content.service import ComposeReads
from townsquare.media.models import MediaAsset
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Audience, Campaign, Pillar
from townsquare.queues.models import Slot
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


class WorkspaceNames:
    """The workspace's accounts, campaigns, pillars, audiences and library, read once."""

    def __init__(self, membership: Membership) -> None:
        workspace = membership.workspace
        self.membership = membership
        self.workspace = workspace
        self.zone = workspace.time_zone
        self.accounts = list(SocialAccount.objects.filter(workspace=workspace))
        self.by_id = {a.pk: a for a in self.accounts}
        self.by_handle: dict[str, list[SocialAccount]] = {}
        for account in self.accounts:
            self.by_handle.setdefault(_handle_key(account.handle), []).append(account)
        self.networks = {a.network for a in self.accounts}
        self.campaigns = {_norm(c.name): c for c in Campaign.objects.filter(workspace=workspace)}
        self.pillars = {_norm(p.name): p for p in Pillar.objects.filter(workspace=workspace)}
        self.audiences = {_norm(a.name): a for a in Audience.objects.filter(workspace=workspace)}
        self.assets = {a.pk: a for a in MediaAsset.objects.filter(workspace=workspace)}
        self.may_schedule = has_perm(membership.role, Perm.SCHEDULE_POSTS)
        # With approvals on, every row goes to review (its time proposed), not to the queue.
        self.approvals = bool(settings_of(workspace).enabled)
        # What the composer reads (rules, tone, contacts), read once for all rows instead
        # of for each: checking 1,000 rows read them 1,000 times.
        self.compose_reads = ComposeReads(workspace)
        self.slots: dict[int, set[tuple[int, Any]]] = {a.pk: set() for a in self.accounts}
        for slot in Slot.objects.filter(account__workspace=workspace):
            self.slots.setdefault(slot.account_id, set()).add((slot.weekday, slot.time))


def _handle_key(handle: str) -> str:
    return handle.strip().casefold().lstrip("@")


def queue_slot_problems(
    names: WorkspaceNames, number: int, accounts: list[SocialAccount], problems: list[dict]
) -> None:
    """A row without a time goes to the queue: its accounts need a posting slot in common."""
    bare = [a for a in accounts if not names.slots.get(a.pk)]
    if bare:
        problems.append(
            problem(
                number,
                "time",
                "no_slots",
                _(
                    "No time given, and %(accounts)s has no posting slots for the queue. "
                    "Add slots under Settings > Queue, or give the row a time."
                ),
                accounts=", ".join(f"{a.network}:{a.handle}" for a in bare),
            )
        )
    elif not set.intersection(*(names.slots[a.pk] for a in accounts)):
        problems.append(
            problem(
                number,
                "time",
                "no_common_slot",
                _(
                    "No time given, and the accounts of this row have no posting slot in "
                    "common for the queue. Give them a common slot under Settings > Queue, "
                    "or give the row a time."
                ),
            )
        )


def resolve_accounts(
    names: WorkspaceNames, number: int, value: str, problems: list[dict]
) -> list[SocialAccount]:
    found: list[SocialAccount] = []
    items = split_list(value)
    if not items:
        problems.append(
            problem(number, "accounts", "accounts_required", _("Name at least one account."))
        )
        return found
    for item in items:
        account = _account(names, number, item, problems)
        if account is not None and account not in found:
            found.append(account)
    return found


def _account(
    names: WorkspaceNames, number: int, item: str, problems: list[dict]
) -> SocialAccount | None:
    if item.isascii() and item.isdigit():
        account = names.by_id.get(int(item)) if len(item) < 19 else None
        if account is None:
            problems.append(
                problem(
                    number,
                    "accounts",
                    "unknown_account",
                    _("There is no account with the id %(id)s in this workspace."),
                    id=item,
                )
            )
        return account
    network, _sep, handle = item.partition(":")
    if network.strip().lower() in names.networks and handle.strip():
        candidates = [
            a
            for a in names.by_handle.get(_handle_key(handle), [])
            if a.network == network.strip().lower()
        ]
    else:
        candidates = names.by_handle.get(_handle_key(item), [])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        problems.append(
            problem(
                number,
                "accounts",
                "unknown_account",
                _('"%(account)s" is not an account of this workspace.'),
                account=item[:100],
            )
        )
    else:
        problems.append(
            problem(
                number,
                "accounts",
                "ambiguous_account",
                _(
                    '"%(account)s" names accounts on several networks; write the network '
                    "before it, e.g. %(example)s."
                ),
                account=item[:100],
                example=min(f"{a.network}:{a.handle}" for a in candidates),
            )
        )
    return None


def resolve_named(
    number: int, kind: str, known: dict[str, Any], value: str, problems: list[dict]
) -> Any:
    if not value.strip():
        return None
    found = known.get(_norm(value))
    if found is None:
        messages = {
            "campaign": _('This workspace has no campaign named "%(name)s".'),
            "pillar": _('This workspace has no content pillar named "%(name)s".'),
            "audience": _('This workspace has no audience named "%(name)s".'),
        }
        problems.append(problem(number, kind, f"unknown_{kind}", messages[kind], name=value[:80]))
    return found
