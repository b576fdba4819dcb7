"""Mastodon against `mastodon-mock` (PyPI) on loopback: connecting through the real OAuth views,
publishing text, a picture with alt text and a thread through the publishing engine, then
another person mentioning, answering and writing privately to us, our answers landing in the
right threads, and the counters arriving."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from townsquare.networks.base import VariantToPublish
from townsquare.networks.credentials import credentials_for
from townsquare.networks.registry import get_publisher
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication
from townsquare.publishing.tasks import publish_publication

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]
# The mock server, people on it and our connected account (tests/peers/mastodon_fixtures.py).
pytest_plugins = ["mastodon_fixtures"]

THREAD_TEXT = " ".join(
    f"Satz {n}: Unsere Rösterei in Leipzig probiert heute eine neue Bohne aus Äthiopien ☕."
    for n in range(1, 9)
)


def publish_now(membership, text, **fields):
    from townsquare.content.actions import PostInput, do_save_post

    account_ids = fields.pop("account_ids")
    post = do_save_post(membership, PostInput(text=text, language="de", **fields), account_ids)
    do_schedule_post(membership, post, None)
    outcomes = [publish_publication.call(pub_id, token) for pub_id, token in claim_due()]
    assert outcomes == ["published"], Publication.objects.get(post=post).error_message
    return Publication.objects.get(post=post)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_connecting_stores_the_account_its_token_and_the_instance_limits(
    mastodon_account, mastodon_instance, mastodon_ours
):
    account = mastodon_account
    host = mastodon_instance.url.split("://", 1)[1]
    assert account.handle == f"@{mastodon_ours.username}@{host}"
    assert account.display_name == "Rösterei Alpha" and account.language == "de"
    assert account.connected_at and account.last_success_at and not account.needs_reconnect
    assert account.reported_limits["text_max"] == 500
    assert account.reported_limits["url_weight"] == 23
    creds = credentials_for(account)
    assert (
        creds.instance_url == mastodon_instance.url
        and creds.extra["account_id"] == mastodon_ours.id
    )
    assert creds.access_token not in account.credentials_encrypted


def test_text_picture_and_thread_go_out_through_the_engine(
    membership, mastodon_account, mastodon_instance, mastodon_ours
):
    from townsquare.media.actions import do_upload_media

    text = publish_now(
        membership, "Frisch geröstet, heute im Laden.", account_ids=[mastodon_account.pk]
    )
    status = mastodon_instance.status(mastodon_ours, text.external_id)
    assert "Frisch geröstet" in status["content"] and status["language"] == "de"
    assert status["visibility"] == "public" and text.external_url

    asset, _ = do_upload_media(
        membership, ContentFile(png(), name="roestung.png"), alt_text="Kaffeebohnen im Röster"
    )
    picture = publish_now(
        membership,
        "Heute in der Rösterei.",
        account_ids=[mastodon_account.pk],
        media_ids=(asset.pk,),
    )
    [attachment] = mastodon_instance.status(mastodon_ours, picture.external_id)["media_attachments"]
    assert attachment["description"] == "Kaffeebohnen im Röster"
    assert attachment["type"] == "image" and attachment["url"]

    thread = publish_now(membership, THREAD_TEXT, account_ids=[mastodon_account.pk])
    assert len(thread.part_ids) >= 2
    parents = [
        mastodon_instance.status(mastodon_ours, pid)["in_reply_to_id"] for pid in thread.part_ids
    ]
    assert parents == [None, *thread.part_ids[:-1]]

    # After an unknown outcome the engine asks with the part in flight: the status is found by
    # its text and parent; a text that never went out is certainly not there.
    connector = get_publisher("mastodon")
    creds = credentials_for(mastodon_account)
    since = datetime.now(UTC) - timedelta(minutes=2)
    last = thread.variant.parts[-1]
    expected = VariantToPublish(
        variant_id=0,
        account_id=creds.account_id,
        network="mastodon",
        parts=(last,),
        reply_to_id=thread.part_ids[-2],
    )
    found = connector.find_published(creds, "k", expected=expected, sent_after=since)
    assert found is not None and found.network_post_id == thread.part_ids[-1]
    never = VariantToPublish(
        variant_id=0, account_id=creds.account_id, network="mastodon", parts=("Nie gesendet",)
    )
    assert connector.find_published(creds, "k", expected=never, sent_after=since) is None

    connector.delete(creds, text.external_id)
    connector.delete(creds, text.external_id)  # already gone: still fine


def test_mentions_replies_and_direct_messages_reach_the_inbox_and_answers_land_in_the_thread(
    membership, mastodon_account, mastodon_instance, mastodon_ours, mastodon_them
):
    connector = get_publisher("mastodon")
    creds = credentials_for(mastodon_account)
    _seen, cursor = connector.fetch_inbox(creds, None)  # the inbox starts now

    ours_post = connector.publish(
        creds,
        VariantToPublish(
            variant_id=0,
            account_id=creds.account_id,
            network="mastodon",
            parts=("Was haltet ihr von unserer neuen Bohne?",),
        ),
        "inbox-question",
    )
    mention = mastodon_instance.call(
        mastodon_them,
        "POST",
        "/api/v1/statuses",
        json={
            "status": f"@{mastodon_ours.username} Habt ihr morgen offen?",
            "visibility": "public",
        },
    )
    reply = mastodon_instance.call(
        mastodon_them,
        "POST",
        "/api/v1/statuses",
        json={
            "status": f"@{mastodon_ours.username} Schmeckt super!",
            "in_reply_to_id": ours_post.network_post_id,
            "visibility": "public",
        },
    )
    direct = mastodon_instance.call(
        mastodon_them,
        "POST",
        "/api/v1/statuses",
        json={"status": f"@{mastodon_ours.username} Ganz privat gefragt", "visibility": "direct"},
    )
    mastodon_instance.call(
        mastodon_them, "POST", f"/api/v1/statuses/{ours_post.network_post_id}/favourite"
    )
    mastodon_instance.call(
        mastodon_them, "POST", f"/api/v1/statuses/{ours_post.network_post_id}/reblog"
    )

    messages, cursor = connector.fetch_inbox(creds, cursor)
    by_id = {m.network_message_id: m for m in messages}
    assert by_id[mention["id"]].kind == "mention"
    assert by_id[reply["id"]].kind == "reply"
    assert by_id[reply["id"]].in_reply_to_id == ours_post.network_post_id
    assert by_id[direct["id"]].kind == "direct"
    assert all(m.author_handle == f"@{mastodon_them.username}" for m in messages)
    assert "Schmeckt super!" in by_id[reply["id"]].text
    again, _cursor = connector.fetch_inbox(creds, cursor)
    assert [m.network_message_id for m in again] == []  # nothing twice

    answer = connector.reply(creds, by_id[reply["id"]], "Danke, freut uns!")
    landed = mastodon_instance.status(mastodon_ours, answer.network_post_id)
    assert landed["in_reply_to_id"] == reply["id"]
    assert f"@{mastodon_them.username}" in landed["content"] and landed["visibility"] == "public"
    private = connector.reply(creds, by_id[direct["id"]], "Ja, ab neun.")
    landed = mastodon_instance.status(mastodon_ours, private.network_post_id)
    assert landed["in_reply_to_id"] == direct["id"] and landed["visibility"] == "direct"

    snapshots = connector.fetch_metrics(creds, datetime.now(UTC).date())
    account = next(s for s in snapshots if s.network_post_id == "")
    assert account.metrics["posts"] >= 3
    question = next(s for s in snapshots if s.network_post_id == ours_post.network_post_id)
    assert question.metrics["likes"] == 1 and question.metrics["reposts"] == 1
    assert question.metrics["replies"] >= 1
