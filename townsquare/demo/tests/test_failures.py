"""The demo shows a post a network refused, explained in the reader's language."""

import re
from html import unescape

import pytest
from django.urls import reverse

from townsquare.demo.accounts import seed_accounts
from townsquare.demo.connections import seed_connections
from townsquare.demo.failures import seed_failures
from townsquare.demo.people import seed_people
from townsquare.notifications.models import Notification
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_failed_post_explained_in_german_with_the_networks_words(client):
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_connections(workspaces)
    seed_failures(workspaces)
    seed_failures(workspaces)  # twice: one failed post, as before
    failed = Publication.objects.get(status="failed")
    assert failed.error_code == "reauth" and failed.workspace.name == "Morgenrot Kaffeerösterei"
    assert Notification.objects.filter(kind="publication_failed", recipient=user).count() == 1

    user.language = "de"
    user.save(update_fields=["language"])
    client.force_login(user)
    html = client.get(reverse("content_post", args=[failed.workspace.slug, failed.post_id]))
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.content.decode())))
    assert "Das Netzwerk akzeptiert den Zugriff von Townsquare auf dieses Konto nicht mehr" in text
    assert "Das Netzwerk meldete: The access token was revoked" in text
