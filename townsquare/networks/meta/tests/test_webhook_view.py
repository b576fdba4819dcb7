"""/webhooks/meta/: Meta's subscription handshake, the signature of each delivery, and the
comments of a verified delivery stored in the inbox of exactly the workspaces that connected
the Page or Instagram account, once each, by the path the polling inbox stores with.
Deliveries and the handshake are the examples of Meta's webhook pages (fixtures name them)."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from townsquare.inbox.models import Message
from townsquare.networks.credentials import store_credentials
from townsquare.networks.meta.tests.fake_meta import IG, PAGE, captured, raw_body
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

SECRET = "app-secret-for-webhooks"
TOKEN = "meatyhamhock"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PAGE_DELIVERY = "webhooks/page_feed_comment.json"
IG_DELIVERY = "webhooks/instagram_comment.json"


@pytest.fixture(autouse=True)
def meta_app(settings):
    settings.META_APP_SECRET = SECRET
    settings.META_WEBHOOK_VERIFY_TOKEN = TOKEN
    settings.TASKS = IMMEDIATE


@pytest.fixture
def url():
    return reverse("meta_webhook")


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def connected(workspace, network: str = "facebook_page", **extra: str) -> SocialAccount:
    account = SocialAccount.objects.create(
        workspace=workspace, network=network, handle=f"{network}-{workspace.slug}"
    )
    store_credentials(
        account,
        {"access_token": "page-token", "refresh_token": "", "expires_at": None, "extra": extra},
    )
    return account


def deliver(client, url, body: bytes, *, signature: str | None = ""):
    headers = {}
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature or sign(body)
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def post(client, url, django_capture_on_commit_callbacks):
    """Deliver a body and run the task it enqueues, as the worker would after the commit."""

    def send(body: bytes, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(client, url, body, **kwargs)

    return send


# --- handshake -----------------------------------------------------------------------------


def test_the_handshake_answers_metas_challenge_as_text(client, url):
    query = captured("webhooks/verify_request.json")["query"]
    response = client.get(url, query)
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "change",
    [{"hub.verify_token": "wrong"}, {"hub.mode": "unsubscribe"}, {"hub.challenge": ""}],
)
def test_a_handshake_with_a_wrong_token_or_mode_is_refused(client, url, change):
    query = {**captured("webhooks/verify_request.json")["query"], **change}
    response = client.get(url, query)
    assert response.status_code == 403
    assert b"1158201444" not in response.content


def test_without_a_configured_verify_token_every_handshake_is_refused(client, url, settings):
    settings.META_WEBHOOK_VERIFY_TOKEN = ""
    query = {**captured("webhooks/verify_request.json")["query"], "hub.verify_token": ""}
    assert client.get(url, query).status_code == 403


def test_only_get_and_post_are_answered(client, url):
    assert client.put(url, b"{}").status_code == 405


# --- signature and body --------------------------------------------------------------------


def test_a_signed_delivery_is_acknowledged_and_stored(post, workspace_a):
    account = connected(workspace_a, page_id=PAGE)
    response = post(raw_body(PAGE_DELIVERY))
    assert response.status_code == 200
    stored = Message.objects.filter(account=account)
    # Two comments and a visitor post; the like and the Page's own answer are left out.
    assert sorted(stored.values_list("network_message_id", flat=True)) == [
        "102938475610293_845276531500",
        "845276532001_1203",
        "845276532001_1205",
    ]
    assert {m.workspace_id for m in stored} == {workspace_a.pk}
    reply = stored.get(network_message_id="845276532001_1205")
    assert reply.kind == "reply" and reply.in_reply_to_id == "845276532001_1203"
    assert stored.get(network_message_id="845276532001_1203").text == "Which origin? Café ☕"


@pytest.mark.parametrize(
    "signature",
    [None, "sha256=" + "0" * 64, sign(b"another body"), sign(b"x").replace("sha256", "sha1")],
)
def test_a_delivery_with_a_wrong_or_missing_signature_is_refused(post, workspace_a, signature):
    connected(workspace_a, page_id=PAGE)
    body = raw_body(PAGE_DELIVERY)
    response = post(body, signature=signature)
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_a_delivery_signed_with_another_secret_is_refused(post, workspace_a):
    connected(workspace_a, page_id=PAGE)
    body = raw_body(PAGE_DELIVERY)
    assert post(body, signature=sign(body, "another-app")).status_code == 403
    assert not Message.objects.exists()


def test_without_an_app_secret_no_delivery_is_accepted(post, workspace_a, settings):
    settings.META_APP_SECRET = ""
    connected(workspace_a, page_id=PAGE)
    body = raw_body(PAGE_DELIVERY)
    assert post(body, signature=sign(body, "")).status_code == 403
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'"page"'])
def test_a_signed_body_that_is_not_a_json_object_is_a_bad_request(post, body):
    assert post(body).status_code == 400


def test_an_oversized_body_is_refused_before_anything_else(post, workspace_a):
    connected(workspace_a, page_id=PAGE)
    delivery = json.loads(raw_body(PAGE_DELIVERY))
    delivery["padding"] = "x" * 1_000_001
    body = json.dumps(delivery).encode()
    assert post(body).status_code == 413
    assert not Message.objects.exists()


# --- which workspace gets what -------------------------------------------------------------


def test_a_page_connected_in_two_workspaces_reaches_both(post, workspace_a, workspace_b):
    first = connected(workspace_a, page_id=PAGE)
    second = connected(workspace_b, page_id=PAGE)
    assert post(raw_body(PAGE_DELIVERY)).status_code == 200
    for account in (first, second):
        messages = Message.objects.filter(account=account)
        assert messages.count() == 3
        assert set(messages.values_list("workspace_id", flat=True)) == {account.workspace_id}


def test_a_page_connected_in_one_workspace_reaches_no_other(post, workspace_a, workspace_b):
    ours = connected(workspace_a, page_id=PAGE)
    other_page = connected(workspace_b, page_id="555000111222333")
    instagram_of_that_page = connected(workspace_b, "instagram", page_id=PAGE, ig_user_id=IG)
    assert post(raw_body(PAGE_DELIVERY)).status_code == 200
    assert Message.objects.filter(account=ours).count() == 3
    assert not Message.objects.filter(workspace=workspace_b).exists()
    assert not Message.objects.filter(account__in=[other_page, instagram_of_that_page]).exists()


def test_removed_and_never_connected_accounts_get_nothing(post, workspace_a, workspace_b):
    from django.utils import timezone

    removed = connected(workspace_a, page_id=PAGE)
    removed.removed_at = timezone.now()
    removed.save()
    SocialAccount.objects.create(workspace=workspace_b, network="facebook_page", handle=PAGE)
    assert post(raw_body(PAGE_DELIVERY)).status_code == 200
    assert not Message.objects.exists()


def test_an_instagram_delivery_reaches_the_account_with_that_instagram_id(
    post, workspace_a, workspace_b
):
    ours = connected(workspace_a, "instagram", page_id=PAGE, ig_user_id=IG)
    the_page = connected(workspace_b, page_id=PAGE)
    assert post(raw_body(IG_DELIVERY)).status_code == 200
    stored = Message.objects.filter(account=ours)
    assert sorted(stored.values_list("network_message_id", flat=True)) == [
        "17870913679156914",
        "17870913679157010",
    ]
    assert not Message.objects.filter(account=the_page).exists()


def test_a_delivery_for_an_unknown_page_is_acknowledged_and_dropped(post, workspace_a):
    connected(workspace_a, page_id="555000111222333")
    assert post(raw_body(PAGE_DELIVERY)).status_code == 200
    assert post(raw_body(IG_DELIVERY)).status_code == 200
    assert not Message.objects.exists()


def test_a_delivery_that_brings_nothing_to_store_is_acknowledged(post, workspace_a):
    connected(workspace_a, page_id=PAGE)
    body = json.dumps({"object": "page", "entry": []}).encode()
    assert post(body).status_code == 200
    assert post(json.dumps({"object": "user", "entry": [{"id": PAGE}]}).encode()).status_code == 200
    assert not Message.objects.exists()


def test_the_same_delivery_twice_is_stored_once(post, workspace_a):
    account = connected(workspace_a, page_id=PAGE)
    body = raw_body(PAGE_DELIVERY)
    assert post(body).status_code == 200
    assert post(body).status_code == 200
    assert Message.objects.filter(account=account).count() == 3


def test_a_comment_polled_before_is_not_stored_again_by_webhook(post, workspace_a):
    from townsquare.inbox.ingest_store import store_messages
    from townsquare.networks.meta.webhooks import parse_delivery

    account = connected(workspace_a, page_id=PAGE)
    polled = [item.message for item in parse_delivery(raw_body(PAGE_DELIVERY))][:1]
    assert len(store_messages(account, polled).stored) == 1
    assert post(raw_body(PAGE_DELIVERY)).status_code == 200
    assert Message.objects.filter(account=account).count() == 3


def test_an_accounts_page_id_is_read_from_its_credentials_once_then_found_by_index(
    post, workspace_a, monkeypatch
):
    from townsquare.networks.meta import webhook_inbox

    account = connected(workspace_a, page_id=PAGE)
    assert SocialAccount.objects.get(pk=account.pk).network_account_id == ""
    assert post(raw_body(PAGE_DELIVERY)).status_code == 200
    assert SocialAccount.objects.get(pk=account.pk).network_account_id == PAGE

    def no_reading(_account):
        raise AssertionError("credentials read again for a delivery")

    # A later delivery finds the account without decrypting any credentials.
    monkeypatch.setattr(webhook_inbox, "read_credentials", no_reading)
    Message.objects.all().delete()
    assert post(raw_body(PAGE_DELIVERY)).status_code == 200
    assert Message.objects.filter(account=account).count() == 3


def test_new_credentials_make_the_kept_page_id_be_read_again(post, workspace_a):
    account = connected(workspace_a, page_id="555000111222333")
    assert post(raw_body(PAGE_DELIVERY)).status_code == 200
    kept = SocialAccount.objects.get(pk=account.pk)
    assert kept.network_account_id == "555000111222333"
    assert not Message.objects.exists()
    # Connected again, now for the Page the delivery names: the old id is not trusted.
    store_credentials(kept, {"access_token": "new", "extra": {"page_id": PAGE}})
    assert SocialAccount.objects.get(pk=account.pk).network_account_id == ""
    assert post(raw_body(PAGE_DELIVERY)).status_code == 200
    assert Message.objects.filter(account=account).count() == 3
