"""A video through the media library and the publishing engine to the reference PDS.

The check is on the PDS: the post's record carries an `app.bsky.embed.video` whose blob the
PDS itself typed as video/mp4 (it sniffs the bytes) and stores byte for byte. The AppView is
not asked: the local network (@atproto/dev-env) has no video service to transcode the file
into a playlist, so whatever it would show for the video says nothing about Townsquare.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from townsquare.media.tests.samples import mp4
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication
from townsquare.publishing.tasks import publish_publication

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]

ALT = "Die Röstmaschine dreht sich, die Bohnen werden dunkler"


def publish_now(membership, text, **fields) -> Publication:
    from townsquare.content.actions import PostInput, do_save_post

    account_ids = fields.pop("account_ids")
    post = do_save_post(membership, PostInput(text=text, language="de", **fields), account_ids)
    do_schedule_post(membership, post, None)
    outcomes = [publish_publication.call(pub_id, token) for pub_id, token in claim_due()]
    assert outcomes == ["published"], Publication.objects.get(post=post).error_message
    return Publication.objects.get(post=post)


def upload_clip(membership):
    from townsquare.media.actions import do_upload_media

    asset, _ = do_upload_media(
        membership,
        ContentFile(mp4(width=1280, height=720, seconds=3.0), name="roestung.mp4"),
        alt_text=ALT,
    )
    assert asset.mime_type == "video/mp4" and asset.kind == "video"
    return asset


def test_a_video_goes_out_as_a_video_embed_with_its_alt_text(membership, account, pds, ours):
    asset = upload_clip(membership)
    pub = publish_now(
        membership,
        "Heute läuft die Röstmaschine. Mehr auf https://example.com/roesterei",
        account_ids=[account.pk],
        media_ids=(asset.pk,),
        link_url="https://example.com/roesterei",
    )
    [record] = [r for r in pds.records(ours.did) if "läuft die Röstmaschine" in r["value"]["text"]]
    assert record["uri"] == pub.external_id
    embed = record["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.video", "the video wins over the link card"
    assert embed["alt"] == ALT
    assert embed["aspectRatio"] == {"width": 1280, "height": 720}
    blob = embed["video"]
    assert blob["mimeType"] == "video/mp4"
    with asset.file.open("rb") as handle:
        stored = handle.read()
    assert blob["size"] == len(stored)
    # The PDS keeps the blob with the record: the same bytes come back.
    served = pds.call(
        "GET", "com.atproto.sync.getBlob", params={"did": ours.did, "cid": blob["ref"]["$link"]}
    )
    assert served.content == stored
    # The link stays clickable in the text even without its card.
    [facet] = record["value"]["facets"]
    assert facet["features"][0]["uri"] == "https://example.com/roesterei"
