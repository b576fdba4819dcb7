"""The demo has an uploaded file waiting in each workspace, with one bad row to see in the
report; its valid rows import; running the demo twice adds nothing."""

import pytest
from django.urls import reverse

from townsquare.bulk.models import BulkImport
from townsquare.demo.accounts import seed_accounts
from townsquare.demo.bulk import seed_bulk
from townsquare.demo.people import seed_people
from townsquare.demo.planning import seed_plan
from townsquare.demo.queues import seed_queues

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_import_with_one_bad_row_and_twice_is_once(
    client, settings, django_capture_on_commit_callbacks
):
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_plan(workspaces)
    seed_queues(workspaces)
    seed_bulk(workspaces)
    seed_bulk(workspaces)
    imports = list(BulkImport.objects.order_by("filename"))
    assert [i.filename for i in imports] == ["december-posts.csv", "redaktionsplan-dezember.csv"]
    for imp in imports:
        assert imp.row_count == 4 and imp.valid_rows == 3, imp.problems
        assert [(p["row"], p["field"]) for p in imp.problems] == [(5, "accounts")]
    client.force_login(user)
    german = imports[1]
    url = reverse("bulk_import_detail", args=[german.workspace.slug, german.pk])
    assert client.get(url).status_code == 200
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "import_valid"}).status_code == 302
    german.refresh_from_db()
    assert len(german.result["posts"]) == 3
