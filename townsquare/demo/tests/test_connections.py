"""The demo shows a connection that stopped working and the post it would make fail."""

import pytest
from django.urls import reverse

from townsquare.demo.accounts import seed_accounts
from townsquare.demo.connections import seed_connections
from townsquare.demo.content import seed_content
from townsquare.demo.media import seed_media
from townsquare.demo.people import seed_people
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


def test_the_demo_warns_that_a_scheduled_post_would_fail(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_media(workspaces)
    seed_content(workspaces)
    seed_connections(workspaces)
    seed_connections(workspaces)  # twice: nothing is scheduled twice
    morgenrot = next(w for w in workspaces if w.name == "Morgenrot Kaffeerösterei")
    scheduled = Publication.objects.filter(workspace=morgenrot)
    assert scheduled.count() == 6 and scheduled.values("post").distinct().count() == 1

    client.force_login(user)
    accounts = client.get(reverse("workspace_accounts", args=[morgenrot.slug])).content.decode()
    assert "Zugriff entzogen" in accounts or "Access revoked" in accounts
    dashboard = client.get(reverse("workspace_dashboard", args=[morgenrot.slug])).content.decode()
    assert "1 scheduled post would fail" in dashboard or "1 geplanter Beitrag" in dashboard
