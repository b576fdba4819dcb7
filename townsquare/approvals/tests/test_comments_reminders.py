"""Comments with @mentions, and the daily reminder of posts waiting for approval."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from townsquare.approvals import comment_actions, reminders, review_actions
from townsquare.approvals.jobs import remind_pending_approvals
from townsquare.approvals.mentions import Person, mentioned
from townsquare.approvals.models import PostReview
from townsquare.lib.errors import ActionError
from townsquare.notifications.models import Notification
from townsquare.runtime.scheduler import registered_jobs

pytestmark = pytest.mark.django_db

PEOPLE = [
    Person(1, "anna.schmidt@example.com", "Anna Schmidt"),
    Person(2, "bob@example.com", "Bob"),
    Person(3, "mia@example.com", "Mia Berger"),
]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("@bob schau mal", [2]),
        ("Was meint @[Mia Berger]? Und @anna.schmidt.", [3, 1]),
        ("@MiaBerger und @mia@example.com", [3]),
        ("mail an bob@example.com ist keine Erwähnung", []),
        ("@niemand hier", []),
        ("@bob, @bob und nochmal @Bob", [2]),
    ],
)
def test_mentions(text, keys):
    assert mentioned(text, PEOPLE) == keys


def test_a_comment_notifies_the_members_it_mentions(membership, mia, bob_m, write):
    post = write(membership)
    mail.outbox.clear()
    comment = comment_actions.do_add_comment(
        membership, post, "@mia bitte prüfen, @bob auch. @alice bin ich selbst. @carol ist fremd."
    )
    assert {u.email for u in comment.mentioned.all()} == {"mia@example.com", "bob@example.com"}
    notes = Notification.objects.filter(kind="comment_mention")
    assert {n.recipient.email for n in notes} == {"mia@example.com", "bob@example.com"}
    assert all(n.url.endswith(f"/posts/{post.pk}/") for n in notes)
    from django.db import transaction  # noqa: F401  (e-mails go out after commit)

    assert post.comments.count() == 1


def test_mention_emails_go_out_after_commit(
    membership, mia, write, django_capture_on_commit_callbacks
):
    post = write(membership)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_actions.do_add_comment(membership, post, "Schau mal, @mia.")
    assert [m.to for m in mail.outbox] == [["mia@example.com"]]
    assert "Schau mal" in mail.outbox[0].body


def test_comments_refuse_empty_and_oversized_text(membership, write):
    post = write(membership)
    for text, code in (("   ", "comment_required"), ("x" * 5001, "comment_too_long")):
        with pytest.raises(ActionError) as caught:
            comment_actions.do_add_comment(membership, post, text)
        assert caught.value.code == code
    assert post.comments.count() == 0


def test_viewers_do_not_comment(workspace_a, write, membership):
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from townsquare.workspaces.models import Membership

    user = get_user_model().objects.create_user("vera@example.com", "x-pass-123", name="Vera")
    viewer = Membership.objects.create(workspace=workspace_a, user=user, role="viewer")
    post = write(membership)
    with pytest.raises(PermissionDenied):
        comment_actions.do_add_comment(viewer, post, "Hallo")


def test_approvers_are_reminded_once_a_day_of_posts_waiting_over_a_day(
    one_approver, membership, mia, conrad, write, at
):
    post = write(conrad)
    review_actions.do_submit_for_review(conrad, post, at)
    now = timezone.now()
    assert reminders.remind_pending(now) == 0  # not yet a day
    PostReview.objects.filter(post=post).update(submitted_at=now - timedelta(hours=25))
    assert reminders.remind_pending(now) == 1
    reminded = Notification.objects.filter(kind="approval_reminder")
    assert {n.recipient.email for n in reminded} == {"alice@example.com", "mia@example.com"}
    assert reminders.remind_pending(now + timedelta(hours=2)) == 0  # once a day
    assert reminders.remind_pending(now + timedelta(hours=25)) == 1
    # An approver who approved this round is not reminded; a decided post not at all.
    review_actions.do_approve(mia, post)
    assert reminders.remind_pending(now + timedelta(hours=50)) == 0


def test_the_reminder_is_a_registered_scheduler_job():
    assert remind_pending_approvals in registered_jobs()
    assert remind_pending_approvals() is not None


def test_an_approver_who_submits_a_post_is_neither_asked_nor_reminded_to_approve_it(
    one_approver, membership, mia, write, at
):
    post = write(mia)
    review_actions.do_submit_for_review(mia, post, at)
    asked = Notification.objects.filter(kind="approval_requested")
    assert {n.recipient.email for n in asked} == {"alice@example.com"}
    now = timezone.now()
    PostReview.objects.filter(post=post).update(submitted_at=now - timedelta(hours=25))
    assert reminders.remind_pending(now) == 1
    reminded = Notification.objects.filter(kind="approval_reminder")
    assert {n.recipient.email for n in reminded} == {"alice@example.com"}
