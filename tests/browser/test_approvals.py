"""Approvals in the real UI: a manager approves a contributor's post from the review queue
and it is scheduled at the proposed time; the client approves through the link, without an
account."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from townsquare.approvals.client_link_actions import do_create_client_link
from townsquare.approvals.models import PostReview
from townsquare.approvals.review_actions import do_approve, do_submit_for_review
from townsquare.approvals.settings_actions import do_update_settings
from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Neu im Laden: Kenia Nyeri, fruchtig und hell geröstet."


def _setup(workspace, owner, *, client_approval):
    user = get_user_model().objects.create_user("conrad@example.com", "conrad-pass-123")
    conrad = Membership.objects.create(workspace=workspace, user=user, role="contributor")
    manager = get_user_model().objects.create_user("mia@example.com", "mia-pass-123")
    Membership.objects.create(workspace=workspace, user=manager, role="manager")
    do_update_settings(owner, mode="one", client_approval=client_approval, link_days=7)
    account = SocialAccount.objects.create(workspace=workspace, network="mastodon", handle="@k")
    post = do_save_post(conrad, PostInput(text=TEXT, language="de"), [account.pk])
    local = utc_to_local(timezone.now(), workspace.time_zone) + timedelta(days=1)
    at = local.replace(hour=9, minute=30, second=0, microsecond=0)
    do_submit_for_review(conrad, post, at)
    return post, at


def test_a_manager_approves_a_contributors_post_from_the_review_queue(
    page, sign_in, alice, membership, workspace_a, unlabelled_controls
):
    post, at = _setup(workspace_a, membership, client_approval=False)
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/")
    expect(page.get_by_text("1 post waits for your approval.")).to_be_visible()
    page.get_by_role("link", name="Open the review queue").click()
    expect(page.get_by_role("heading", name="Waiting for me")).to_be_visible()
    page.get_by_role("link", name=TEXT[:40]).first.click()
    expect(page.get_by_role("heading", name="Approval")).to_contain_text("In review")
    assert unlabelled_controls(page) == []
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Approved and scheduled for")).to_be_visible()
    expect(page.get_by_role("heading", name="Approval")).to_contain_text("Approved")
    pub = Publication.objects.get(post=post)
    assert pub.status == "scheduled" and pub.local_due == at.isoformat(timespec="minutes")
    page.log.assert_clean()


def test_the_client_approves_through_the_link_without_an_account(
    page, membership, workspace_a, unlabelled_controls
):
    post, _at = _setup(workspace_a, membership, client_approval=True)
    do_approve(membership, post)  # the team first; the client's approval completes it
    _link, token = do_create_client_link(membership, post)
    page.goto(f"/review/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Please approve this post")
    expect(page.get_by_text(TEXT)).to_be_visible()
    assert unlabelled_controls(page) == []
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Thank you. The post is approved.")).to_be_visible()
    assert PostReview.objects.get(post=post).state == "approved"
    assert Publication.objects.get(post=post).status == "scheduled"
    page.log.assert_clean()
    page.goto(f"/review/{token}/")  # used: a 410 that says so plainly
    expect(page.get_by_text("This link has already been used")).to_be_visible()
