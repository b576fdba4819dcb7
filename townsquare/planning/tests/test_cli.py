"""`townsquare plan show|export|import`: a file is checked in full before anything is saved."""

import json

import pytest
from django.core.management import CommandError, call_command

from townsquare.planning.access import workspace_plan
from townsquare.planning.actions import do_replace_plan
from townsquare.planning.models import Campaign, NetworkPlan, Pillar, Plan, PlanVersion

pytestmark = pytest.mark.django_db

PLAN = {
    "summary": "Leipzig kennt uns",
    "tone": {"address": "du", "emoji_policy": "few", "max_emoji": 2},
    "networks": [
        {
            "network": "linkedin_page",
            "posts_per_week": 3,
            "preferred_days": [1, 2, 3],
            "preferred_times": ["09:00"],
            "rationale": "Geschäftskunden",
        }
    ],
    "goals": [{"metric": "reach", "target": "50000", "due_on": "2027-06-30"}],
    "pillars": [{"name": "Röstkunst", "target_share": 60}, {"name": "Rezepte", "target_share": 40}],
    "audiences": [{"name": "Kaffeeliebhaber", "networks": ["instagram"]}],
    "campaigns": [{"name": "Frühjahrsaktion", "starts_on": "2027-03-01", "ends_on": "2027-03-31"}],
}


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_show_prints_the_plan_and_json(membership, workspace_a):
    do_replace_plan(membership, workspace_plan(workspace_a), PLAN)
    text = _run("show", "--workspace", workspace_a.slug, "--language", "en")
    assert "LinkedIn (page): 3 per week · Tu, We, Th · 09:00" in text
    assert "Röstkunst: 60 %" in text and "Frühjahrsaktion: 2027-03-01 – 2027-03-31" in text
    data = json.loads(_run("show", "--workspace", workspace_a.slug, "--json"))
    assert data["version"] == 1 and data["networks"][0]["posts_per_week"] == 3


def test_export_then_import_round_trips_into_another_workspace(
    tmp_path, membership, workspace_a, workspace_b
):
    do_replace_plan(membership, workspace_plan(workspace_a), PLAN)
    campaign = Campaign.objects.get(workspace=workspace_a)
    from townsquare.planning.access import campaign_plan

    do_replace_plan(
        membership,
        campaign_plan(campaign),
        {"networks": [{"network": "instagram", "posts_per_week": 7}]},
    )
    file = tmp_path / "plan.json"
    _run("export", "--workspace", workspace_a.slug, str(file))
    out = _run("import", "--workspace", workspace_b.slug, str(file))
    assert "saved as v1, v1" in out
    plan_b = Plan.objects.get(workspace=workspace_b, campaign=None)
    assert plan_b.address == "du" and plan_b.networks.get().preferred_times == ["09:00"]
    assert sorted(Pillar.objects.filter(workspace=workspace_b).values_list("name", flat=True)) == [
        "Rezepte",
        "Röstkunst",
    ]
    campaign_b = Campaign.objects.get(workspace=workspace_b)
    assert NetworkPlan.objects.get(plan__campaign=campaign_b).posts_per_week == 7


def test_a_bad_file_is_refused_whole_and_nothing_is_saved(tmp_path, workspace_a):
    bad = dict(PLAN, pillars=[{"name": "A", "target_share": 70}, {"name": "B", "target_share": 40}])
    file = tmp_path / "plan.json"
    file.write_text(json.dumps({"plan": bad}), encoding="utf-8")
    refusal = r"add up to 110 %; at most 100 % in all\. Nothing was imported\."
    with pytest.raises(CommandError, match=refusal):
        _run("import", "--workspace", workspace_a.slug, "--language", "en", str(file))
    file.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        _run("import", "--workspace", workspace_a.slug, "--language", "en", str(file))
    file.write_text(
        json.dumps({"plan": dict(PLAN, networks=[{"network": "x", "preferred_days": [9]}])})
    )
    with pytest.raises(CommandError, match="9 is no day"):
        _run("import", "--workspace", workspace_a.slug, "--language", "en", str(file))
    with pytest.raises(CommandError, match="no workspace"):
        _run("import", "--workspace", "nope", "--language", "en", str(file))
    assert not PlanVersion.objects.exists() and not Pillar.objects.exists()
    assert not Campaign.objects.exists()


def test_messages_follow_the_workspace_language(tmp_path, workspace_a):
    file = tmp_path / "plan.json"
    file.write_text(json.dumps({"plan": {"networks": [{"network": "myspace"}]}}), encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"Unbekanntes Netzwerk: myspace.*Es wurde nichts importiert"
    ):
        _run("import", "--workspace", workspace_a.slug, str(file))


def test_plan_check_still_reaches_the_weekly_plan_check(membership, workspace_a):
    do_replace_plan(membership, workspace_plan(workspace_a), PLAN)
    text = _run("check", "--workspace", workspace_a.slug, "--language", "en")
    assert text.strip(), "the compliance check printed its title and body"
