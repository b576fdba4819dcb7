"""The pages: Settings > Approvals, the composer's "Submit for review", the review panel on
the post page (approve, request changes, hold, client link, comments), the queue and the
dashboard's badge."""

import re

import pytest
from django.urls import reverse

from townsquare.approvals import comment_actions, review_actions
from townsquare.approvals.models import APPROVED, CHANGES_REQUESTED, IN_REVIEW, PostReview
from townsquare.publishing.models import Publication
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def post_url(post):
    return reverse("content_post", kwargs={"workspace": post.workspace.slug, "post_id": post.pk})


def decide_url(post):
    return reverse(
        "approvals_decide", kwargs={"workspace": post.workspace.slug, "post_id": post.pk}
    )


def test_settings_page_for_managers_and_read_only_for_editors(client, alice, bob, mia, workspace_a):
    url = reverse("approvals_settings", kwargs={"workspace": workspace_a.slug})
    client.force_login(bob)
    page = client.get(url)
    assert page.status_code == 200 and "Only owners and managers" in page.content.decode()
    client.post(url, {"mode": "one", "link_days": 7})
    from townsquare.approvals.models import ApprovalSettings

    assert not ApprovalSettings.objects.exists()
    client.force_login(alice)
    bad = client.post(url, {"mode": "one", "link_days": 99})
    assert bad.status_code == 200 and not ApprovalSettings.objects.exists()
    saved = client.post(url, {"mode": "two", "client_approval": "on", "link_days": 5})
    assert saved.status_code == 302
    rules = ApprovalSettings.objects.get()
    assert (rules.mode, rules.client_approval, rules.link_days) == ("two", True, 5)


def test_contributor_submits_from_the_composer_and_the_owner_approves_on_the_post_page(
    client, one_approver, conrad, alice, account, workspace_a, at
):
    client.force_login(conrad.user)
    compose = reverse("workspace_compose", kwargs={"workspace": workspace_a.slug})
    page = client.get(compose)
    assert 'value="review"' in page.content.decode()
    answer = client.post(
        compose,
        {
            "text": "Neue Sorte im Laden.",
            "language": "de",
            "accounts": [str(account.pk)],
            "when": at.strftime("%Y-%m-%dT%H:%M"),
            "action": "review",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    review = PostReview.objects.get()
    assert review.state == IN_REVIEW and review.submitted_by == conrad.user
    post = review.post
    detail = client.get(post_url(post)).content.decode()
    assert "In review" in detail or "In Prüfung" in detail
    assert 'value="approve"' not in detail  # contributors do not approve

    client.force_login(alice)
    detail = client.get(post_url(post)).content.decode()
    assert 'value="approve"' in detail
    done = client.post(decide_url(post), {"action": "approve"}, follow=True)
    assert PostReview.objects.get().state == APPROVED
    assert Publication.objects.get(post=post).status == "scheduled"
    assert "scheduled" in done.content.decode() or "geplant" in done.content.decode()


def test_a_composer_submit_without_a_time_or_in_the_past_is_refused_and_keeps_the_text(
    client, one_approver, conrad, account, workspace_a
):
    client.force_login(conrad.user)
    compose = reverse("workspace_compose", kwargs={"workspace": workspace_a.slug})
    answer = client.post(
        compose,
        {
            "text": "Bleibt erhalten.",
            "language": "de",
            "accounts": [str(account.pk)],
            "when": "2020-01-01T09:00",
            "action": "review",
        },
    )
    assert answer.status_code == 200
    assert "Bleibt erhalten." in answer.content.decode()
    assert not PostReview.objects.exists()


def test_scheduling_from_the_composer_is_refused_until_approved(
    client, one_approver, bob, account, workspace_a, at
):
    client.force_login(bob)
    compose = reverse("workspace_compose", kwargs={"workspace": workspace_a.slug})
    answer = client.post(
        compose,
        {
            "text": "Sofort raus damit.",
            "language": "de",
            "accounts": [str(account.pk)],
            "when": at.strftime("%Y-%m-%dT%H:%M"),
            "action": "schedule",
        },
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "need approval" in body or "Freigabe" in body
    assert not Publication.objects.filter(status="scheduled").exists()


def test_request_changes_hold_release_and_client_link_from_the_post_page(
    client, with_client, alice, bob_m, write, at
):
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    client.force_login(alice)
    client.post(decide_url(post), {"action": "changes", "comment": ""})
    assert PostReview.objects.get().state == IN_REVIEW
    made = client.post(decide_url(post), {"action": "client_link"}, follow=True)
    link = re.search(r"http://[^\"]+/review/[^\"/]+/", made.content.decode())
    assert link, "the new client link is shown once"
    assert not re.search(r"/review/[^\"/]+/", client.get(post_url(post)).content.decode())
    client.post(decide_url(post), {"action": "revoke_link"})
    assert client.get(link.group(0).replace("http://testserver", "")).status_code == 410
    client.post(decide_url(post), {"action": "hold"})
    assert PostReview.objects.get().state == "on_hold"
    client.post(decide_url(post), {"action": "release"})
    client.post(decide_url(post), {"action": "changes", "comment": "Bitte ein Foto."})
    assert PostReview.objects.get().state == CHANGES_REQUESTED
    unknown = client.post(decide_url(post), {"action": "explode"})
    assert unknown.status_code == 302


def test_comments_on_the_post_page_in_time_order(client, alice, bob_m, write):
    post = write(bob_m)
    client.force_login(alice)
    url = reverse(
        "approvals_comment", kwargs={"workspace": post.workspace.slug, "post_id": post.pk}
    )
    client.post(url, {"body": "Erster Gedanke, @bob"})
    client.post(url, {"body": "Zweiter Gedanke"})
    client.post(url, {"body": ""})
    page = client.get(post_url(post)).content.decode()
    assert page.index("Erster Gedanke") < page.index("Zweiter Gedanke")
    assert post.comments.count() == 2


def test_queue_page_and_dashboard_badge(client, one_approver, alice, conrad, write, at):
    post = write(conrad, "Wartet auf Alice.")
    review_actions.do_submit_for_review(conrad, post, at)
    client.force_login(alice)
    workspace = post.workspace
    queue = client.get(reverse("approvals_queue", kwargs={"workspace": workspace.slug}))
    assert queue.status_code == 200 and "Wartet auf Alice." in queue.content.decode()
    dashboard = client.get(reverse("workspace_dashboard", kwargs={"workspace": workspace.slug}))
    body = dashboard.content.decode()
    assert "1 post waits for your approval" in body or "1 Beitrag wartet" in body


def test_a_stranger_sees_nothing(client, carol, workspace_b, one_approver, bob_m, write):
    post = write(bob_m)
    client.force_login(carol)
    assert client.post(decide_url(post), {"action": "hold"}).status_code == 404
    assert (
        client.get(
            reverse("approvals_queue", kwargs={"workspace": post.workspace.slug})
        ).status_code
        == 404
    )
    assert PostReview.objects.count() == 0


def test_the_queue_lists_approved_posts_only_until_they_are_scheduled(
    one_approver, membership, bob_m, write, at
):
    from townsquare.approvals.access import review_queue

    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, None)
    review_actions.do_approve(membership, post)
    assert [r.post for r in review_queue(membership).approved] == [post]
    from townsquare.publishing.actions import do_schedule_post

    do_schedule_post(membership, post, at)
    assert review_queue(membership).approved == []


def test_a_mention_shows_in_the_notifications_and_leads_to_the_post(client, mia, bob_m, write):
    post = write(bob_m)
    comment_actions.do_add_comment(bob_m, post, "@mia Bitte einmal lesen.")
    client.force_login(mia.user)
    page = client.get(reverse("notifications", kwargs={"workspace": post.workspace.slug}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Bob" in body and "Bitte einmal lesen." in body
    note = mia.user.notifications.get()
    assert note.url == post_url(post)
    followed = client.post(
        reverse(
            "notification_read",
            kwargs={"workspace": post.workspace.slug, "notification_id": note.pk},
        ),
        {"open": "1"},
    )
    assert followed.status_code == 302 and followed["Location"] == post_url(post)


def test_the_audit_log_tells_the_approval_steps_in_words(
    client, one_approver, alice, bob_m, write, at
):
    alice.language = "de"
    alice.save(update_fields=["language"])
    post = write(bob_m)
    review_actions.do_submit_for_review(bob_m, post, at)
    review_actions.do_approve(Membership.objects.get(user=alice, workspace=post.workspace), post)
    client.force_login(alice)
    page = client.get(reverse("workspace_audit", kwargs={"workspace": post.workspace.slug}))
    body = page.content.decode()
    for words in (
        "Zur Prüfung eingereicht",
        "Beitrag freigegeben",
        "Freigabe-Einstellungen geändert",
    ):
        assert words in body
    assert "in_review" not in body and "post.approve" not in body
