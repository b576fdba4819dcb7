"""The scheduler's publishing jobs: claims commit with their tasks, passes are spaced, and
checks that can find nothing new are skipped."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from townsquare.publishing import jobs
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication
from townsquare.publishing.tasks import publish_publication

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_checks(monkeypatch, settings):
    settings.TASKS_BACKEND = "db"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(jobs, "_checks", jobs._Checks())


def schedule(membership, make_post, count, due_in_s=0.0):
    for _ in range(count):
        do_schedule_post(membership, make_post(), None)
    at = timezone.now() + timedelta(seconds=due_in_s)
    Publication.objects.update(due_at=at, run_at=at)


def test_each_claimed_row_gets_one_task_on_the_publishing_queue(membership, make_post, settings):
    settings.PUBLISH_TASK_QUEUE = "publishing-test"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "publishing-test"],
        }
    }
    schedule(membership, make_post, 3)
    assert jobs.enqueue_due() is None, "nothing else is due"
    tasks = DBTaskResult.objects.all()
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == sorted(
        Publication.objects.values_list("id", flat=True)
    )
    assert {t.queue_name for t in tasks} == {"publishing-test"}
    assert set(Publication.objects.values_list("status", flat=True)) == {"publishing"}


def test_a_claim_whose_tasks_cannot_be_enqueued_is_rolled_back(membership, make_post, monkeypatch):
    schedule(membership, make_post, 3)
    calls = []

    class Failing:
        def enqueue(self, *args):
            calls.append(args)
            if len(calls) == 2:
                raise ConnectionError("the task store went away")
            publish_publication.enqueue(*args)

    class Task:
        def using(self, **options):
            return Failing()

    monkeypatch.setattr(jobs, "publish_publication", Task())
    with pytest.raises(ConnectionError):
        jobs.enqueue_due()
    # Neither claims without tasks (stuck until their lease ran out) nor tasks without claims.
    assert set(Publication.objects.values_list("status", flat=True)) == {"scheduled"}
    assert not DBTaskResult.objects.exists()


def test_posts_due_close_together_are_claimed_in_one_pass(membership, make_post, monkeypatch):
    # The clock stands still, so the post due in 10 ms is not due yet when the pass runs,
    # however long a busy machine takes to get there.
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    schedule(membership, make_post, 1, due_in_s=0.01)
    assert jobs.enqueue_due() == jobs.MIN_PASS_SECONDS
    schedule(membership, make_post, 1, due_in_s=30)
    assert 29 < jobs.enqueue_due() <= 30


def test_leases_are_only_looked_at_again_when_the_earliest_can_have_run_out(
    membership, make_post, monkeypatch
):
    schedule(membership, make_post, 1)
    [_claimed] = claim_due()
    first = jobs.recover_leases()
    assert 80 < first <= 91, "the default lease of 90 s"
    looked = []
    monkeypatch.setattr(jobs, "recover_expired", lambda: looked.append(1) or (0, 0))
    assert 80 < jobs.recover_leases() <= first
    assert looked == []
    monkeypatch.setattr(jobs._checks, "lease_check_at", 0.0)
    jobs.recover_leases()
    assert looked == [1]


def test_an_unknown_outcome_wakes_the_loop_when_its_grace_is_over(membership, make_post, settings):
    settings.PUBLISH_RECONCILE_GRACE_SECONDS = 10
    schedule(membership, make_post, 1)
    Publication.objects.update(status="unknown", sending_started_at=timezone.now())
    due_in = jobs.reconcile_unknown()
    assert 9 < due_in <= 10.1
    assert not DBTaskResult.objects.exists(), "not asked about before its grace is over"
    assert jobs.reconcile_unknown() <= jobs.RECONCILE_CHECK_SECONDS, "checked once a second"
    jobs._checks.reconcile_check_at = 0.0
    Publication.objects.update(sending_started_at=timezone.now() - timedelta(seconds=11))
    jobs.reconcile_unknown()
    assert DBTaskResult.objects.get().args_kwargs["args"][0] == Publication.objects.get().pk


def test_no_more_is_handed_to_workers_than_they_have_room_for(membership, make_post, settings):
    settings.PUBLISH_MAX_IN_FLIGHT = 3
    schedule(membership, make_post, 5)
    # Three go to the workers; the other two wait their turn, still scheduled, and the loop
    # comes back shortly since they are due.
    assert jobs.enqueue_due() == jobs.MIN_PASS_SECONDS
    assert DBTaskResult.objects.count() == 3
    statuses = list(Publication.objects.order_by("id").values_list("status", flat=True))
    assert statuses.count("publishing") == 3 and statuses.count("scheduled") == 2
    assert jobs.enqueue_due() == jobs.MIN_PASS_SECONDS, "no room: nothing claimed"
    assert DBTaskResult.objects.count() == 3
    # A worker finishes one: one more goes out.
    finished = Publication.objects.filter(status="publishing").order_by("id")[0]
    Publication.objects.filter(pk=finished.pk).update(status="published")
    jobs.enqueue_due()
    assert DBTaskResult.objects.count() == 4
    assert Publication.objects.filter(status="scheduled").count() == 1


def test_a_claim_takes_no_more_rows_than_its_limit(membership, make_post):
    schedule(membership, make_post, 5)
    assert len(claim_due(limit=3)) == 3
    assert Publication.objects.filter(status="publishing").count() == 3
    assert Publication.objects.filter(status="scheduled").count() == 2
