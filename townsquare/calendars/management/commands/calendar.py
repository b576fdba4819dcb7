"""`townsquare calendar --workspace SLUG --from DATE --to DATE [--json]`: what is planned."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from townsquare.calendars import grid
from townsquare.calendars.tiles import (
    STATUSES,
    Filters,
    holidays_of,
    notes_between,
    tiles_between,
)
from townsquare.lib.local_time import zone_of
from townsquare.workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Print the calendar of a workspace from one day to another (at most 366 days): "
        "each post with its time in the workspace's zone, accounts and status; notes and "
        "public holidays."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workspace", required=True, help="The workspace's slug.")
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--network", default="", help="Only this network (e.g. bluesky).")
        parser.add_argument(
            "--status", default="", help=f"Only this status: {', '.join(STATUSES)}."
        )
        parser.add_argument("--language", choices=["en", "de"], default="en")
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace {options['workspace']!r}.")
        start, end = grid.parse_day(options["start"]), grid.parse_day(options["end"])
        if start is None or end is None:
            raise CommandError(
                "Give the days as YYYY-MM-DD, e.g. --from 2026-12-01 --to 2026-12-31."
            )
        problem = grid.check_range(start, end)
        if problem == "out_of_range":
            raise CommandError(f"Ask for days between {grid.FIRST_YEAR} and {grid.LAST_YEAR}.")
        if problem == "end_before_start":
            raise CommandError("--to is before --from.")
        if problem == "range_too_long":
            raise CommandError(f"Ask for at most {grid.MAX_RANGE_DAYS} days at once.")
        if options["status"] and options["status"] not in STATUSES:
            raise CommandError(f"Unknown status; use one of {', '.join(STATUSES)}.")
        filters = Filters(network=options["network"], status=options["status"])
        with translation.override(options["language"]):
            tiles = tiles_between(workspace, start, end, filters)
            notes = notes_between(workspace, start, end)
            holidays = holidays_of(workspace, start, end, options["language"])
        zone = zone_of(workspace)
        if options["json"]:
            from townsquare.calendars.api import tile_out

            self.stdout.write(
                json.dumps(
                    {
                        "time_zone": zone,
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "tiles": [tile_out(t).model_dump(mode="json") for t in tiles],
                        "notes": [
                            {"id": n.pk, "date": n.date.isoformat(), "text": n.text} for n in notes
                        ],
                        "holidays": [
                            {"date": d.isoformat(), "name": name}
                            for d, names in sorted(holidays.items())
                            for name in names
                        ],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(f"{workspace.name}: {start} – {end} ({zone})")
        days = sorted({t.day for t in tiles} | {n.date for n in notes} | set(holidays))
        for day in days:
            self.stdout.write(f"\n{day.isoformat()} {day.strftime('%a')}")
            for name in holidays.get(day, []):
                self.stdout.write(f"  * {name}")
            for note in (n for n in notes if n.date == day):
                self.stdout.write(f"  ! {note.text}")
            for tile in (t for t in tiles if t.day == day):
                networks = ", ".join(f"{a.network}:{a.label}" for a in tile.accounts)
                self.stdout.write(
                    f"  {tile.local:%H:%M}  #{tile.post_id} [{'/'.join(tile.statuses)}] "
                    f"{tile.text}  ({networks})"
                )
        if not days:
            self.stdout.write("Nothing planned.")
