"""Making a social media plan in the real UI: a network with its cadence (a wrong time
refused first, nothing lost), a content pillar and a goal, then the history shows who
changed what, version by version."""

import pytest
from playwright.sync_api import expect

from townsquare.planning.models import Goal, NetworkPlan, Pillar, PlanVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_plan_is_made_in_the_browser_and_its_history_shows_each_change(
    page, sign_in, alice, workspace_a, unlabelled_controls
):
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Social media plan")
    expect(page.get_by_text("No network in the plan yet.")).to_be_visible()

    page.get_by_role("link", name="Add a network").click()
    page.locator("#id_network").select_option("linkedin_page")
    page.get_by_label("Why this network").fill("Cafés und Büros als Geschäftskunden gewinnen")
    page.get_by_label("Publications per week").fill("3")
    for day in ("Tuesday", "Wednesday", "Thursday"):
        page.get_by_label(day).check()
    page.get_by_label("Preferred times").fill("9 Uhr")
    assert unlabelled_controls(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("“9 Uhr” is no time; write HH:MM")
    expect(page.get_by_label("Why this network")).to_have_value(
        "Cafés und Büros als Geschäftskunden gewinnen"
    )
    assert not NetworkPlan.objects.exists()
    page.get_by_label("Preferred times").fill("09:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The network is in the plan.")).to_be_visible()
    expect(page.locator("td.cadence")).to_have_text("3 per week · Tu, We, Th · 09:00")

    page.get_by_role("link", name="Add a pillar").click()
    page.get_by_label("Name").fill("Röstkunst")
    page.get_by_label("Target share (%)").fill("40")
    page.get_by_label("Colour").fill("#8b4513")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The pillar is saved.")).to_be_visible()
    expect(page.get_by_role("cell", name="40 %", exact=True)).to_be_visible()

    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Measure").select_option("follower_growth")
    page.get_by_label("Network").select_option("linkedin_page")
    page.get_by_label("Starting point").fill("800")
    page.get_by_label("Target").fill("1500")
    page.get_by_label("By").fill("2027-06-30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The goal is saved.")).to_be_visible()

    page.get_by_role("link", name="History").click()
    history = page.locator("ol.plan-history")
    expect(history.locator("li[id^=version-]")).to_have_count(3)
    expect(history).to_contain_text("LinkedIn (page) added to the plan (3 publications per week)")
    expect(history).to_contain_text("Pillar added: Röstkunst (40 %)")
    expect(history).to_contain_text("Goal added: follower growth 1500 by 2027-06-30")
    expect(history.locator("#version-3")).to_contain_text("Alice")

    entry = NetworkPlan.objects.get()
    assert (entry.posts_per_week, entry.preferred_days, entry.preferred_times) == (
        3,
        [1, 2, 3],
        ["09:00"],
    )
    assert Pillar.objects.get().target_share == 40
    assert str(Goal.objects.get().target) == "1500.00"
    assert PlanVersion.objects.count() == 3
    page.log.assert_clean()


def test_the_plan_pages_in_german_have_no_codes_and_no_english(page, sign_in, alice, membership):
    from test_german_pages import problems_on

    from townsquare.planning.access import campaign_plan, workspace_plan
    from townsquare.planning.actions import (
        do_replace_plan,
        do_save_campaign,
        do_save_network,
    )

    alice.language = "de"
    alice.save(update_fields=["language"])
    workspace = membership.workspace
    plan = do_replace_plan(
        membership,
        workspace_plan(workspace),
        {
            "summary": "Leipzig soll uns kennen.",
            "tone": {"address": "du", "emoji_policy": "few", "max_emoji": 2},
            "networks": [
                {
                    "network": "linkedin_page",
                    "posts_per_week": 2,
                    "preferred_days": [1, 2],
                    "preferred_times": ["09:00"],
                    "address": "sie",
                }
            ],
            "goals": [{"metric": "reach", "target": "50000", "due_on": "2027-06-30"}],
            "pillars": [{"name": "Röstkunst", "target_share": 40}],
            "audiences": [{"name": "Kaffeeliebhaber", "networks": ["instagram"]}],
        },
    )
    entry = plan.networks.get()
    do_save_network(membership, plan, {"network": "linkedin_page", "posts_per_week": 3}, entry)
    campaign = do_save_campaign(
        membership, {"name": "Frühjahrsaktion", "starts_on": "2027-03-01", "ends_on": "2027-03-31"}
    )
    do_replace_plan(membership, campaign_plan(campaign), {"networks": [{"network": "instagram"}]})
    version = plan.versions.order_by("-number").first()
    slug = workspace.slug
    sign_in(page, "alice@example.com", "alice-pass-123")
    paths = [
        f"/w/{slug}/plan/",
        f"/w/{slug}/plan/tone/",
        f"/w/{slug}/plan/networks/{entry.pk}/",
        f"/w/{slug}/plan/campaigns/",
        f"/w/{slug}/plan/campaigns/{campaign.pk}/",
        f"/w/{slug}/plan/history/",
        f"/w/{slug}/plan/versions/{version.pk}/",
    ]
    found = [problem for path in paths for problem in problems_on(page, path)]
    assert found == [], "\n".join(found)
    page.goto(f"/w/{slug}/plan/history/")
    expect(page.locator("ol.plan-history")).to_contain_text(
        "LinkedIn (Seite): Veröffentlichungen pro Woche 2 → 3"
    )
