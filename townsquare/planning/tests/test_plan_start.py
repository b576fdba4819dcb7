"""The plan's start: shown on the plan page, changed in the form, the API and by import."""

from datetime import date

import pytest
from django.utils import timezone

from townsquare.planning.access import workspace_plan
from townsquare.planning.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_the_plan_page_shows_the_start_and_the_form_changes_it(alice_client, workspace_a):
    page = alice_client.get(f"/w/{workspace_a.slug}/plan/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="plan-start"' in page.content.decode()
    form = alice_client.get(f"/w/{workspace_a.slug}/plan/edit/").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in form
    response = alice_client.post(
        f"/w/{workspace_a.slug}/plan/edit/",
        {"summary": "Mehr Reichweite", "time_zone": "", "starts_on": "2026-03-02"},
    )
    assert response.status_code == 302, response.content.decode()
    assert workspace_plan(workspace_a).starts_on == date(2026, 3, 2)
    page = alice_client.get(f"/w/{workspace_a.slug}/plan/").content.decode()
    assert "March 2, 2026" in page or "Mar. 2, 2026" in page
    version = PlanVersion.objects.get(plan__workspace=workspace_a, number=1)
    assert version.snapshot["starts_on"] == "2026-03-02"


def test_the_plan_page_in_german_names_the_start(alice_client, workspace_a):
    plan = workspace_plan(workspace_a)
    plan.starts_on = date(2026, 3, 2)
    plan.save()
    page = alice_client.get(f"/w/{workspace_a.slug}/plan/", HTTP_ACCEPT_LANGUAGE="de")
    assert "Der Plan beginnt am 2. März 2026" in page.content.decode()


def test_the_form_refuses_a_missing_start(alice_client, workspace_a):
    response = alice_client.post(
        f"/w/{workspace_a.slug}/plan/edit/", {"summary": "x", "time_zone": "", "starts_on": ""}
    )
    assert response.status_code == 200
    assert workspace_plan(workspace_a).version == 0


def test_the_api_gives_and_changes_the_start(alice_client, workspace_a):
    url = f"/api/v1/workspaces/{workspace_a.slug}/plan"
    assert alice_client.get(url).json()["starts_on"] == timezone.localdate().isoformat()
    alice_client.put(url, {"summary": "Erst"}, content_type="application/json")
    answer = alice_client.put(url, {"starts_on": "2025-11-03"}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["starts_on"] == "2025-11-03"
    assert workspace_plan(workspace_a).starts_on == date(2025, 11, 3)
    versions = alice_client.get(f"{url}/versions").json()
    detail = alice_client.get(f"{url}/versions/{versions[0]['id']}").json()
    assert any(c["message_en"].startswith("The plan starts on ") for c in detail["changes"])
    bad = alice_client.put(url, {"starts_on": "3.11.2025"}, content_type="application/json")
    assert bad.status_code == 422
    assert workspace_plan(workspace_a).starts_on == date(2025, 11, 3)


def test_a_start_left_out_of_a_put_stays(alice_client, workspace_a):
    plan = workspace_plan(workspace_a)
    plan.starts_on = date(2025, 1, 6)
    plan.save()
    url = f"/api/v1/workspaces/{workspace_a.slug}/plan"
    answer = alice_client.put(url, {"summary": "Neu"}, content_type="application/json")
    assert answer.json()["starts_on"] == "2025-01-06"
