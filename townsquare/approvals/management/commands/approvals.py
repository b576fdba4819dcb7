"""`townsquare approvals list --workspace SLUG`: the posts in the approval flow."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from townsquare.approvals.access import settings_of
from townsquare.approvals.models import STATE_CHOICES, PostReview
from townsquare.workspaces.models import Workspace

STATES = [value for value, _label in STATE_CHOICES]


class Command(BaseCommand):
    help = "List the posts in review, with changes requested, on hold or approved."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        listing = sub.add_parser("list", help="List the posts in the approval flow")
        listing.add_argument("--workspace", required=True, help="The workspace's slug")
        listing.add_argument("--state", choices=STATES, help="Only posts in this state")
        listing.add_argument(
            "--all", action="store_true", help="Approved posts too (left out by default)"
        )
        listing.add_argument("--json", action="store_true", help="One JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["workspace"]
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"There is no workspace {slug!r}.")
        rows = (
            PostReview.objects.filter(workspace=workspace)
            .exclude(state="draft")
            .select_related("post", "submitted_by")
            .order_by("submitted_at", "id")
        )
        if options.get("state"):
            rows = rows.filter(state=options["state"])
        elif not options.get("all"):
            rows = rows.exclude(state="approved")
        items = [
            {
                "post_id": r.post_id,
                "state": r.state,
                "text": str(r.post),
                "proposed": f"{r.proposed_local} {r.proposed_zone}".strip(),
                "submitted_by": r.submitted_by.email if r.submitted_by else "",
                "submitted_at": r.submitted_at.isoformat() if r.submitted_at else "",
            }
            for r in rows
        ]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"workspace": slug, "mode": settings_of(workspace).mode, "posts": items},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        rules = settings_of(workspace)
        self.stdout.write(f"Approvals in {workspace.name}: {rules.mode}")
        if not items:
            self.stdout.write("No posts in the approval flow.")
            return
        for item in items:
            self.stdout.write(
                f"#{item['post_id']:<6} {item['state']:<18} {item['proposed'] or '-':<28} "
                f"{item['submitted_by'] or '-':<28} {item['text']}"
            )
