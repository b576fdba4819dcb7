"""Removing an account: asked first, audited, and nothing is lost -- scheduled posts are
cancelled with the reason "account removed", published history keeps its account and
address, drafts keep their text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.audit.models import AuditEvent
from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import Variant
from townsquare.lib.errors import ActionError
from townsquare.networks.actions import do_add_account, do_remove_account
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication
from townsquare.publishing.reminders import claim_due_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(workspace_a):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="bluesky", handle="@alpha.bsky.social"
    )
    store_credentials(account, {"access_token": "t", "extra": {"app_password": "x"}})
    return account


def post_to(membership, *accounts, text="Frisch geröstet, heute im Laden."):
    return do_save_post(membership, PostInput(text=text, language="de"), [a.pk for a in accounts])


def published(membership, account, url):
    post = post_to(membership, account, text=f"Schon veröffentlicht: {url}")
    do_schedule_post(membership, post, None)
    Publication.objects.filter(post=post).update(
        status="published", external_url=url, published_at=timezone.now()
    )
    return post


def test_removing_an_account_keeps_its_history_and_cancels_what_was_still_to_go_out(
    membership, account, alice
):
    history = published(membership, account, "https://bsky.app/profile/alpha/post/1")
    scheduled = post_to(membership, account)
    do_schedule_post(membership, scheduled, None)
    draft = post_to(membership, account, text="Nur ein Entwurf.")

    assert do_remove_account(membership, account) == 1

    account.refresh_from_db()
    assert account.removed_at is not None and account.credentials_encrypted == ""
    old = Publication.objects.get(post=history)
    assert (old.status, old.external_url) == ("published", "https://bsky.app/profile/alpha/post/1")
    assert old.account == account  # the history still names its account
    cancelled = Publication.objects.get(post=scheduled)
    assert (cancelled.status, cancelled.error_code) == ("cancelled", "account_removed")
    assert Variant.objects.filter(post=draft, account=account).exists()
    # Nothing goes out to it any more, by the engine or by hand.
    assert claim_due() == [] and claim_due_reminders() == []
    event = AuditEvent.objects.get(action="account.remove")
    assert event.actor == alice and event.after["posts_cancelled"] == 1


def test_a_removed_account_is_no_longer_offered_and_its_variant_is_never_scheduled(
    membership, account, workspace_a
):
    other = SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@Alpha")
    post = post_to(membership, account, other)
    do_remove_account(membership, account)
    assert list(SocialAccount.objects.filter(workspace=workspace_a)) == [other]
    pubs = do_schedule_post(membership, post, None)
    assert [p.account for p in pubs] == [other]
    # The same handle can be added again as a new account.
    again = do_add_account(membership, network="bluesky", handle="@alpha.bsky.social")
    assert again.pk != account.pk


def test_an_account_is_not_removed_while_a_post_to_it_is_being_sent(membership, account):
    post = post_to(membership, account)
    do_schedule_post(membership, post, None)
    Publication.objects.update(status="publishing", lease_token="t:1")
    with pytest.raises(ActionError) as refused:
        do_remove_account(membership, account)
    assert refused.value.code == "publishing"
    account.refresh_from_db()
    assert account.removed_at is None
    assert Publication.objects.get().status == "publishing"


def test_an_editor_may_not_remove_an_account(workspace_a, bob, account):
    from django.core.exceptions import PermissionDenied

    from townsquare.workspaces.models import Membership

    with pytest.raises(PermissionDenied):
        do_remove_account(Membership.objects.get(workspace=workspace_a, user=bob), account)


def test_the_confirmation_page_says_what_happens_before_anything_is_removed(
    alice_client, membership, account, workspace_a
):
    published(membership, account, "https://bsky.app/profile/alpha/post/1")
    scheduled = post_to(membership, account)
    do_schedule_post(membership, scheduled, None)
    url = reverse(
        "workspace_account_remove", kwargs={"workspace": workspace_a.slug, "account_id": account.pk}
    )
    page = alice_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 scheduled post" in text or "1 geplanter Beitrag" in text
    assert "1 published post" in text or "1 veröffentlichter Beitrag" in text
    assert reverse("content_post", args=[workspace_a.slug, scheduled.pk]) in text
    # A POST without the confirmation removes nothing.
    alice_client.post(url)
    account.refresh_from_db()
    assert account.removed_at is None

    response = alice_client.post(url, {"confirm": "remove"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.removed_at is not None
    accounts = reverse("workspace_accounts", args=[workspace_a.slug])
    told = alice_client.get(accounts).content.decode()
    assert "1 post to it was cancelled" in told or "1 Beitrag an dieses Konto" in told
    assert "@alpha.bsky.social" not in alice_client.get(accounts).content.decode()
    # The cancelled post says why on its page.
    post_page = alice_client.get(reverse("content_post", args=[workspace_a.slug, scheduled.pk]))
    assert (
        "Cancelled because the account was removed." in post_page.content.decode()
        or "Abgebrochen, weil das Konto entfernt wurde." in post_page.content.decode()
    )


def test_another_workspaces_member_cannot_see_or_remove_the_account(client, carol, account):
    client.force_login(carol)
    url = reverse(
        "workspace_account_remove",
        kwargs={"workspace": account.workspace.slug, "account_id": account.pk},
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "remove"}).status_code == 404
    account.refresh_from_db()
    assert account.removed_at is None
