import pytest

from townsquare.demo.inbox_replies import seed_inbox_replies
from townsquare.inbox.models import SavedReply

pytestmark = pytest.mark.django_db


def test_demo_saved_replies_in_both_languages_twice_is_once(workspace_a, workspace_b):
    seed_inbox_replies([workspace_a, workspace_b])
    seed_inbox_replies([workspace_a, workspace_b])
    for workspace in (workspace_a, workspace_b):
        languages = set(
            SavedReply.objects.filter(workspace=workspace).values_list("language", flat=True)
        )
        assert languages == {"de", "en"}
        assert SavedReply.objects.filter(workspace=workspace).count() == 8
    assert all("{name}" in s.text for s in SavedReply.objects.all())
