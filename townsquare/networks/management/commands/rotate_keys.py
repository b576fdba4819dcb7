from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townsquare.lib.crypto import SecretsUnavailable
from townsquare.networks.keys import check_keys, rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the first key of FIELD_ENCRYPTION_KEYS. Put a new "
        "key in front, run this, then remove the old key. --check only reports."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Report what needs rotating; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = check_keys() if options["check"] else rotate_keys()
        except SecretsUnavailable as error:
            raise CommandError(str(error)) from None
        if report.unreadable:
            raise CommandError(
                "These secrets cannot be opened with the configured keys, so nothing was "
                "changed. Add the key they were written with to FIELD_ENCRYPTION_KEYS, or "
                "connect these accounts again: " + ", ".join(report.unreadable)
            )
        if options["check"]:
            self.stdout.write(
                f"{report.rotated} secret(s) still need the first key; "
                f"{report.already_current} already use it."
            )
            return
        self.stdout.write(
            f"Re-encrypted {report.rotated} secret(s) with the first key. Keys after the first "
            "can now be removed from FIELD_ENCRYPTION_KEYS."
        )
