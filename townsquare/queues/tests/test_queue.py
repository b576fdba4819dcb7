"""The queue: the next slot free on every account of the post, in the future."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from townsquare.lib.errors import ActionError
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.queues.queue_actions import do_add_to_queue
from townsquare.queues.slot_actions import do_add_slot
from townsquare.queues.tests.conftest import local_now

pytestmark = pytest.mark.django_db


def _every_day(membership, account, at):
    for day in range(7):
        do_add_slot(membership, account, day, at)


def test_an_account_without_slots_is_refused_saying_how_to_add_them(membership, make_post):
    post = make_post()
    with pytest.raises(ActionError) as refused, translation.override("en"):
        do_add_to_queue(membership, post)
    assert refused.value.code == "no_slots"
    assert "@alpha@social.example" in refused.value.message
    assert "Settings > Queue" in refused.value.message
    assert not Publication.objects.exists()


def test_the_next_free_slot_is_taken_and_taken_slots_are_skipped(
    membership, make_post, masto, workspace_a
):
    now = local_now(workspace_a)
    tomorrow = now.date() + timedelta(days=1)
    _every_day(membership, masto, time(9, 0))
    first = make_post("Erster Beitrag über die Röstung am Montag.")
    [pub] = do_add_to_queue(membership, first)
    today_at_nine = datetime.combine(now.date(), time(9, 0))
    expected = (
        today_at_nine
        if now + timedelta(minutes=3) < today_at_nine
        else (datetime.combine(tomorrow, time(9, 0)))
    )
    assert pub.local_due == expected.isoformat(timespec="minutes")
    assert pub.status == "scheduled"
    second = make_post("Ganz etwas anderes: unser neues Team stellt sich vor.")
    [pub2] = do_add_to_queue(membership, second)
    assert pub2.local_due == (expected + timedelta(days=1)).isoformat(timespec="minutes")
    # Queued again, a post keeps its own slot (its own publication does not take it).
    [again] = do_add_to_queue(membership, first)
    assert again.local_due == pub.local_due


def test_a_slot_in_the_past_is_skipped(membership, make_post, masto, workspace_a):
    hour_ago = local_now(workspace_a) - timedelta(hours=1)
    do_add_slot(membership, masto, hour_ago.weekday(), hour_ago.time())
    [pub] = do_add_to_queue(membership, make_post())
    assert pub.due_at > timezone.now()
    assert pub.local_due.startswith((hour_ago.date() + timedelta(days=7)).isoformat())


def test_several_accounts_take_a_slot_free_on_all_of_them(
    membership, make_post, masto, bsky, workspace_a
):
    _every_day(membership, masto, time(9, 0))
    _every_day(membership, bsky, time(9, 0))
    do_add_slot(membership, bsky, 0, time(12, 0))  # only Bluesky: never common
    day = local_now(workspace_a).date() + timedelta(days=2)
    # Bluesky's 09:00 of the next days is taken by another post.
    other = make_post("Ein Beitrag nur für Bluesky über etwas anderes.", [bsky])
    do_schedule_post(membership, other, datetime.combine(day, time(9, 0)))
    both = make_post("Beitrag für beide Konten über das Sommerfest.", [masto, bsky])
    pubs = do_add_to_queue(membership, both)
    assert len(pubs) == 2
    assert len({p.local_due for p in pubs}) == 1
    assert pubs[0].local_due != datetime.combine(day, time(9, 0)).isoformat(timespec="minutes")
    assert pubs[0].local_due.endswith("T09:00")


def test_accounts_without_a_common_slot_are_refused(membership, make_post, masto, bsky):
    do_add_slot(membership, masto, 0, time(9, 0))
    do_add_slot(membership, bsky, 0, time(10, 0))
    with pytest.raises(ActionError) as refused:
        do_add_to_queue(membership, make_post(accounts=[masto, bsky]))
    assert refused.value.code == "no_common_slot"


def test_a_viewer_may_not_queue(workspace_a, make_post, masto, carol, membership):
    from django.core.exceptions import PermissionDenied

    from townsquare.workspaces.models import Membership

    post = make_post()
    viewer = Membership.objects.create(workspace=workspace_a, user=carol, role="viewer")
    with pytest.raises(PermissionDenied):
        do_add_to_queue(viewer, post)
