import os
import secrets
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from townsquare.demo.accounts import seed_accounts
from townsquare.demo.analytics import seed_analytics
from townsquare.demo.approvals import seed_approvals
from townsquare.demo.bulk import seed_bulk
from townsquare.demo.calendar import seed_calendar
from townsquare.demo.collection_states import seed_collection_states
from townsquare.demo.composer import seed_composer
from townsquare.demo.connected import seed_connected
from townsquare.demo.connections import seed_connections
from townsquare.demo.content import seed_content
from townsquare.demo.failures import seed_failures
from townsquare.demo.inbox import seed_inbox
from townsquare.demo.inbox_learning import seed_inbox_learning
from townsquare.demo.inbox_register import seed_inbox_register
from townsquare.demo.inbox_replies import seed_inbox_replies
from townsquare.demo.inbox_rules import seed_inbox_rules
from townsquare.demo.media import seed_media
from townsquare.demo.people import DEMO_EMAIL, seed_people
from townsquare.demo.planning import seed_plan
from townsquare.demo.queues import seed_queues
from townsquare.demo.reminders import seed_reminders


class Command(BaseCommand):
    help = "Create or refresh the demo workspaces and print the demo login."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("setup")
        login_file = settings.DATA_DIR / "demo-login.txt"
        password = None
        if login_file.exists():
            for line in login_file.read_text(encoding="utf-8").splitlines():
                if line.strip().startswith("Password:"):
                    password = line.split(":", 1)[1].strip()
        password = password or secrets.token_urlsafe(9)
        _user, workspaces = seed_people(password)
        seed_accounts(workspaces)
        seed_media(workspaces)
        seed_content(workspaces)
        seed_connections(workspaces)
        seed_collection_states(workspaces)  # after connections: the revoked login fails
        seed_composer(workspaces)
        seed_reminders(workspaces)
        seed_failures(workspaces)
        seed_plan(workspaces)
        seed_calendar(workspaces)
        seed_queues(workspaces)
        seed_approvals(workspaces)
        seed_bulk(workspaces)
        for workspace in workspaces:
            seed_inbox_rules(workspace)  # before the inbox, so that its messages are routed
        seed_inbox(workspaces)
        seed_inbox_register(workspaces)  # after the inbox: its feedback is in topics
        seed_inbox_replies(workspaces)
        seed_inbox_learning(workspaces)  # a correction and the model trained from it
        seed_analytics(workspaces)  # after the publications it links to
        seed_connected(workspaces)  # last: the seeders above pick accounts by network
        text = f"Demo login\n  Email:    {DEMO_EMAIL}\n  Password: {password}\n"
        fd = os.open(login_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        names = ", ".join(w.name for w in workspaces)
        self.stdout.write(f"Demo workspaces ready: {names}")
        self.stdout.write(text)
