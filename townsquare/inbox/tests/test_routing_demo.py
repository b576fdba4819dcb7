"""The demo's routing: teams, departments, rules and business hours in each workspace's
language; the demo inbox is routed by them; twice is once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from townsquare.demo.accounts import seed_accounts
from townsquare.demo.inbox_rules import seed_inbox_rules
from townsquare.demo.people import seed_people
from townsquare.inbox.models import Department, InboxSettings, Rule, Team
from townsquare.inbox.routing import route_new
from townsquare.inbox.tests.test_routing_support import make_message
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_routing_in_each_language_and_twice_is_once(client):
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    for workspace in workspaces:
        seed_inbox_rules(workspace)
    counts = (Team.objects.count(), Department.objects.count(), Rule.objects.count())
    for workspace in workspaces:
        seed_inbox_rules(workspace)
    assert counts == (Team.objects.count(), Department.objects.count(), Rule.objects.count())
    by_language = {w.language: w for w in workspaces}
    german, english = by_language["de"], by_language["en"]
    assert set(Team.objects.filter(workspace=german).values_list("name", flat=True)) == {
        "Kundenservice",
        "Social",
    }
    assert set(Department.objects.filter(workspace=english).values_list("email", flat=True)) == {
        "product@example.com",
        "legal@example.com",
    }
    assert not Department.objects.exclude(webhook_url="").exists()
    assert InboxSettings.objects.get(workspace=german).business_hours["mon"] == [["09:00", "18:00"]]
    complaint_rule = Rule.objects.get(workspace=german, conditions={"category": ["complaint"]})
    assert (complaint_rule.first_response_minutes, complaint_rule.resolution_minutes) == (120, 1440)
    account = SocialAccount.objects.filter(workspace=german).first()
    message = make_message(account, "Schon wieder kaputt!", category="complaint")
    idea = make_message(account, "Macht doch eine Hafermilch-Edition", category="suggestion")
    route_new([message, idea])
    message.conversation.refresh_from_db()
    assert message.conversation.team.name == "Kundenservice"
    assert message.conversation.assignee is not None
    assert message.conversation.first_response_due_at is not None
    idea.conversation.refresh_from_db()
    assert idea.conversation.labels == ["Idee"]
    assert idea.conversation.forwards.get().department.name == "Produkt"
    client.force_login(user)
    for workspace in workspaces:
        page = client.get(reverse("inbox_settings_rules", args=[workspace.slug]))
        assert page.status_code == 200
    assert (
        "Beschwerden an den Kundenservice"
        in client.get(reverse("inbox_settings_rules", args=[german.slug])).content.decode()
    )
