"""The approval flow: every transition and refusal, the gate on scheduling, the rule of
two approvers, a change after approval, and the time proposed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from townsquare.approvals import review_actions, settings_actions
from townsquare.approvals.access import badge_counts, pending_by_post, review_queue
from townsquare.approvals.gate import require_approved
from townsquare.approvals.models import (
    APPROVED,
    CHANGES_REQUESTED,
    IN_REVIEW,
    ON_HOLD,
    ApprovalSettings,
    PostReview,
)
from townsquare.audit.models import AuditEvent
from townsquare.content.actions import do_edit_variant, do_reset_variant
from townsquare.lib.errors import ActionError
from townsquare.notifications.models import Notification
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


def statuses(post):
    return sorted(Publication.objects.filter(post=post).values_list("status", flat=True))


def code_of(call, *args, **kwargs):
    with pytest.raises(ActionError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# --- settings ----------------------------------------------------------------------------------


def test_approvals_are_off_by_default_and_scheduling_works_as_before(membership, write, at):
    post = write(membership)
    require_approved(post)
    pubs = do_schedule_post(membership, post, at)
    assert [p.status for p in pubs] == ["scheduled"]
    assert not ApprovalSettings.objects.exists()


def test_settings_refuse_what_cannot_work(membership, bob_m, mia):
    with pytest.raises(PermissionDenied):
        settings_actions.do_update_settings(bob_m, mode="one", client_approval=False, link_days=7)
    assert code_of(
        settings_actions.do_update_settings,
        membership,
        mode="many",
        client_approval=False,
        link_days=7,
    ) == ("invalid_mode")
    assert (
        code_of(
            settings_actions.do_update_settings,
            membership,
            mode="one",
            client_approval=False,
            link_days=0,
        )
        == "invalid_link_days"
    )
    assert (
        code_of(
            settings_actions.do_update_settings,
            membership,
            mode="none",
            client_approval=True,
            link_days=7,
        )
        == "client_needs_approvals"
    )
    mia.role = "editor"
    mia.save()
    assert (
        code_of(
            settings_actions.do_update_settings,
            membership,
            mode="two",
            client_approval=False,
            link_days=7,
        )
        == "not_enough_approvers"
    )
    assert not ApprovalSettings.objects.exists()
    rules = settings_actions.do_update_settings(
        membership, mode="one", client_approval=True, link_days=3
    )
    assert (rules.mode, rules.client_approval, rules.link_days) == ("one", True, 3)
    assert AuditEvent.objects.filter(action="approvals.settings").count() == 1


def test_turning_approvals_on_keeps_what_was_already_scheduled(membership, mia, write, at):
    post = write(membership)
    do_schedule_post(membership, post, at)
    settings_actions.do_update_settings(membership, mode="one", client_approval=False, link_days=7)
    assert PostReview.objects.get(post=post).state == APPROVED
    do_schedule_post(membership, post, at + timedelta(hours=1))  # moving it is allowed
    draft = write(membership, "Noch nicht geplant.")
    assert code_of(do_schedule_post, membership, draft, at) == "approval_required"


# --- the gate ----------------------------------------------------------------------------------


def test_gate_refuses_scheduling_and_publishing_now_until_approved(
    one_approver, membership, bob_m, write, at
):
    post = write(bob_m)
    for member in (membership, bob_m):
        assert code_of(do_schedule_post, member, post, at) == "approval_required"
        assert code_of(do_schedule_post, member, post, None) == "approval_required"
    review_actions.do_submit_for_review(bob_m, post, at)
    with pytest.raises(ActionError) as error:
        do_schedule_post(membership, post, at)
    assert error.value.code == "approval_required" and error.value.status == 409
    assert "waiting for approval" in error.value.message
    assert statuses(post) == ["draft"]


# --- submit, approve --------------------------------------------------------------------------


def test_contributor_submits_with_a_time_and_the_manager_approval_schedules_it(
    one_approver, conrad, mia, write, at
):
    post = write(conrad)
    with pytest.raises(PermissionDenied):
        do_schedule_post(conrad, post, at)
    outcome = review_actions.do_submit_for_review(conrad, post, at)
    review = outcome.review
    assert review.state == IN_REVIEW and review.round == 1
    assert review.proposed_local == at.isoformat(timespec="minutes")
    # The calendar sees the proposed time on a draft publication.
    pub = Publication.objects.get(post=post)
    assert pub.status == "draft" and pub.due_at == review.proposed_due_at and pub.run_at is None
    assert pending_by_post(post.workspace, [post.pk])[post.pk].state == IN_REVIEW
    # The approvers are told (owner alice and manager mia), the author is not.
    told = set(
        Notification.objects.filter(kind="approval_requested").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {"alice@example.com", "mia@example.com"}
    assert mail.outbox == [] or all("conrad" not in m.to[0] for m in mail.outbox)

    outcome = review_actions.do_approve(mia, post)
    assert outcome.scheduled and outcome.review.state == APPROVED
    pub.refresh_from_db()
    assert pub.status == "scheduled" and pub.local_due == at.isoformat(timespec="minutes")
    assert Notification.objects.filter(kind="post_approved", recipient=conrad.user).exists()
    assert AuditEvent.objects.filter(action="post.approve", actor=mia.user).exists()
    assert AuditEvent.objects.filter(action="post.submit_review", actor=conrad.user).exists()


def test_only_approvers_approve_and_never_their_own_post(
    one_approver, membership, bob_m, write, at
):
    own = write(membership)
    review_actions.do_submit_for_review(membership, own, at)
    assert code_of(review_actions.do_approve, membership, own) == "own_post"
    other = write(bob_m, "Von Bob.")
    review_actions.do_submit_for_review(bob_m, other, at)
    with pytest.raises(PermissionDenied):
        review_actions.do_approve(bob_m, other)  # editors schedule but do not approve
    assert PostReview.objects.get(post=other).state == IN_REVIEW


def test_two_approvers_two_different_people(two_approvers, membership, mia, bob_m, write, at):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    first = review_actions.do_approve(membership, post)
    assert first.review.state == IN_REVIEW and not first.scheduled
    assert "one more approver" in first.message
    assert code_of(review_actions.do_approve, membership, post) == "already_approved"
    assert code_of(do_schedule_post, membership, post, at) == "approval_required"
    second = review_actions.do_approve(mia, post)
    assert second.review.state == APPROVED and second.scheduled
    assert statuses(post) == ["scheduled"]


def test_approve_refused_outside_review(one_approver, membership, bob_m, write):
    post = write(bob_m)
    assert code_of(review_actions.do_approve, membership, post) == "not_in_review"


def test_a_proposed_time_that_passed_leaves_it_approved_with_a_message(
    one_approver, membership, bob_m, write, at
):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    PostReview.objects.filter(post=post).update(proposed_due_at=timezone.now() - timedelta(hours=2))
    outcome = review_actions.do_approve(membership, post)
    assert outcome.review.state == APPROVED and not outcome.scheduled
    assert "already passed" in outcome.message
    assert statuses(post) == ["draft"]
    do_schedule_post(membership, post, at)  # approved: a new time can be chosen
    assert statuses(post) == ["scheduled"]


def test_without_a_proposed_time_the_approver_schedules(one_approver, membership, bob_m, write, at):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, None)
    outcome = review_actions.do_approve(membership, post)
    assert outcome.review.state == APPROVED and not outcome.scheduled
    assert "No time was proposed" in outcome.message


def test_submit_refusals(membership, mia, bob_m, conrad, write, at):
    post = write(conrad)
    assert code_of(review_actions.do_submit_for_review, conrad, post, at) == "approvals_off"
    settings_actions.do_update_settings(membership, mode="one", client_approval=False, link_days=7)
    past = at - timedelta(days=3)
    assert code_of(review_actions.do_submit_for_review, conrad, post, past) == "time_in_past"
    others = write(bob_m, "Von Bob.")
    assert code_of(review_actions.do_submit_for_review, conrad, others, at) == "forbidden"
    review_actions.do_submit_for_review(conrad, post, at)
    review_actions.do_approve(membership, post)
    assert code_of(review_actions.do_submit_for_review, conrad, post, at) == "already_approved"


def test_submitting_again_moves_the_proposed_time_without_a_new_round(
    one_approver, bob_m, write, at
):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    review = review_actions.do_submit_for_review(bob_m, post, at + timedelta(hours=3)).review
    assert review.round == 1
    assert Publication.objects.get(post=post).local_due.endswith("12:00")


# --- changes after approval ---------------------------------------------------------------------


def test_a_change_after_approval_sends_it_back_to_review(
    one_approver, membership, bob_m, write, at
):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    review_actions.do_approve(membership, post)
    assert statuses(post) == ["scheduled"]
    # Saving the same content keeps the approval and the schedule.
    write(bob_m, post=post)
    assert PostReview.objects.get(post=post).state == APPROVED
    assert statuses(post) == ["scheduled"]
    write(bob_m, "Frischer Kaffee aus Dresden.", post=post)
    review = PostReview.objects.get(post=post)
    assert review.state == IN_REVIEW and review.round == 2
    assert statuses(post) == ["draft"]  # nothing unapproved goes out
    assert code_of(do_schedule_post, bob_m, post, at) == "approval_required"
    assert AuditEvent.objects.filter(action="post.back_to_review").exists()
    # The approval of round 1 does not count; the owner approves round 2.
    outcome = review_actions.do_approve(membership, post)
    assert outcome.scheduled


def test_a_hand_edited_variant_after_approval_sends_it_back(
    one_approver, membership, bob_m, write, at
):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    review_actions.do_approve(membership, post)
    variant = post.variants.get()
    do_edit_variant(bob_m, variant, "Von Hand geschrieben.")
    assert PostReview.objects.get(post=post).state == IN_REVIEW
    review_actions.do_approve(membership, post)
    do_reset_variant(bob_m, post.variants.get())
    assert PostReview.objects.get(post=post).state == IN_REVIEW


def test_a_change_while_in_review_voids_the_first_of_two_approvals(
    two_approvers, membership, mia, bob_m, write, at
):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    review_actions.do_approve(membership, post)
    write(bob_m, "Anders formuliert.", post=post)
    assert review_actions.do_approve(mia, post).review.state == IN_REVIEW
    assert review_actions.do_approve(membership, post).review.state == APPROVED


# --- changes requested, hold, release -----------------------------------------------------------


def test_request_changes_goes_back_to_the_author_with_the_comment(
    one_approver, membership, conrad, write, at
):
    post = write(conrad)
    review_actions.do_submit_for_review(conrad, post, at)
    assert code_of(review_actions.do_request_changes, membership, post, "  ") == "comment_required"
    outcome = review_actions.do_request_changes(membership, post, "Bitte den Preis nennen.")
    assert outcome.review.state == CHANGES_REQUESTED
    assert post.comments.get().body == "Bitte den Preis nennen."
    note = Notification.objects.get(kind="changes_requested")
    assert note.recipient == conrad.user and "Preis" in note.body
    assert code_of(review_actions.do_approve, membership, post) == "not_in_review"
    assert code_of(do_schedule_post, membership, post, at) == "approval_required"
    write(conrad, "Kaffee für 3 Euro.", post=post)
    assert PostReview.objects.get(post=post).state == CHANGES_REQUESTED
    review = review_actions.do_submit_for_review(conrad, post, at).review
    assert review.state == IN_REVIEW and review.round == 2
    assert review_actions.do_approve(membership, post).scheduled


def test_changes_requested_after_approval_unschedules(one_approver, membership, bob_m, write, at):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    review_actions.do_approve(membership, post)
    review_actions.do_request_changes(membership, post, "Doch nicht.")
    assert statuses(post) == ["draft"]


def test_hold_and_release(one_approver, membership, bob_m, write, at):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    review_actions.do_approve(membership, post)
    with pytest.raises(PermissionDenied):
        review_actions.do_hold(bob_m, post)
    outcome = review_actions.do_hold(membership, post)
    assert outcome.review.state == ON_HOLD and statuses(post) == ["draft"]
    assert code_of(review_actions.do_hold, membership, post) == "on_hold"
    assert code_of(do_schedule_post, membership, post, at) == "approval_required"
    assert code_of(review_actions.do_submit_for_review, bob_m, post, at) == "on_hold"
    released = review_actions.do_release(membership, post)
    assert released.review.state == APPROVED and released.scheduled
    assert statuses(post) == ["scheduled"]
    assert code_of(review_actions.do_release, membership, post) == "not_on_hold"
    assert AuditEvent.objects.filter(action__in=["post.hold", "post.release"]).count() == 2


def test_release_of_a_post_held_in_review_returns_to_review(
    one_approver, membership, bob_m, write, at
):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    review_actions.do_hold(membership, post)
    assert review_actions.do_release(membership, post).review.state == IN_REVIEW


# --- queue and badges ---------------------------------------------------------------------------


def test_queue_for_me_for_others_and_changes_requested(
    one_approver, membership, mia, bob_m, conrad, write, at
):
    mine = write(membership, "Von Alice.")
    review_actions.do_submit_for_review(membership, mine, at)
    theirs = write(conrad, "Von Conrad.")
    review_actions.do_submit_for_review(conrad, theirs, at)
    sent_back = write(bob_m, "Von Bob.")
    review_actions.do_submit_for_review(bob_m, sent_back, at)
    review_actions.do_request_changes(mia, sent_back, "Kürzer bitte.")
    queue = review_queue(membership)
    assert [r.post for r in queue.for_me] == [theirs]
    assert [r.post for r in queue.for_others] == [mine]
    assert [r.post for r in queue.changes_requested] == [sent_back]
    assert len(review_queue(mia).for_me) == 2
    assert badge_counts(bob_m)["changes_requested_mine"] == 1
    assert badge_counts(membership)["for_me"] == 1


def test_a_copy_made_by_townsquare_inherits_the_approval_only_when_unchanged(
    one_approver, membership, bob_m, write, at
):
    source = write(bob_m)
    copy = write(bob_m)
    assert not review_actions.inherit_approval(source, copy)  # the source is not approved
    review_actions.do_submit_for_review(bob_m, source, at)
    review_actions.do_approve(membership, source)
    assert review_actions.inherit_approval(source, copy)
    do_schedule_post(bob_m, copy, at + timedelta(days=7))
    different = write(bob_m, "Etwas anderes.")
    assert not review_actions.inherit_approval(source, different)
    assert code_of(do_schedule_post, bob_m, different, at) == "approval_required"


def test_the_gate_holds_on_the_calendar_and_the_queue(one_approver, membership, bob_m, write, at):
    from datetime import time

    from townsquare.calendars.actions import do_move_post
    from townsquare.queues.queue_actions import do_add_to_queue
    from townsquare.queues.slot_actions import do_add_slot

    post = write(bob_m)
    account = post.variants.get().account
    do_add_slot(membership, account, at.weekday(), time(9, 0))
    assert code_of(do_add_to_queue, membership, post) == "approval_required"
    assert statuses(post) == []
    review_actions.do_submit_for_review(bob_m, post, at)
    review_actions.do_approve(membership, post)
    assert statuses(post) == ["scheduled"]
    do_move_post(membership, post, at + timedelta(hours=2))  # approved: it may move
    # Whatever made the review lose its approval, a move is refused and nothing moves.
    PostReview.objects.filter(post=post).update(state=IN_REVIEW)
    assert code_of(do_move_post, membership, post, at + timedelta(hours=5)) == ("approval_required")
    assert Publication.objects.get(post=post).local_due.endswith("11:00")


def test_fewer_approvers_needed_approves_what_already_has_enough(
    two_approvers, membership, mia, bob_m, write, at
):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    review_actions.do_approve(mia, post)
    waiting = write(bob_m, "Noch ohne Freigabe.")
    review_actions.do_submit_for_review(bob_m, waiting, at)
    settings_actions.do_update_settings(membership, mode="one", client_approval=False, link_days=7)
    assert PostReview.objects.get(post=post).state == APPROVED
    assert statuses(post) == ["scheduled"]
    assert PostReview.objects.get(post=waiting).state == IN_REVIEW
