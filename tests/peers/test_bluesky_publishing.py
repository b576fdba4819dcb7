"""Bluesky against the reference PDS and AppView on loopback: connecting an account, then
publishing text, a picture, a link card and a thread through the publishing engine."""

from __future__ import annotations

import io
import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bsky_peer import facet_texts, wait_for
from django.core.files.base import ContentFile
from PIL import Image

from townsquare.networks.bluesky.connector import part_rkey
from townsquare.networks.credentials import credentials_for, read_credentials
from townsquare.networks.registry import get_publisher
from townsquare.networks.rules.bluesky import detect_bluesky_facets
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication
from townsquare.publishing.tasks import publish_publication

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]

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


def own_posts(pds, ours, text_part):
    return [r for r in pds.records(ours.did) if text_part in r["value"]["text"]]


def test_connecting_checks_the_login_and_stores_the_session_encrypted(account, ours):
    assert account.handle == ours.handle
    assert account.connected_at and account.last_success_at and not account.needs_reconnect
    values = read_credentials(account)
    assert values["extra"]["did"] == ours.did
    assert values["access_token"] and values["refresh_token"]
    assert ours.did not in account.credentials_encrypted, "stored encrypted"


def test_a_wrong_app_password_is_refused_with_a_message(membership, pds, ours, local_targets):
    from townsquare.lib.errors import ActionError
    from townsquare.networks.bluesky.actions import do_connect_bluesky

    with pytest.raises(ActionError) as caught:
        do_connect_bluesky(
            membership, handle=ours.handle, app_password="wrong-pass-word", service_url=pds.url
        )
    assert caught.value.code == "login_refused"


def test_a_text_post_goes_out_once_with_facets_at_the_right_bytes(
    membership, account, pds, ours, them
):
    text = (
        f"Grüße 👩‍👩‍👧 an @{them.handle}: frisch geröstet, mehr auf https://example.com/ä #Kaffee"
    )
    pub = publish_now(membership, text, account_ids=[account.pk])
    [record] = own_posts(pds, ours, "frisch geröstet")
    assert record["uri"] == pub.external_id and pub.external_url.startswith("https://bsky.app/")
    value = record["value"]
    assert facet_texts(value) == {
        "mention": f"@{them.handle}",
        "link": "https://example.com/ä",
        "tag": "#Kaffee",
    }
    expected = {(f.byte_start, f.byte_end) for f in detect_bluesky_facets(value["text"])}
    assert {(f["index"]["byteStart"], f["index"]["byteEnd"]) for f in value["facets"]} == expected
    mention = next(f for f in value["facets"] if f["features"][0]["$type"].endswith("mention"))
    assert mention["features"][0]["did"] == them.did
    assert value["langs"] == ["de"]
    pds.thread(ours.access, pub.external_id)  # the AppView indexed it as a valid post


def test_sending_the_same_part_again_finds_the_post_instead_of_duplicating_it(
    membership, account, pds, ours
):
    pub = publish_now(membership, "Einmal und nie wieder doppelt.", account_ids=[account.pk])
    connector = get_publisher("bluesky")
    creds = credentials_for(account)
    from townsquare.networks.base import VariantToPublish
    from townsquare.publishing.schedule import part_key

    again = VariantToPublish(
        variant_id=pub.variant_id,
        account_id=account.pk,
        network="bluesky",
        parts=("Einmal und nie wieder doppelt.",),
    )
    key = part_key(pub.idempotency_key, 0)
    result = connector.publish(creds, again, key)
    assert result.network_post_id == pub.external_id
    assert len(own_posts(pds, ours, "nie wieder doppelt")) == 1
    found = connector.find_published(creds, key)
    assert found is not None and found.network_post_id == pub.external_id
    assert found.network_post_id.endswith(part_rkey(key, 0))
    assert connector.find_published(creds, part_key(pub.idempotency_key, 5)) is None


def png(width=640, height=480, color=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def test_a_picture_goes_out_with_its_alt_text(membership, account, pds, ours):
    from townsquare.media.actions import do_upload_media

    asset, _ = do_upload_media(
        membership, ContentFile(png(), name="roestung.png"), alt_text="Kaffeebohnen im Röster"
    )
    pub = publish_now(
        membership, "Heute in der Rösterei.", account_ids=[account.pk], media_ids=(asset.pk,)
    )
    [record] = own_posts(pds, ours, "Heute in der Rösterei")
    embed = record["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    [image] = embed["images"]
    assert image["alt"] == "Kaffeebohnen im Röster"
    assert image["image"]["mimeType"].startswith("image/")
    thread = pds.thread(ours.access, pub.external_id)
    assert thread["thread"]["post"]["embed"]["images"][0]["alt"] == "Kaffeebohnen im Röster"


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/kaffee":
            body = (
                "<html><head><title>Rösterei</title>"
                '<meta property="og:title" content="Neue Bohne aus Äthiopien">'
                '<meta property="og:description" content="Fruchtig, hell geröstet.">'
                '<meta property="og:image" content="/bild.png"></head><body>Hallo</body></html>'
            ).encode()
            self._send(200, "text/html; charset=utf-8", body)
        elif self.path == "/bild.png":
            self._send(200, "image/png", png(1200, 630, (30, 90, 160)))
        else:
            self._send(404, "text/plain", b"nope")

    def _send(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_page():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/kaffee"
    server.shutdown()
    server.server_close()


def test_a_link_card_carries_the_pages_title_description_and_picture(
    membership, account, pds, ours, web_page
):
    pub = publish_now(
        membership, "Unsere neue Bohne ist da.", account_ids=[account.pk], link_url=web_page
    )
    [record] = own_posts(pds, ours, "neue Bohne ist da")
    external = record["value"]["embed"]["external"]
    assert external["uri"] == web_page
    assert external["title"] == "Neue Bohne aus Äthiopien"
    assert external["description"] == "Fruchtig, hell geröstet."
    assert external["thumb"]["mimeType"].startswith("image/")
    view = pds.thread(ours.access, pub.external_id)["thread"]["post"]["embed"]
    assert view["external"]["title"] == "Neue Bohne aus Äthiopien"


def test_a_thread_goes_out_part_by_part_as_one_reply_chain(membership, account, pds, ours):
    pub = publish_now(membership, THREAD_TEXT, account_ids=[account.pk])
    assert len(pub.part_ids) >= 3
    records = {r["uri"]: r for r in pds.records(ours.did)}
    parts = [records[uri] for uri in pub.part_ids]
    assert [r["value"]["text"] for r in parts] == pub.variant.parts
    root = {"uri": parts[0]["uri"], "cid": parts[0]["cid"]}
    assert "reply" not in parts[0]["value"]
    for previous, part in itertools.pairwise(parts):
        assert part["value"]["reply"] == {
            "root": root,
            "parent": {"uri": previous["uri"], "cid": previous["cid"]},
        }
    for uri in pub.part_ids:
        assert sum(1 for r in records.values() if r["uri"] == uri) == 1

    def whole_thread():
        thread = pds.thread(ours.access, pub.part_ids[0])["thread"]
        chain = [thread["post"]["uri"]]
        while thread.get("replies"):
            thread = thread["replies"][0]
            chain.append(thread["post"]["uri"])
        return chain == list(pub.part_ids)

    wait_for(whole_thread, what="the AppView to show the whole thread")


def test_a_deleted_post_is_gone(membership, account, pds, ours):
    pub = publish_now(membership, "Gleich wieder weg.", account_ids=[account.pk])
    connector = get_publisher("bluesky")
    connector.delete(credentials_for(account), pub.external_id)
    assert own_posts(pds, ours, "Gleich wieder weg") == []
    connector.delete(credentials_for(account), pub.external_id)  # again: still fine


def test_the_connect_form_connects_an_account_and_explains_a_refusal(
    alice_client, workspace_a, pds, ours, local_targets
):
    from django.urls import reverse

    from townsquare.networks.models import SocialAccount

    url = reverse("workspace_connect_bluesky", args=[workspace_a.slug])
    refused = alice_client.post(
        url, {"handle": ours.handle, "app_password": "aaaa-bbbb-cccc-dddd", "service_url": pds.url}
    )
    assert refused.status_code == 400
    assert "did not accept" in refused.content.decode()
    done = alice_client.post(
        url,
        {"handle": ours.handle, "app_password": pds.app_password(ours), "service_url": pds.url},
    )
    assert done.status_code == 302
    account = SocialAccount.objects.get(workspace=workspace_a, network="bluesky")
    assert account.handle == ours.handle and account.connected_at is not None
