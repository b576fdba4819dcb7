"""The client's link: valid, expired, revoked, used, outdated, tampered; the public page
with its own form token, its plain answers and its rate limit."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from townsquare.approvals import client_link_actions, review_actions
from townsquare.approvals.models import (
    APPROVED,
    CHANGES_REQUESTED,
    IN_REVIEW,
    ClientLink,
    PostReview,
)
from townsquare.approvals.views import RATE_LIMIT
from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def submitted(with_client, bob_m, write, at):
    post = write(bob_m, "Neue Bohnen aus Äthiopien.")
    review_actions.do_submit_for_review(bob_m, post, at)
    return post


def token_of(url):
    return re.search(r"/review/([^/]+)/", url).group(1)


def test_links_need_client_approval_on_and_a_post_in_review(one_approver, membership, bob_m, write):
    post = write(bob_m)
    with pytest.raises(ActionError) as caught:
        client_link_actions.do_create_client_link(membership, post)
    assert caught.value.code == "client_approval_off"


def test_the_client_approves_after_the_team_and_it_is_scheduled(submitted, membership):
    post = submitted
    outcome = review_actions.do_approve(membership, post)
    assert outcome.review.state == IN_REVIEW
    assert "client" in outcome.message
    link, token = client_link_actions.do_create_client_link(membership, post)
    assert link.token_hash != token and len(token) >= 40
    assert link.expires_at > timezone.now() + timedelta(days=6)
    decided = client_link_actions.do_client_decide(token, approve=True)
    assert decided.review.state == APPROVED
    assert Publication.objects.get(post=post).status == "scheduled"
    assert AuditEvent.objects.filter(action="post.client_approve").exists()
    with pytest.raises(client_link_actions.LinkRefused) as caught:
        client_link_actions.do_client_decide(token, approve=True)
    assert caught.value.problem == client_link_actions.LINK_USED


def test_the_client_first_then_the_team(submitted, membership):
    _link, token = client_link_actions.do_create_client_link(membership, submitted)
    assert client_link_actions.do_client_decide(token, approve=True).review.state == IN_REVIEW
    assert review_actions.do_approve(membership, submitted).scheduled


def test_the_client_asks_for_changes_with_a_comment(submitted, membership, bob_m):
    _link, token = client_link_actions.do_create_client_link(membership, submitted)
    with pytest.raises(ActionError) as caught:
        client_link_actions.do_client_decide(token, approve=False, comment="")
    assert caught.value.code == "comment_required"
    outcome = client_link_actions.do_client_decide(
        token, approve=False, comment="Bitte ohne Emoji."
    )
    assert outcome.review.state == CHANGES_REQUESTED
    comment = submitted.comments.get()
    assert comment.by_client and comment.author is None and comment.body == "Bitte ohne Emoji."


def test_expired_revoked_outdated_and_tampered_links(submitted, membership, bob_m, write):
    link, token = client_link_actions.do_create_client_link(membership, submitted)
    assert client_link_actions.link_problem(link) is None
    assert client_link_actions.find_client_link(token + "x") is None
    assert client_link_actions.find_client_link(token[:-1]) is None
    ClientLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(client_link_actions.LinkRefused) as caught:
        client_link_actions.do_client_decide(token, approve=True)
    assert caught.value.problem == client_link_actions.LINK_EXPIRED

    _link, second = client_link_actions.do_create_client_link(membership, submitted)
    assert client_link_actions.do_revoke_client_links(membership, submitted) == 1
    with pytest.raises(client_link_actions.LinkRefused) as caught:
        client_link_actions.do_client_decide(second, approve=True)
    assert caught.value.problem == client_link_actions.LINK_REVOKED

    _link, third = client_link_actions.do_create_client_link(membership, submitted)
    _link, fourth = client_link_actions.do_create_client_link(
        membership, submitted
    )  # replaces the third
    assert (
        client_link_actions.link_problem(client_link_actions.find_client_link(third))
        == client_link_actions.LINK_REVOKED
    )
    write(bob_m, "Jetzt anders.", post=submitted)  # a new round: the link is outdated
    with pytest.raises(client_link_actions.LinkRefused) as caught:
        client_link_actions.do_client_decide(fourth, approve=True)
    assert caught.value.problem == client_link_actions.LINK_OUTDATED


def test_the_public_page_shows_the_post_and_takes_a_decision(client, submitted, membership):
    _link, token = client_link_actions.do_create_client_link(membership, submitted)
    url = reverse("approvals_client", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Neue Bohnen aus Äthiopien." in body
    assert submitted.workspace.name in body
    assert "Reviews" not in body and "sidenav" not in body  # no workspace around it
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    form_token = re.search(r'name="form_token" value="([^"]+)"', body).group(1)

    forged = client.post(url, {"decision": "approve", "form_token": "forged"})
    assert forged.status_code == 400
    assert submitted.review.__class__.objects.get(post=submitted).state == IN_REVIEW

    empty = client.post(url, {"decision": "changes", "form_token": form_token, "comment": ""})
    assert empty.status_code == 400

    done = client.post(url, {"decision": "changes", "form_token": form_token, "comment": "Kürzer"})
    assert done.status_code == 200
    assert "Thank you" in done.content.decode() or "Danke" in done.content.decode()
    again = client.get(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode() or "bereits" in again.content.decode()


def test_unknown_links_say_so_and_leak_nothing(client, submitted):
    page = client.get(reverse("approvals_client", kwargs={"token": "nicht-echt"}))
    assert page.status_code == 404
    assert submitted.workspace.name not in page.content.decode()
    assert "not valid" in page.content.decode() or "nicht gültig" in page.content.decode()


def test_the_client_page_needs_the_csrf_token_too(submitted, membership):
    from django.test import Client

    _link, token = client_link_actions.do_create_client_link(membership, submitted)
    strict = Client(enforce_csrf_checks=True)
    url = reverse("approvals_client", kwargs={"token": token})
    answer = strict.post(url, {"decision": "approve"})
    assert answer.status_code == 403


def test_the_client_page_is_rate_limited(client):
    url = reverse("approvals_client", kwargs={"token": "geraten"})
    answers = [client.get(url).status_code for _ in range(RATE_LIMIT + 1)]
    assert answers[:RATE_LIMIT] == [404] * RATE_LIMIT
    assert answers[-1] == 429


def test_the_link_shows_the_pictures_of_its_post_and_no_other(
    client, settings, tmp_path, with_client, membership, bob_m, account, at
):
    from django.core.files.base import ContentFile

    from townsquare.content.actions import PostInput, do_save_post
    from townsquare.media.actions import do_upload_media
    from townsquare.media.tests import samples

    settings.MEDIA_ROOT = tmp_path / "media"
    picture, _ = do_upload_media(membership, ContentFile(samples.png(), name="bohnen.png"))
    other, _ = do_upload_media(membership, ContentFile(samples.noisy_jpeg(), name="intern.jpg"))
    post = do_save_post(bob_m, PostInput(text="Mit Bild.", media_ids=(picture.pk,)), [account.pk])
    review_actions.do_submit_for_review(bob_m, post, at)
    _link, token = client_link_actions.do_create_client_link(membership, post)
    page = client.get(reverse("approvals_client", kwargs={"token": token})).content.decode()
    shown = reverse("approvals_client_media", kwargs={"token": token, "asset_id": picture.pk})
    assert shown in page
    answer = client.get(shown)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/webp"
    hidden = reverse("approvals_client_media", kwargs={"token": token, "asset_id": other.pk})
    assert client.get(hidden).status_code == 404
    wrong = reverse("approvals_client_media", kwargs={"token": "x" + token, "asset_id": picture.pk})
    assert client.get(wrong).status_code == 404


def _scheduled_while_approvals_were_off(submitted, membership, at):
    """The post waits for the client when approvals are turned off for a while, is scheduled
    meanwhile, and approvals come back on: its review and the client's link are unchanged."""
    from townsquare.approvals.settings_actions import do_update_settings
    from townsquare.publishing.actions import do_schedule_post

    _link, token = client_link_actions.do_create_client_link(membership, submitted)
    do_update_settings(membership, mode="none", client_approval=False, link_days=7)
    do_schedule_post(membership, submitted, at)
    do_update_settings(membership, mode="one", client_approval=True, link_days=7)
    assert Publication.objects.get(post=submitted).status == "scheduled"
    return token


def test_the_clients_request_for_changes_takes_the_post_off_the_schedule(submitted, membership, at):
    token = _scheduled_while_approvals_were_off(submitted, membership, at)
    outcome = client_link_actions.do_client_decide(
        token, approve=False, comment="Bitte erst nach Ostern."
    )
    assert outcome.review.state == CHANGES_REQUESTED
    # As when a member asks for changes: back to a draft, keeping its time as proposed.
    publication = Publication.objects.get(post=submitted)
    assert publication.status == "draft" and publication.run_at is None
    assert publication.due_at is not None


def test_the_client_cannot_ask_for_changes_while_the_post_is_being_sent(submitted, membership, at):
    token = _scheduled_while_approvals_were_off(submitted, membership, at)
    Publication.objects.filter(post=submitted).update(status="publishing")
    with pytest.raises(ActionError) as caught:
        client_link_actions.do_client_decide(token, approve=False, comment="Halt!")
    assert caught.value.code == "publishing"
    assert ClientLink.objects.get().used_at is None, "the link can be used again"
    assert PostReview.objects.get(post=submitted).state == IN_REVIEW
