from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from townsquare.compliance.figures import week_start
from townsquare.compliance.marks import local_today
from townsquare.compliance.models import PlanCheck
from townsquare.compliance.weekly import check_text, send_check
from townsquare.workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Work with a workspace's social media plan. `plan check --workspace SLUG` prints this "
        "week's plan check; with --send it goes to the owners and managers (once a week)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "check", help="Last week against the plan, and what is missing this week."
        )
        check.add_argument("--workspace", required=True, help="The workspace's slug.")
        check.add_argument(
            "--send",
            action="store_true",
            help="Send it in the app and by email (once per week and workspace).",
        )
        check.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the printed check (the workspace's by default).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["workspace"]
        if "\x00" in slug:
            raise CommandError("There is no workspace with that slug.")
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"There is no workspace with the slug {slug!r}.")
        language = options.get("language") or workspace.language or settings.LANGUAGE_CODE
        with translation.override(language):
            text = check_text(workspace)
        self.stdout.write(text.title)
        self.stdout.write("")
        self.stdout.write(text.body)
        if not options.get("send"):
            return
        check = send_check(workspace)
        if check is None:
            monday = week_start(local_today(workspace))
            sent = PlanCheck.objects.filter(workspace=workspace, week_start=monday).first()
            when = f" at {sent.sent_at:%Y-%m-%d %H:%M} UTC" if sent else ""
            self.stdout.write(f"\nThis week's check was sent already{when}; not sent again.")
            return
        people = "person" if check.recipients == 1 else "people"
        self.stdout.write(
            f"\nSent to {check.recipients} {people} (the owners and managers), in the app and "
            "by email."
        )
