"""The analytics pages: every page renders for a member with history and without, for a
viewer too, and is a 404 for a member of another workspace."""

import pytest
from django.urls import reverse

from townsquare.analytics.tests.dashboard_fixtures import make_history

pytestmark = pytest.mark.django_db


def _pages(workspace, history=None):
    plain = [
        "workspace_analytics",
        "analytics_posts",
        "analytics_campaigns",
        "analytics_variant_list",
        "analytics_team",
    ]
    found = [reverse(name, kwargs={"workspace": workspace.slug}) for name in plain]
    if history is not None:
        found.append(
            reverse(
                "analytics_post",
                kwargs={"workspace": workspace.slug, "tracked_post_id": history.tracked_masto.pk},
            )
        )
        found.append(
            reverse(
                "analytics_variants",
                kwargs={"workspace": workspace.slug, "post_id": history.post.pk},
            )
        )
    return found


def test_every_page_renders_with_history_as_charts_and_as_tables(alice_client, workspace_a, alice):
    history = make_history(workspace_a, alice)
    for address in _pages(workspace_a, history):
        for view in ("", "tables"):
            response = alice_client.get(address, {"view": view} if view else {})
            assert response.status_code == 200, (address, view, response.content[:3000])
