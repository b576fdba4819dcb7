"""Inbox > Settings: pages in English and German, changes through the forms, the API's
CRUD for teams, departments and rules, permissions, tenancy and the audit log."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from townsquare.api.actions import do_create_api_token
from townsquare.audit.models import AuditEvent
from townsquare.inbox.forwarding import department_secret
from townsquare.inbox.models import Department, InboxSettings, Rule, Team
from townsquare.inbox.tests.test_routing_support import make_rule, member

pytestmark = pytest.mark.django_db


def url(name: str, workspace, *args) -> str:
    return reverse(name, args=[workspace.slug, *args])


def call(client, method, path, body=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.generic(
        method,
        f"/api/v1/workspaces/{path}",
        json.dumps(body) if body is not None else "",
        "application/json",
        **headers,
    )


@pytest.fixture
def token(alice, workspace_a):
    return do_create_api_token(alice, name="t", workspace_slugs=[workspace_a.slug])[1]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Inbox settings", "Business hours", "Storm alarm factor"]),
        ("de", ["Einstellungen des Posteingangs", "Geschäftszeiten", "Sturmalarm"]),
    ],
)
def test_the_general_page_speaks_english_and_german(
    alice_client, alice, workspace_a, language, words
):
    alice.language = language
    alice.save(update_fields=["language"])
    page = alice_client.get(url("inbox_settings", workspace_a))
    assert page.status_code == 200
    text = page.content.decode()
    for word in words:
        assert word in text


def test_business_hours_and_settings_are_saved_from_the_form(alice_client, workspace_a, alice):
    answer = alice_client.post(
        url("inbox_settings", workspace_a),
        {
            "hours_mon": "9:00-12:00, 13:00-17:00",
            "hours_fri": "09:00-15:00",
            "retention_days": "365",
            "replies_need_approval": "on",
            "spike_factor": "4",
            "digest_recipients": [str(alice.pk)],
        },
    )
    assert answer.status_code == 302
    saved = InboxSettings.objects.get(workspace=workspace_a)
    assert saved.business_hours == {
        "mon": [["09:00", "12:00"], ["13:00", "17:00"]],
        "fri": [["09:00", "15:00"]],
    }
    assert saved.retention_days == 365 and saved.replies_need_approval
    assert saved.spike_factor == 4 and list(saved.digest_recipients.all()) == [alice]
    assert AuditEvent.objects.filter(action="inbox.settings_update").exists()
    page = alice_client.get(url("inbox_settings", workspace_a)).content.decode()
    assert "09:00-12:00, 13:00-17:00" in page


def test_malformed_hours_are_refused_with_a_reason(alice_client, workspace_a):
    answer = alice_client.post(
        url("inbox_settings", workspace_a), {"hours_mon": "17:00-09:00", "spike_factor": "3"}
    )
    assert answer.status_code == 200
    assert "Business hours need times" in answer.content.decode()
    assert not InboxSettings.objects.filter(workspace=workspace_a, business_hours__mon=[]).exists()


def test_teams_departments_and_rules_from_the_pages(alice_client, workspace_a, bob):
    alice_client.post(
        url("inbox_settings_teams", workspace_a), {"name": "Kundenservice", "members": [bob.pk]}
    )
    team = Team.objects.get(name="Kundenservice")
    assert list(team.members.all()) == [bob]
    secret_page = alice_client.post(
        url("inbox_settings_departments", workspace_a),
        {
            "name": "Rechtsabteilung",
            "email": "recht@example.de",
            "webhook_url": "https://hooks.example.com/inbox/abcdefghijkl",
        },
    )
    department = Department.objects.get(name="Rechtsabteilung")
    secret = department_secret(department)
    assert secret in secret_page.content.decode()  # shown once, on this page
    listing = alice_client.get(url("inbox_settings_departments", workspace_a)).content.decode()
    assert secret not in listing
    assert "abcdefghijkl" not in listing and "https://hooks.example.com/" in listing
    # The masked address sent back unchanged keeps the address and its secret.
    edit = alice_client.get(url("inbox_settings_department", workspace_a, department.pk))
    masked_value = edit.context["form"].initial["webhook_url"]
    alice_client.post(
        url("inbox_settings_department", workspace_a, department.pk),
        {"name": "Recht", "email": "recht@example.de", "webhook_url": masked_value},
    )
    department.refresh_from_db()
    assert department.name == "Recht"
    assert department.webhook_url.endswith("abcdefghijkl")
    assert department_secret(department) == secret
    answer = alice_client.post(
        url("inbox_settings_rule_new", workspace_a),
        {
            "name": "Beschwerden",
            "active": "on",
            "category": ["complaint"],
            "keywords": "kaputt, Erstattung",
            "has_link": "no",
            "assign": f"team:{team.pk}",
            "assign_mode": "open_load",
            "labels": "Beschwerde",
            "priority": "1",
            "forward_department": str(department.pk),
            "first_response_minutes": "120",
            "resolution_minutes": "1440",
        },
    )
    assert answer.status_code == 302
    rule = Rule.objects.get(name="Beschwerden")
    assert rule.conditions == {
        "category": ["complaint"],
        "keywords": ["kaputt", "Erstattung"],
        "has_link": False,
    }
    assert rule.actions == {
        "assign_team": team.pk,
        "assign_mode": "open_load",
        "labels": ["Beschwerde"],
        "priority": 1,
        "forward_department": department.pk,
    }
    listing = alice_client.get(url("inbox_settings_rules", workspace_a)).content.decode()
    assert "Contains one of the words: kaputt, Erstattung" in listing
    assert "Assign to the team Kundenservice (fewest open conversations)" in listing
    assert "first answer within 2 h" in listing
    form = alice_client.get(url("inbox_settings_rule", workspace_a, rule.pk))
    assert form.context["form"].initial["keywords"] == "kaputt, Erstattung"


def test_rules_move_up_and_down(alice_client, workspace_a):
    first = make_rule(workspace_a, "Eins", {}, {})
    second = make_rule(workspace_a, "Zwei", {}, {})
    alice_client.post(url("inbox_settings_rule_move", workspace_a, second.pk), {"direction": "up"})
    assert list(Rule.objects.order_by("position").values_list("name", flat=True)) == [
        "Zwei",
        "Eins",
    ]
    alice_client.post(url("inbox_settings_rule_delete", workspace_a, first.pk))
    assert list(Rule.objects.values_list("name", flat=True)) == ["Zwei"]
    assert AuditEvent.objects.filter(action="inbox.rules_reorder").exists()
    assert AuditEvent.objects.filter(action="inbox.rule_delete").exists()


def test_a_viewer_reads_but_cannot_change(client, workspace_a):
    viewer = member(workspace_a, "viewer@example.com", role="viewer")
    client.force_login(viewer)
    assert client.get(url("inbox_settings_rules", workspace_a)).status_code == 200
    answer = client.post(url("inbox_settings_teams", workspace_a), {"name": "X"})
    assert answer.status_code == 403
    assert not Team.objects.exists()


def test_another_workspaces_objects_are_not_found(client, carol, workspace_a, workspace_b):
    team = Team.objects.create(workspace=workspace_a, name="Support")
    client.force_login(carol)
    assert client.get(url("inbox_settings_team", workspace_b, team.pk)).status_code == 404
    assert client.get(url("inbox_settings", workspace_a)).status_code == 404


def test_api_crud_of_teams_departments_and_rules(client, workspace_a, token, bob):
    ws = workspace_a.slug
    team = call(client, "POST", f"{ws}/inbox/teams", {"name": "Social", "members": [bob.pk]}, token)
    assert team.status_code == 201 and team.json()["members"] == [bob.pk]
    team_id = team.json()["id"]
    renamed = call(client, "PUT", f"{ws}/inbox/teams/{team_id}", {"name": "Social Media"}, token)
    assert renamed.json() == {"id": team_id, "name": "Social Media", "members": []}
    department = call(
        client,
        "POST",
        f"{ws}/inbox/departments",
        {
            "name": "Product",
            "email": "product@example.com",
            "webhook_url": "https://hooks.example.com/p/0123456789abcdef",
        },
        token,
    )
    assert department.status_code == 201
    body = department.json()
    assert body["webhook_secret"].startswith("whsec_")
    assert "0123456789abcdef" not in body["webhook_url"]
    got = call(client, "GET", f"{ws}/inbox/departments/{body['id']}", token=token).json()
    assert got["webhook_secret"] == "" and got["has_webhook_secret"]
    rule = call(
        client,
        "POST",
        f"{ws}/inbox/rules",
        {
            "name": "Ideas",
            "conditions": {"category": ["suggestion"]},
            "actions": {"labels": ["idea"], "forward_department": body["id"]},
        },
        token,
    )
    assert rule.status_code == 201, rule.content
    second = call(
        client, "POST", f"{ws}/inbox/rules", {"name": "Spam", "actions": {"hide": True}}, token
    )
    ids = [rule.json()["id"], second.json()["id"]]
    order = call(client, "PUT", f"{ws}/inbox/rules/order", {"rules": ids[::-1]}, token)
    assert [r["id"] for r in order.json()] == ids[::-1]
    listed = call(client, "GET", f"{ws}/inbox/rules", token=token).json()
    assert [r["name"] for r in listed] == ["Spam", "Ideas"]
    bad = call(
        client,
        "POST",
        f"{ws}/inbox/rules",
        {"name": "Bad", "conditions": {"colour": ["red"]}},
        token,
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "condition"
    foreign = call(
        client,
        "POST",
        f"{ws}/inbox/rules",
        {"name": "Bad", "actions": {"assign_team": 2**62}},
        token,
    )
    assert foreign.status_code == 422 and foreign.json()["error"]["code"] == "assign_team"
    assert call(client, "DELETE", f"{ws}/inbox/rules/{ids[0]}", token=token).status_code == 204
    assert call(client, "DELETE", f"{ws}/inbox/teams/{team_id}", token=token).status_code == 204
    settings = call(
        client,
        "PUT",
        f"{ws}/inbox/settings",
        {"business_hours": {"mon": [["09:00", "17:00"]]}, "spike_factor": 5},
        token,
    )
    assert settings.status_code == 200 and settings.json()["spike_factor"] == 5


def test_api_refuses_another_workspaces_objects(client, workspace_a, workspace_b, token):
    theirs = Rule.objects.create(workspace=workspace_b, name="Theirs")
    path = f"{workspace_a.slug}/inbox/rules/{theirs.pk}"
    assert call(client, "GET", path, token=token).status_code == 404
    assert call(client, "DELETE", path, token=token).status_code == 404
    assert Rule.objects.filter(pk=theirs.pk).exists()


def test_api_forwards_a_conversation_by_hand(client, workspace_a, workspace_b, token):
    from townsquare.inbox.models import Conversation, Forward
    from townsquare.inbox.tests.test_routing_support import make_message
    from townsquare.networks.models import SocialAccount

    account = SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@k")
    message = make_message(account, "Bitte an die Produktleute")
    department = Department.objects.create(
        workspace=workspace_a, name="Produkt", email="p@example.de"
    )
    theirs = Department.objects.create(workspace=workspace_b, name="Fremd", email="f@example.com")
    path = f"{workspace_a.slug}/inbox/conversations/{message.conversation_id}/forward"
    answer = call(client, "POST", path, {"department": department.pk, "note": "Idee"}, token)
    assert answer.status_code == 201, answer.content
    assert answer.json()[0]["channel"] == "email" and answer.json()[0]["status"] == "pending"
    assert Forward.objects.get().note == "Idee"
    refused = call(client, "POST", path, {"department": theirs.pk}, token)
    assert refused.status_code == 422
    assert Conversation.objects.get(pk=message.conversation_id).forwards.count() == 1
    assert AuditEvent.objects.filter(action="inbox.forward").count() == 1
