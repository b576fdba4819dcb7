"""The near-duplicate warning and its confirmation; evergreen posts queued again."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from townsquare.lib.errors import ActionError
from townsquare.notifications.models import Notification
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.queues.evergreen_actions import do_set_evergreen, requeue_evergreen
from townsquare.queues.models import Evergreen, EvergreenRepost
from townsquare.queues.near_duplicates import NearDuplicate
from townsquare.queues.queue_actions import do_add_to_queue, do_schedule_checked
from townsquare.queues.slot_actions import do_add_slot
from townsquare.queues.tests.conftest import tomorrow_at
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

TEXT = "Montagsfrage: Was ist euer Lieblingskaffee?"


def test_a_near_duplicate_is_refused_until_confirmed(membership, make_post, workspace_a):
    first = make_post(TEXT)
    do_schedule_post(membership, first, tomorrow_at(workspace_a, 9))
    second = make_post(TEXT + " #kaffee")
    with pytest.raises(NearDuplicate) as refused:
        do_schedule_checked(membership, second, tomorrow_at(workspace_a, 9, days=3))
    assert refused.value.code == "near_duplicate" and refused.value.status == 409
    assert refused.value.duplicates[0].post_id == first.pk
    assert str(first.pk) in refused.value.message
    assert not Publication.objects.filter(post=second).exists()
    [pub] = do_schedule_checked(
        membership, second, tomorrow_at(workspace_a, 9, days=3), confirm_duplicate=True
    )
    assert pub.status == "scheduled"


def test_a_different_text_or_a_post_long_ago_is_no_duplicate(membership, make_post, workspace_a):
    first = make_post(TEXT)
    do_schedule_post(membership, first, tomorrow_at(workspace_a, 9))
    other = make_post("Wir suchen eine neue Röstmeisterin für unser Team in Köln.")
    do_schedule_checked(membership, other, tomorrow_at(workspace_a, 10))
    later = make_post(TEXT)
    do_schedule_checked(membership, later, tomorrow_at(workspace_a, 9, days=40))


def test_the_queue_warns_too(membership, make_post, masto, workspace_a):
    for day in range(7):
        do_add_slot(membership, masto, day, time(9, 0))
    do_add_to_queue(membership, make_post(TEXT))
    with pytest.raises(NearDuplicate):
        do_add_to_queue(membership, make_post(TEXT))
    assert do_add_to_queue(membership, make_post(TEXT), confirm_duplicate=True)


def _published(post, days_ago):
    when = timezone.now() - timedelta(days=days_ago)
    variant = post.variants.get()
    Publication.objects.create(
        workspace=post.workspace,
        post=post,
        variant=variant,
        account=variant.account,
        status="published",
        due_at=when,
        published_at=when,
    )


def test_evergreen_is_queued_again_after_its_gap_until_its_maximum(membership, make_post, masto):
    for day in range(7):
        do_add_slot(membership, masto, day, time(9, 0))
    post = make_post(TEXT)
    do_set_evergreen(membership, post, enabled=True, min_gap_days=10, max_reposts=2)
    assert requeue_evergreen() == 0, "never published yet"
    _published(post, days_ago=5)
    assert requeue_evergreen() == 0, "the gap has not passed"
    Publication.objects.filter(post=post).update(published_at=timezone.now() - timedelta(days=11))
    assert requeue_evergreen() == 1
    copy = EvergreenRepost.objects.get().post
    assert copy.master_text == TEXT and copy.pk != post.pk
    assert copy.publications.get().status == "scheduled"
    assert requeue_evergreen() == 0, "the copy is still waiting to go out"
    Publication.objects.filter(post=copy).update(
        status="published", published_at=timezone.now() - timedelta(days=11)
    )
    assert requeue_evergreen() == 1
    evergreen = Evergreen.objects.get()
    assert evergreen.reposts == 2 and evergreen.state == "done"
    Publication.objects.filter(post__evergreen_copy__isnull=False).update(
        status="published", published_at=timezone.now() - timedelta(days=30)
    )
    assert requeue_evergreen() == 0


def test_an_evergreen_that_cannot_be_queued_ends_in_a_visible_state(membership, make_post, alice):
    post = make_post(TEXT)  # the account has no slots
    do_set_evergreen(membership, post, enabled=True, min_gap_days=1, max_reposts=3)
    _published(post, days_ago=3)
    assert requeue_evergreen() == 0
    evergreen = Evergreen.objects.get()
    assert evergreen.state == "error" and "Sendepl" in evergreen.last_error  # in German
    assert not EvergreenRepost.objects.exists()
    assert Notification.objects.filter(recipient=alice, kind="evergreen_failed").exists()
    assert requeue_evergreen() == 0, "no silent retry"
    assert Notification.objects.filter(kind="evergreen_failed", recipient=alice).count() == 1


def test_evergreen_settings_are_checked(membership, make_post):
    post = make_post()
    with pytest.raises(ActionError) as refused:
        do_set_evergreen(membership, post, enabled=True, min_gap_days=0)
    assert refused.value.code == "invalid_gap"
    with pytest.raises(ActionError):
        do_set_evergreen(membership, post, enabled=True, max_reposts=1000)


def test_with_approvals_on_an_evergreen_repost_goes_to_review_at_its_slot(
    membership, make_post, masto, workspace_a, bob
):
    from townsquare.approvals.access import review_of
    from townsquare.approvals.settings_actions import do_update_settings

    Membership.objects.filter(workspace=workspace_a, user=bob).update(role="manager")
    do_update_settings(membership, mode="one", client_approval=False, link_days=7)
    for day in range(7):
        do_add_slot(membership, masto, day, time(9, 0))
    post = make_post(TEXT)  # never approved: approvals came after it went out
    do_set_evergreen(membership, post, enabled=True, min_gap_days=10, max_reposts=2)
    _published(post, days_ago=11)
    assert requeue_evergreen() == 1
    copy = EvergreenRepost.objects.get().post
    review = review_of(copy)
    assert review is not None and review.state == "in_review"
    assert not copy.publications.filter(status="scheduled").exists(), "nothing unapproved goes"
    assert Evergreen.objects.get().state == "active"
    assert not Notification.objects.filter(kind="evergreen_failed").exists()


def test_an_evergreen_refusal_is_told_in_the_workspace_language(membership, make_post, alice):
    from django.utils import translation

    membership.workspace.language = "de"
    membership.workspace.save()
    post = make_post(TEXT)  # the account has no slots
    do_set_evergreen(membership, post, enabled=True, min_gap_days=1, max_reposts=3)
    _published(post, days_ago=3)
    with translation.override("en"):
        requeue_evergreen()
        assert translation.get_language() == "en"
    note = Notification.objects.get(kind="evergreen_failed", recipient=alice)
    assert "Sendeplatz" in note.body or "Sendeplätze" in note.body, note.body
