"""The publishing page's failed and unconfirmed posts: "The network said:" introduces only
words a network sent; Townsquare's own reasons are not put in a network's mouth."""

from __future__ import annotations

import pytest
from django.urls import reverse

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db

NETWORK_SAID = "The network said:"


@pytest.fixture
def account(workspace_a):
    return SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@kaffee")


def problem(membership, account, status, code, message):
    post = do_save_post(membership, PostInput(text=f"Beitrag mit {code}."), [account.pk])
    variant = post.variants.get()
    return Publication.objects.create(
        workspace=post.workspace,
        post=post,
        variant=variant,
        account=account,
        status=status,
        error_code=code,
        error_message=message,
    )


def overview(client, workspace):
    response = client.get(reverse("publishing_overview", args=[workspace.slug]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        ("failed", "no_connector", "Townsquare kann auf dieses Netzwerk nicht selbst posten."),
        ("failed", "credentials_missing", "Für dieses Konto ist keine Anmeldung gespeichert."),
        ("failed", "credentials_unreadable", "Die gespeicherte Anmeldung ist nicht lesbar."),
        ("failed", "gave_up", "Nach 8 Versuchen aufgegeben: Rate limit exceeded."),
        ("failed", "held_late", "Zurückgehalten: 47 Minuten zu spät."),
        ("failed", "invalid", "Der Text ist zu lang für Mastodon."),
        ("unknown", "worker_lost", "Der Worker wurde beim Senden beendet."),
    ],
)
def test_townsquares_own_reasons_are_not_shown_as_the_networks_words(
    alice_client, workspace_a, membership, account, status, code, message
):
    problem(membership, account, status, code, message)
    html = overview(alice_client, workspace_a)
    assert message in html, "the stored reason is still shown"
    assert NETWORK_SAID not in html


@pytest.mark.parametrize("code", ["rejected", "http_422", "m_too_large"])
def test_a_networks_own_words_are_introduced_as_such(
    alice_client, workspace_a, membership, account, code
):
    problem(membership, account, "failed", code, "Text is over 500 characters.")
    html = overview(alice_client, workspace_a)
    assert NETWORK_SAID in html and "Text is over 500 characters." in html
