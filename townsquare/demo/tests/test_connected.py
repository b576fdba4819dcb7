"""The demo shows connected accounts of X, LinkedIn, Facebook, Instagram and Threads: they
publish, poll their inbox and report counters through the demo network, never the internet,
and the pages say they are demo connections."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.analytics.collection import collect_account
from townsquare.content.actions import PostInput, do_save_post
from townsquare.demo.accounts import seed_accounts
from townsquare.demo.connected import CONNECTED, seed_connected
from townsquare.demo.people import seed_people
from townsquare.inbox.ingest import ingest_account
from townsquare.networks.credentials import read_credentials, store_credentials
from townsquare.networks.demo_transport import is_demo_address
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import forget_publishers
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication
from townsquare.publishing.tasks import publish_publication
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

KINDS = {"x", "linkedin_page", "facebook_page", "instagram", "threads"}


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_connected(workspaces)
    forget_publishers()
    yield user, {w.name: w for w in workspaces}
    forget_publishers()


def _connected(workspace):
    return SocialAccount.objects.filter(
        workspace=workspace, handle__in=[h for _n, h, _d in CONNECTED[workspace.name]]
    )


def test_each_demo_workspace_has_a_connected_account_of_each_kind(demo):
    _user, workspaces = demo
    assert set(CONNECTED) == set(workspaces)
    for workspace in workspaces.values():
        accounts = list(_connected(workspace))
        assert {a.network for a in accounts} == KINDS
        for account in accounts:
            stored = read_credentials(account)
            assert stored["extra"]["demo"] is True
            assert account.publishes_automatically and not account.needs_reconnect
        expiry = {a.network: a.token_expires_at for a in accounts}
        now = timezone.now()
        for network in ("linkedin_page", "threads"):
            assert timedelta(days=59) < expiry[network] - now <= timedelta(days=60)
        assert expiry["facebook_page"] is None and expiry["x"] is None


def test_running_the_demo_again_changes_nothing_and_leaves_a_real_login_alone(demo):
    _user, workspaces = demo
    northwind = workspaces["Northwind Outdoor"]
    before = {a.pk: a.credentials_encrypted for a in SocialAccount.objects.all()}
    real = _connected(northwind).get(network="threads")
    store_credentials(real, {"access_token": "a-real-token", "extra": {"user_id": "42"}})

    seed_connected(list(workspaces.values()))

    after = {a.pk: a.credentials_encrypted for a in SocialAccount.objects.all()}
    assert set(after) == set(before), "no account added twice"
    changed = {pk for pk in after if after[pk] != before[pk]}
    assert changed == {real.pk}
    assert read_credentials(real)["access_token"] == "a-real-token"


def test_a_demo_connection_whose_token_nears_its_end_gets_its_lifetime_again(demo):
    _user, workspaces = demo
    account = _connected(workspaces["Northwind Outdoor"]).get(network="linkedin_page")
    account.token_expires_at = timezone.now() + timedelta(days=3)
    account.save(update_fields=["token_expires_at"])

    seed_connected(list(workspaces.values()))

    account.refresh_from_db()
    assert account.token_expires_at - timezone.now() > timedelta(days=59)


def test_a_post_to_a_demo_x_account_goes_out_and_gets_its_id(client, demo):
    user, workspaces = demo
    northwind = workspaces["Northwind Outdoor"]
    account = _connected(northwind).get(network="x")
    owner = Membership.objects.get(workspace=northwind, user=user)
    post = do_save_post(
        owner, PostInput(text="Dry on Saturday: plan the long walk.", language="en"), [account.pk]
    )
    do_schedule_post(owner, post, None)
    past = timezone.now() - timedelta(minutes=1)
    Publication.objects.filter(post=post).update(due_at=past, run_at=past)

    outcomes = [publish_publication.call(pub_id, token) for pub_id, token in claim_due()]

    pub = Publication.objects.get(post=post)
    assert outcomes == ["published"] and pub.status == "published"
    assert pub.external_id.isdigit() and is_demo_address(pub.external_url)
    client.force_login(user)
    page = client.get(reverse("content_post", args=[northwind.slug, post.pk])).content.decode()
    assert "Demo connection — nothing was sent to X" in page


def test_a_demo_accounts_inbox_is_polled_and_its_counters_collected(demo):
    _user, workspaces = demo
    for account in _connected(workspaces["Morgenrot Kaffeerösterei"]):
        polled = ingest_account(account)
        assert polled.error == "", (account.network, polled.error)
        collected = collect_account(account)
        assert collected.error == "" and collected.account_snapshot, account.network


def test_the_accounts_page_says_which_accounts_are_demo_connections(client, demo):
    user, workspaces = demo
    client.force_login(user)
    northwind = workspaces["Northwind Outdoor"]
    page = client.get(reverse("workspace_accounts", args=[northwind.slug])).content.decode()
    assert page.count("Demo connection — nothing is sent to") == len(KINDS)
    assert "Demo connection — nothing is sent to X" in page
    assert page.count("access expires") == 2, "LinkedIn's and Threads' 60 days count down"
    morgenrot = workspaces["Morgenrot Kaffeerösterei"]
    german = client.get(
        reverse("workspace_accounts", args=[morgenrot.slug]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert german.count("Demo-Verbindung — an ") == len(KINDS)


def test_an_answer_from_a_demo_account_keeps_a_demo_address_and_says_so(client, demo):
    from townsquare.inbox.models import Reply
    from townsquare.inbox.reply_actions import do_reply, send_reply
    from townsquare.inbox.tests.inbox_world import make_conversation

    user, workspaces = demo
    morgenrot = workspaces["Morgenrot Kaffeerösterei"]
    account = _connected(morgenrot).get(network="x")
    conversation = make_conversation(account, "Wo bleibt meine Bestellung?", handle="@lena")
    # A mention as X numbers its posts.
    conversation.messages.update(network_message_id="1860000000000000001")
    owner = Membership.objects.get(workspace=morgenrot, user=user)

    outcome = do_reply(owner, conversation, "Danke, wir kümmern uns!", confirmed=True)
    assert send_reply.call(outcome.reply.pk) == "sent", Reply.objects.get(pk=outcome.reply.pk).error

    sent = Reply.objects.get(pk=outcome.reply.pk).sent_message
    # The connector builds an x.com address for the answer; nothing is there.
    assert is_demo_address(sent.url), sent.url
    client.force_login(user)
    page = client.get(
        reverse("inbox_conversation", args=[morgenrot.slug, conversation.pk]),
        HTTP_ACCEPT_LANGUAGE="de",
    ).content.decode()
    assert "Demo-Verbindung — nichts wurde gesendet" in page
    assert sent.url not in page
