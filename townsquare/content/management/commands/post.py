import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townsquare.content.cli_validate import (
    InputError,
    format_reports,
    read_post_file,
    validate_post_file,
)


class Command(BaseCommand):
    help = "Work with posts from the command line. `post validate FILE` adapts and checks a text."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser("validate", help="Adapt FILE for each network and validate it.")
        validate.add_argument(
            "file", type=Path, help="A UTF-8 text file, or JSON like the API's post body."
        )
        validate.add_argument(
            "--network", action="append", default=[], help="Only this network (repeatable)."
        )
        validate.add_argument(
            "--language", choices=["en", "de"], default="en", help="Language of the messages."
        )
        validate.add_argument(
            "--show-text", action="store_true", help="Print each adapted variant."
        )
        validate.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            post = read_post_file(options["file"], tuple(options["network"]))
        except InputError as error:
            raise CommandError(str(error)) from None
        reports = validate_post_file(post, options["language"])
        if options["json"]:
            self.stdout.write(
                json.dumps([asdict(r) for r in reports], ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write(format_reports(reports, options["show_text"]))
        if any(r.errors for r in reports):
            raise CommandError("Some networks would refuse this post.", returncode=1)
