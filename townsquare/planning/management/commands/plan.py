"""`townsquare plan show|export|import|start|check`: the social media plan from the command
line.

Django runs one command per name, so this is the only `plan` command: `check` (the weekly
plan check) is compliance's, printed by townsquare/compliance/check_command.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from townsquare.compliance.check_command import run_check
from townsquare.lib.errors import ActionError
from townsquare.planning.access import workspace_plan
from townsquare.planning.actions import do_import_plan, do_save_overview, export_plan
from townsquare.planning.presenting import cadence_text, plan_view
from townsquare.planning.snapshot import plan_snapshot
from townsquare.workspaces.models import Membership, Workspace

MAX_FILE_BYTES = 5_000_000


class Command(BaseCommand):
    help = (
        "The social media plan of a workspace: `plan show --workspace SLUG [--json]`, "
        "`plan export --workspace SLUG FILE.json`, `plan import --workspace SLUG FILE.json` "
        "(checked in full, saved as a new version, nothing saved when anything is wrong), "
        "`plan start --workspace SLUG YYYY-MM-DD` (compliance counts weeks from then) and "
        "`plan check --workspace SLUG [--send]` (this week against the plan)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def common(p: Any) -> None:
            p.add_argument("--workspace", required=True, help="The workspace's slug.")
            p.add_argument(
                "--language",
                choices=[code for code, _name in settings.LANGUAGES],
                help="Language of the output (the workspace's by default).",
            )

        def as_member(p: Any) -> None:
            p.add_argument(
                "--as",
                dest="actor",
                default="",
                help="E-mail of the member making the change (default: the first owner).",
            )

        show = sub.add_parser("show", help="Print the plan.")
        common(show)
        show.add_argument("--json", action="store_true", help="As JSON (as the API gives it).")
        export = sub.add_parser("export", help="Write the plan to a JSON file.")
        common(export)
        export.add_argument("file", help="The file to write (- for standard output).")
        load = sub.add_parser("import", help="Read a plan from a JSON file made by export.")
        common(load)
        load.add_argument("file", help="The file to read.")
        as_member(load)
        start = sub.add_parser(
            "start", help="Set the day the plan starts (compliance counts from its week)."
        )
        common(start)
        start.add_argument("day", help="The day, as YYYY-MM-DD.")
        as_member(start)
        check = sub.add_parser(
            "check", help="Last week against the plan, and what is missing this week."
        )
        common(check)
        check.add_argument(
            "--send",
            action="store_true",
            help="Send it in the app and by e-mail (once per week and workspace).",
        )

    def _workspace(self, slug: str) -> Workspace:
        workspace = None if "\x00" in slug else Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"There is no workspace with the slug {slug[:80]!r}.")
        return workspace

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = self._workspace(options["workspace"])
        language = options.get("language") or workspace.language or settings.LANGUAGE_CODE
        action = options["action"]
        if action == "check":
            run_check(workspace, language=language, send=options["send"], write=self.stdout.write)
            return
        with translation.override(language):
            if action == "show":
                self._show(workspace, as_json=options["json"])
            elif action == "export":
                self._export(workspace, options["file"])
            elif action == "start":
                self._start(workspace, options["day"], options.get("actor") or "")
            else:
                self._import(workspace, options["file"], options.get("actor") or "")

    def _show(self, workspace: Workspace, as_json: bool) -> None:
        plan = workspace_plan(workspace)
        if as_json:
            data = {"version": plan.version, **plan_snapshot(plan)}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        view = plan_view(plan)
        out = [f"{workspace.name} · {translation.gettext('Social media plan')} v{plan.version}"]
        out.append(f"{translation.gettext('The plan starts on')} {plan.starts_on.isoformat()}")
        if plan.summary:
            out += ["", plan.summary]
        out += ["", translation.gettext("Networks")]
        for row in view["networks"]:
            out.append(f"  {row['name']}: {cadence_text(row['entry'])}")
            if row["entry"].rationale:
                out.append(f"    {row['entry'].rationale}")
            for label, value in row["tone"]:
                out.append(f"    {label}: {value}")
        out += ["", translation.gettext("Tone")]
        out += [f"  {label}: {value}" for label, value in view["tone"]]
        out += ["", translation.gettext("Audiences")]
        out += [f"  {row['audience'].name}" for row in view["audiences"]]
        out += ["", translation.gettext("Goals")]
        for row in view["goals"]:
            out.append(
                f"  {row['metric']} ({row['network']}): {row['baseline'] or '–'} → "
                f"{row['target']}, {row['goal'].due_on.isoformat()}"
            )
        out += ["", translation.gettext("Content pillars")]
        out += [f"  {p.name}: {p.target_share} %" for p in view["pillars"]]
        out += ["", translation.gettext("Campaigns")]
        for campaign in workspace.campaigns.order_by("starts_on"):
            out.append(
                f"  {campaign.name}: {campaign.starts_on.isoformat()} – "
                f"{campaign.ends_on.isoformat()}"
            )
        self.stdout.write("\n".join(out))

    def _export(self, workspace: Workspace, file: str) -> None:
        text = json.dumps(export_plan(workspace_plan(workspace)), ensure_ascii=False, indent=2)
        if file == "-":
            self.stdout.write(text)
            return
        try:
            Path(file).write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from None
        self.stdout.write(f"Plan version {workspace_plan(workspace).version} written to {file}.")

    def _membership(self, workspace: Workspace, actor: str) -> Membership:
        members = Membership.objects.filter(workspace=workspace).select_related("user", "workspace")
        if actor:
            found = members.filter(user__email__iexact=actor).first()
            if found is None:
                raise CommandError(f"{actor} is not a member of {workspace.slug}.")
            return found
        found = members.filter(role="owner").order_by("pk").first()
        if found is None:
            raise CommandError(f"{workspace.slug} has no owner; name a member with --as.")
        return found

    def _start(self, workspace: Workspace, day: str, actor: str) -> None:
        plan = workspace_plan(workspace)
        membership = self._membership(workspace, actor)
        try:
            saved = do_save_overview(
                membership, plan, summary=plan.summary, time_zone=plan.time_zone, starts_on=day
            )
        except ActionError as error:
            raise CommandError(error.message) from None
        except PermissionDenied:
            raise CommandError("Only owners and managers may change the plan.") from None
        self.stdout.write(
            f"The plan of {workspace.slug} starts on {saved.starts_on.isoformat()} "
            f"(version {saved.version})."
        )

    def _import(self, workspace: Workspace, file: str, actor: str) -> None:
        path = Path(file)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{file} is larger than {MAX_FILE_BYTES // 1_000_000} MB.")
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text.") from None
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{file} is not valid JSON (line {error.lineno}, column {error.colno}: "
                f"{error.msg}). Nothing was imported."
            ) from None
        membership = self._membership(workspace, actor)
        try:
            versions = do_import_plan(membership, data)
        except ActionError as error:
            nothing = translation.gettext("Nothing was imported.")
            raise CommandError(f"{error.message} {nothing}") from None
        except PermissionDenied:
            raise CommandError("Only owners and managers may change the plan.") from None
        numbers = ", ".join(f"v{v.number}" for v in versions)
        self.stdout.write(f"Plan imported into {workspace.slug}: saved as {numbers}.")
