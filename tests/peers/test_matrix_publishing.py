"""Matrix against Synapse on loopback: connecting a room through the connect pages, then
publishing text, a picture with alt text and a thread through the publishing engine."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from matrix_fixtures import *  # noqa: F403  (the Synapse fixtures)
from PIL import Image

from townsquare.networks.base import VariantToPublish
from townsquare.networks.credentials import credentials_for, read_credentials
from townsquare.networks.registry import get_publisher
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import part_key
from townsquare.publishing.tasks import publish_publication

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]


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
    Image.new("RGB", (320, 200), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_connecting_stores_the_room_with_the_login_encrypted_and_not_the_password(
    matrix_account, alice_client, ours, room
):
    account = matrix_account
    assert account.handle == room["alias"] and account.display_name == "Kaffeeklatsch"
    assert account.connected_at and account.last_success_at and not account.needs_reconnect
    values = read_credentials(account)
    assert values["extra"]["user_id"] == ours.user_id
    assert values["extra"]["room_id"] == room["room_id"]
    assert values["extra"]["device_id"] and values["access_token"]
    assert ours.password not in str(values) and ours.user_id not in account.credentials_encrypted
    assert not any(
        values["access_token"] in str(value) for value in alice_client.session.values()
    ), "the pending login left the session once the rooms were chosen"


def test_text_picture_and_thread_go_out_exactly_once(
    membership, matrix_account, synapse, ours, them, room
):
    from townsquare.media.actions import do_upload_media
    from townsquare.networks.models import RuleOverride

    account = matrix_account
    text = f"Neue Bohne <b>aus</b> Äthiopien!\nMehr auf https://example.com/ä – {them.user_id}"
    pub = publish_now(membership, text, account_ids=[account.pk])
    assert pub.external_url.startswith("https://matrix.to/#/")
    [event] = [
        e for e in synapse.messages(them, room["room_id"]) if "Bohne" in e["content"]["body"]
    ]
    assert event["event_id"] == pub.external_id and event["sender"] == ours.user_id
    content = event["content"]
    assert content["body"] == text and content["msgtype"] == "m.text"
    assert "&lt;b&gt;aus&lt;/b&gt;" in content["formatted_body"]
    assert '<a href="https://example.com/ä">' in content["formatted_body"]
    assert "<br>" in content["formatted_body"]
    assert content["m.mentions"] == {"user_ids": [them.user_id]}

    # Publishing the same part again (a redelivered task) gives back the same event.
    connector = get_publisher("matrix_room")
    creds = credentials_for(account)
    key = part_key(pub.idempotency_key, 0)
    again = VariantToPublish(
        variant_id=pub.variant_id, account_id=account.pk, network="matrix_room", parts=(text,)
    )
    assert connector.publish(creds, again, key).network_post_id == pub.external_id
    assert (
        len(
            [e for e in synapse.messages(them, room["room_id"]) if e["content"].get("body") == text]
        )
        == 1
    )
    found = connector.find_published(
        creds, key, sent_after=datetime.now(UTC) - timedelta(minutes=1)
    )
    assert found is not None and found.network_post_id == pub.external_id
    assert (
        connector.find_published(
            creds,
            part_key(pub.idempotency_key, 7),
            sent_after=datetime.now(UTC) - timedelta(minutes=1),
        )
        is None
    )

    asset, _ = do_upload_media(
        membership, ContentFile(png(), name="roestung.png"), alt_text="Kaffeebohnen im Röster"
    )
    publish_now(
        membership, "Heute in der Rösterei.", account_ids=[account.pk], media_ids=(asset.pk,)
    )
    timeline = synapse.messages(them, room["room_id"])
    [image] = [e for e in timeline if e["content"].get("msgtype") == "m.image"]
    assert image["content"]["body"] == "Kaffeebohnen im Röster"
    assert image["content"]["url"].startswith("mxc://")
    info = image["content"]["info"]
    assert info["mimetype"].startswith("image/") and info["size"] > 0
    assert (info["w"], info["h"]) == (320, 200)
    caption = timeline[timeline.index(image) + 1]
    assert caption["content"]["body"] == "Heute in der Rösterei."

    RuleOverride.objects.create(
        workspace=membership.workspace, network="matrix_room", rule="text_max", value=120
    )
    thread_text = " ".join(f"Satz {n}: Die Röstung dauert heute etwas länger." for n in range(1, 7))
    thread = publish_now(membership, thread_text, account_ids=[account.pk])
    assert len(thread.part_ids) >= 2
    by_id = {e["event_id"]: e for e in synapse.messages(them, room["room_id"])}
    parts = [by_id[event_id] for event_id in thread.part_ids]
    assert "m.relates_to" not in parts[0]["content"]
    for previous, part in itertools.pairwise(parts):
        assert part["content"]["m.relates_to"] == {
            "m.in_reply_to": {"event_id": previous["event_id"]}
        }
    assert [p["content"]["body"] for p in parts] == list(thread.variant.parts)


def test_deleting_redacts_the_event(membership, matrix_account, synapse, them, room):
    connector = get_publisher("matrix_room")
    creds = credentials_for(matrix_account)
    variant = VariantToPublish(
        variant_id=1, account_id=matrix_account.pk, network="matrix_room", parts=("Gleich weg.",)
    )
    posted = connector.publish(creds, variant, "delete-me")
    connector.delete(creds, posted.network_post_id)
    connector.delete(creds, posted.network_post_id)  # twice is as good as once
    [event] = [
        e
        for e in synapse.timeline(them, room["room_id"])
        if e["event_id"] == posted.network_post_id
    ]
    assert event["content"] == {} and "redacted_because" in event["unsigned"]
