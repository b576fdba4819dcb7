"""One `plan` command: every subcommand it documents runs through Django's call_command."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands

from townsquare.compliance.tests import factories as f
from townsquare.planning.access import workspace_plan
from townsquare.planning.models import Pillar

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_django_finds_the_one_plan_command_in_the_planning_app():
    assert get_commands()["plan"] == "townsquare.planning"


def test_the_help_names_every_subcommand():
    from townsquare.planning.management.commands.plan import Command

    for word in ("show", "export", "import", "start", "check"):
        assert f"`plan {word}" in Command.help


def test_show(membership, workspace_a):
    f.plan(workspace_a, {"linkedin_page": 2}, starts_on=date(2026, 1, 5))
    text = _run("show", "--workspace", workspace_a.slug, "--language", "en")
    assert "The plan starts on 2026-01-05" in text and "LinkedIn (page): 2 per week" in text
    data = json.loads(_run("show", "--workspace", workspace_a.slug, "--json"))
    assert data["starts_on"] == "2026-01-05"


def test_export_and_import_carry_the_start(membership, workspace_a, workspace_b, tmp_path):
    f.plan(workspace_a, {"mastodon": 1}, starts_on=date(2025, 9, 1))
    Pillar.objects.create(workspace=workspace_a, name="Röstkunst", target_share=50)
    file = tmp_path / "plan.json"
    assert "written to" in _run("export", "--workspace", workspace_a.slug, str(file))
    assert json.loads(file.read_text())["plan"]["starts_on"] == "2025-09-01"
    out = _run("import", "--workspace", workspace_b.slug, str(file))
    assert "Plan imported into" in out
    assert workspace_plan(workspace_b).starts_on == date(2025, 9, 1)


def test_start_sets_the_day_and_refuses_a_bad_one(membership, workspace_a):
    out = _run("start", "--workspace", workspace_a.slug, "2026-02-02")
    assert "starts on 2026-02-02 (version 1)" in out
    assert workspace_plan(workspace_a).starts_on == date(2026, 2, 2)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("start", "--workspace", workspace_a.slug, "--language", "en", "2.2.2026")
    with pytest.raises(CommandError, match="not a member"):
        _run("start", "--workspace", workspace_a.slug, "--as", "x@example.org", "2026-02-02")
    assert workspace_plan(workspace_a).version == 1


def test_check(membership, workspace_a):
    f.plan(workspace_a, {"linkedin_page": 2})
    text = _run("check", "--workspace", workspace_a.slug, "--language", "en")
    assert text.startswith("Plan check for week")
    with pytest.raises(CommandError, match="no workspace"):
        _run("check", "--workspace", "nope")
