"""The audit log reads as sentences: what happened in words, each change as
"field: old → new" with names instead of codes, and times in the workspace's zone."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse

import townsquare
from townsquare.audit.models import AuditEvent
from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.actions import do_schedule_post
from townsquare.workspaces.actions import do_change_role

pytestmark = pytest.mark.django_db

PACKAGE = Path(townsquare.__file__).resolve().parent
# snake_case identifiers, as a person would never write them (e-mail addresses and domains
# are not codes).
SNAKE_CASE = re.compile(r"(?<![@\w./-])[a-z]+(?:_[a-z0-9]+)+(?![\w.@/-])")


def audit_page(client, workspace) -> str:
    response = client.get(reverse("workspace_audit", args=[workspace.slug]))
    assert response.status_code == 200
    return response.content.decode()


def table_of(page: str) -> str:
    """The visible text of the log's table, tags removed."""
    table = page[page.index("<table") : page.index("</table>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table)))


@pytest.fixture
def german_alice(alice):
    alice.language = "de"
    alice.save(update_fields=["language"])
    return alice


def test_actions_are_named_in_words_and_changes_listed_with_labels_not_dicts(
    client, german_alice, bob, membership, workspace_a
):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="matrix_room", handle="#kaffee:matrix.example"
    )
    post = do_save_post(
        membership,
        PostInput(text="Frisch geröstet.", language="de", hashtags=("#Kaffee",)),
        [account.pk],
    )
    do_schedule_post(membership, post, datetime(2031, 3, 5, 9, 30))
    bob_membership = workspace_a.memberships.get(user=bob)
    do_change_role(membership, bob_membership, "manager")
    client.force_login(german_alice)

    text = table_of(audit_page(client, workspace_a))

    assert "Beitrag erstellt" in text and "Beitrag geplant" in text and "Rolle geändert" in text
    assert not {"post.create", "post.schedule", "member.role"} & set(text.split()), "no codes"
    assert "{" not in text and "'" not in text, "no Python dicts"
    assert "Sprache: Deutsch" in text and "Hashtags: #Kaffee" in text
    assert "Konten: Matrix-Raum · #kaffee:matrix.example" in text
    assert "Rolle: Redakteur → Manager" in text
    # The scheduled time, in the zone it was scheduled in, with the zone named.
    assert "Fällig: 05.03.2031, 09:30 (Europe/Berlin)" in text
    assert not SNAKE_CASE.findall(text)


def test_when_is_the_time_in_the_workspaces_zone_with_the_zone_named(
    alice_client, membership, workspace_a
):
    event = AuditEvent.objects.filter(workspace=workspace_a).first()
    AuditEvent.objects.filter(pk=event.pk).update(
        created_at=datetime(2026, 7, 1, 22, 15, tzinfo=UTC)
    )

    text = table_of(audit_page(alice_client, workspace_a))

    # 22:15 UTC is a quarter past midnight the next day in Berlin (summer time).
    assert "2 Jul 2026, 00:15 (Europe/Berlin)" in text


def test_every_action_the_code_records_has_a_name_in_words():
    from townsquare.ui.audit_entries import ACTIONS

    recorded = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        recorded.update(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text("utf-8")))
    recorded.update(
        f"{kind}.{verb}"
        for kind in ("template", "snippet", "hashtag_set", "contact")
        for verb in ("create", "update", "delete")
    )
    assert recorded - set(ACTIONS) == set()


def test_the_log_is_read_page_by_page_newest_first(alice_client, membership, workspace_a):
    from townsquare.audit.record import record
    from townsquare.ui.views.workspace_settings import AUDIT_PER_PAGE

    AuditEvent.objects.filter(workspace=workspace_a).delete()
    for number in range(AUDIT_PER_PAGE + 5):
        record(
            actor=membership.user,
            action="workspace.update",
            target=workspace_a,
            workspace=workspace_a,
            after={"name": f"Name {number}"},
        )

    first = audit_page(alice_client, workspace_a)
    assert table_of(first).count("Workspace settings changed") == AUDIT_PER_PAGE
    names = set(re.findall(r"Name \d+\b", table_of(first)))
    assert "Name 54" in names and "Name 5" in names and "Name 4" not in names
    second = alice_client.get(reverse("workspace_audit", args=[workspace_a.slug]), {"page": 2})
    assert table_of(second.content.decode()).count("Workspace settings changed") == 5
    assert set(re.findall(r"Name \d+\b", table_of(second.content.decode()))) == {
        f"Name {n}" for n in range(5)
    }
    # A page that does not exist shows the last one, never an error.
    beyond = alice_client.get(reverse("workspace_audit", args=[workspace_a.slug]), {"page": 99})
    assert beyond.status_code == 200
