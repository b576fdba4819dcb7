"""The demo's queues: slots for every account, a weekly question with eight occurrences and
an evergreen post, in German and English; a second run adds nothing."""

import pytest

from townsquare.demo.accounts import seed_accounts
from townsquare.demo.people import seed_people
from townsquare.demo.planning import seed_plan
from townsquare.demo.queues import seed_queues
from townsquare.networks.models import SocialAccount
from townsquare.queues.models import Evergreen, SeriesOccurrence, Slot

pytestmark = pytest.mark.django_db


def test_the_demo_queues_are_seeded_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_plan(workspaces)
    seed_queues(workspaces)
    counts = (Slot.objects.count(), SeriesOccurrence.objects.count(), Evergreen.objects.count())
    seed_queues(workspaces)
    assert (
        Slot.objects.count(),
        SeriesOccurrence.objects.count(),
        Evergreen.objects.count(),
    ) == counts
    for workspace in workspaces:
        accounts = SocialAccount.objects.filter(workspace=workspace)
        assert all(Slot.objects.filter(account=a).exists() for a in accounts)
        occurrences = SeriesOccurrence.objects.filter(series__workspace=workspace)
        assert occurrences.count() == 8
        assert {o.post.publications.first().status for o in occurrences} == {"scheduled"}
        assert Evergreen.objects.filter(workspace=workspace, state="active").count() == 1
    texts = set(SeriesOccurrence.objects.values_list("post__master_text", flat=True))
    assert any(t.startswith("Montagsfrage") for t in texts)
    assert any(t.startswith("Monday question") for t in texts)


def test_the_demo_evergreen_post_comes_back_into_the_queue(settings, tmp_path):
    from townsquare.queues.evergreen_actions import requeue_evergreen

    settings.MEDIA_ROOT = tmp_path
    _user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_plan(workspaces)
    seed_queues(workspaces)
    assert requeue_evergreen() == len(workspaces)
    assert set(Evergreen.objects.values_list("state", "reposts")) == {("active", 1)}
