"""`townsquare queue add --workspace SLUG --post ID` and `townsquare queue slots ...`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from townsquare.content.models import Post
from townsquare.lib.bounds import id_from_text
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.queues import queue_actions, slot_actions
from townsquare.queues.models import Slot
from townsquare.workspaces.models import Membership, Workspace

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday(text: str) -> int:
    key = text.strip().lower()[:3]
    if key in DAYS:
        return DAYS.index(key)
    if key.isdigit() and 0 <= int(key) <= 6:
        return int(key)
    raise CommandError(f"--weekday: give mon..sun or 0..6 (0 = Monday), not {text!r}.")


def _id(text: str, what: str) -> int:
    number = id_from_text(text)
    if number is None:
        raise CommandError(f"{what}: give a number, not {text!r}.")
    return number


class Command(BaseCommand):
    help = (
        "The posting queue: add a post to the next free slot, and list, add, remove or "
        "fill (from the plan) the weekly posting slots of a workspace's accounts."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def common(p: Any) -> None:
            p.add_argument("--workspace", required=True, help="The workspace's slug.")
            p.add_argument(
                "--as",
                dest="actor",
                default="",
                help="E-mail of the member acting (default: the workspace's first owner).",
            )
            p.add_argument("--language", choices=["en", "de"], default="en")

        add = sub.add_parser("add", help="Schedule a post at the next free slot.")
        common(add)
        add.add_argument("--post", required=True, help="The post's id.")
        add.add_argument(
            "--confirm-duplicate",
            action="store_true",
            help="Schedule even when a very similar post went to the same account.",
        )
        slots = sub.add_parser("slots", help="Posting slots.")
        slot_sub = slots.add_subparsers(dest="slot_action", required=True)
        listing = slot_sub.add_parser("list", help="Every slot of every account.")
        common(listing)
        adding = slot_sub.add_parser("add", help="Add a weekly slot to an account.")
        common(adding)
        adding.add_argument("--account", required=True, help="The account's id.")
        adding.add_argument("--weekday", required=True, help="mon..sun or 0..6.")
        adding.add_argument("--time", required=True, help="HH:MM in the workspace's zone.")
        removing = slot_sub.add_parser("remove", help="Remove a slot.")
        common(removing)
        removing.add_argument("--slot", required=True, help="The slot's id.")
        filling = slot_sub.add_parser("fill", help="Slots from the plan's preferred days/times.")
        common(filling)

    def _membership(self, options: dict[str, Any]) -> Membership:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace {options['workspace']!r}.")
        members = Membership.objects.filter(workspace=workspace).select_related("user", "workspace")
        if options["actor"]:
            membership = members.filter(user__email__iexact=options["actor"]).first()
            if membership is None:
                raise CommandError(f"{options['actor']} is not a member of {workspace.slug}.")
            return membership
        membership = members.filter(role="owner").order_by("pk").first()
        if membership is None:
            raise CommandError(f"{workspace.slug} has no owner; name a member with --as.")
        return membership

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            membership = self._membership(options)
            try:
                if options["action"] == "add":
                    self._add(membership, options)
                else:
                    self._slots(membership, options)
            except ActionError as error:
                raise CommandError(error.message) from None
            except PermissionDenied:
                raise CommandError(
                    f"{membership.user.email} may not do this in {membership.workspace.slug}."
                ) from None

    def _add(self, membership: Membership, options: dict[str, Any]) -> None:
        post = Post.objects.filter(
            workspace=membership.workspace, pk=_id(options["post"], "--post")
        ).first()
        if post is None:
            raise CommandError(f"No post {options['post']} in {membership.workspace.slug}.")
        pubs = queue_actions.do_add_to_queue(
            membership, post, confirm_duplicate=options["confirm_duplicate"]
        )
        first = pubs[0]
        self.stdout.write(
            f"Post {post.pk} queued for {first.local_due.replace('T', ' ')} "
            f"({first.time_zone}) on {len(pubs)} account(s)."
        )

    def _account(self, membership: Membership, text: str) -> SocialAccount:
        account = SocialAccount.objects.filter(
            workspace=membership.workspace, pk=_id(text, "--account")
        ).first()
        if account is None:
            raise CommandError(f"No account {text} in {membership.workspace.slug}.")
        return account

    def _slots(self, membership: Membership, options: dict[str, Any]) -> None:
        action = options["slot_action"]
        if action == "list":
            for slot in Slot.objects.filter(
                workspace=membership.workspace, account__removed_at=None
            ).select_related("account"):
                self.stdout.write(
                    f"{slot.pk}\t{slot.account_id}\t{slot.account}\t"
                    f"{DAYS[slot.weekday]}\t{slot.time:%H:%M}"
                )
        elif action == "add":
            account = self._account(membership, options["account"])
            try:
                at = datetime.strptime(options["time"], "%H:%M").time()
            except ValueError:
                raise CommandError(f"--time: give HH:MM, not {options['time']!r}.") from None
            slot = slot_actions.do_add_slot(membership, account, _weekday(options["weekday"]), at)
            self.stdout.write(f"Slot {slot.pk} added: {account} {DAYS[slot.weekday]} {at:%H:%M}.")
        elif action == "remove":
            slot = Slot.objects.filter(
                workspace=membership.workspace, pk=_id(options["slot"], "--slot")
            ).first()
            if slot is None:
                raise CommandError(f"No slot {options['slot']} in {membership.workspace.slug}.")
            slot_actions.do_remove_slot(membership, slot)
            self.stdout.write(f"Slot {options['slot']} removed.")
        else:
            created = slot_actions.do_fill_slots_from_plan(membership)
            self.stdout.write(f"{len(created)} slot(s) added from the plan.")
