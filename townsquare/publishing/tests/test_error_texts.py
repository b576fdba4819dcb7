"""A publication's error is shown in the reader's language, from its code, with the network's
own words as a detail: on the post page, in the notifications and in the e-mail."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

import townsquare.networks as networks_package
from townsquare.content.models import Post, Variant
from townsquare.networks.base import Rejected
from townsquare.networks.models import SocialAccount
from townsquare.notifications.models import Notification
from townsquare.publishing.events import publication_failed
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db

NETWORK_WORDS = "Text is over 500 characters."


@pytest.fixture
def failed(workspace_a, alice):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@kaffee"
    )
    post = Post.objects.create(
        workspace=workspace_a, master_text="Neuer Röstkaffee.", language="de", created_by=alice
    )
    variant = Variant.objects.create(post=post, account=account, text="x", parts=["x"])
    return Publication.objects.create(
        workspace=workspace_a,
        post=post,
        variant=variant,
        account=account,
        status="failed",
        error_code="http_422",
        error_message=NETWORK_WORDS,
    )


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_a_networks_refusal_is_explained_by_its_code_in_each_language():
    from townsquare.publishing.error_texts import error_text

    with translation.override("de"):
        text = error_text("http_422", NETWORK_WORDS)
    assert text.message == "Das Netzwerk hat den Beitrag abgelehnt."
    assert (text.detail, text.from_network) == (NETWORK_WORDS, True)
    with translation.override("en"):
        assert error_text("video_not_mp4", "").message.startswith("The network takes videos")
    assert error_text("", "") is None


def test_every_code_a_connector_raises_has_its_own_sentence():
    """Codes in `Rejected(..., code="...")` across the connectors: none falls back to the
    generic sentence unnoticed."""
    from townsquare.publishing.error_texts import NETWORK_CODES

    found = set()
    for path in Path(networks_package.__file__).parent.rglob("*.py"):
        if "tests" not in path.parts:
            text = path.read_text("utf-8")
            found.update(re.findall(r'Rejected\((?:[^()]|\([^()]*\))*?code="([a-z_]+)"', text))
    assert found, "the scan finds the connectors' codes"
    assert found - set(NETWORK_CODES) == set()
    assert Rejected("x").code in NETWORK_CODES


def test_the_post_page_shows_the_error_in_the_readers_language_with_the_networks_words(
    client, alice, workspace_a, failed
):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    html = client.get(reverse("content_post", args=[workspace_a.slug, failed.post_id])).content
    text = text_of(html.decode())
    assert "Das Netzwerk hat den Beitrag abgelehnt." in text
    assert f"Das Netzwerk meldete: {NETWORK_WORDS}" in text


def test_the_failure_e_mail_is_in_the_readers_language_error_included(
    failed, alice, bob, workspace_a, django_capture_on_commit_callbacks
):
    alice.language = "de"
    alice.save(update_fields=["language"])
    bob.language = "en"
    bob.save(update_fields=["language"])
    failed.post.created_by = bob
    failed.post.save()
    with django_capture_on_commit_callbacks(execute=True):
        publication_failed(failed.pk)
    by_address = {m.to[0]: m for m in mail.outbox}
    german = by_address["alice@example.com"]
    assert "Das Netzwerk hat den Beitrag abgelehnt." in german.body
    assert f"Das Netzwerk meldete: {NETWORK_WORDS}" in german.body
    english = by_address["bob@example.com"]
    assert "The network refused the post." in english.body
    assert f"The network said: {NETWORK_WORDS}" in english.body
    assert "Das Netzwerk" not in english.body


def test_the_notification_shows_the_error_in_the_readers_language(
    client, alice, workspace_a, failed
):
    publication_failed(failed.pk)
    assert Notification.objects.filter(recipient=alice).exists()
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    html = client.get(reverse("notifications", args=[workspace_a.slug])).content.decode()
    text = text_of(html)
    assert "Ein Beitrag an Mastodon @kaffee ist fehlgeschlagen" in text
    assert "Das Netzwerk hat den Beitrag abgelehnt." in text and NETWORK_WORDS in text


def test_an_unknown_outcome_is_explained_once_with_the_networks_words_quoted(
    alice_client, workspace_a, failed
):
    failed.status, failed.error_code = "unknown", "outcome_unknown"
    failed.error_message = "The network did not answer in time."
    failed.save()
    html = alice_client.get(reverse("content_post", args=[workspace_a.slug, failed.post_id]))
    page = html.content.decode()
    assert page.count("did not confirm") == 1
    assert '<q translate="no">The network did not answer in time.</q>' in page
