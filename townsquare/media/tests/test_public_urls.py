"""Signed, expiring public addresses of media files: the address Instagram, Threads and
Facebook download a post's files from, and the rule that SITE_URL must be reachable."""

import hashlib
import os
import time

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation

from townsquare.media import actions
from townsquare.media.models import MediaAsset
from townsquare.media.public_urls import (
    NOT_PUBLIC_CODE,
    file_name,
    public_media_url,
    read_token,
    sign_token,
    site_url_problem,
)
from townsquare.media.tests import samples
from townsquare.networks.base import MediaRef, Rejected

PUBLIC_SITE = "https://social.morgenrot.de"


# --- which SITE_URL the networks can reach --------------------------------------------------


@pytest.mark.parametrize(
    "site_url",
    [
        "https://social.morgenrot.de",
        "https://social.morgenrot.de/",
        "https://social.morgenrot.de/townsquare",
        "https://social.morgenrot.de:8443",
        "https://SOCIAL.Morgenrot.DE.",
        "https://93.184.215.14",
        "https://[2a00:1450:4001:80b::200e]",
        "https://[2a00:1450:4001:80b::200e]:8443",
    ],
)
def test_a_public_https_address_has_no_problem(site_url):
    assert site_url_problem(site_url) is None


@pytest.mark.parametrize(
    "site_url",
    [
        "http://127.0.0.1:8000",
        "https://127.0.0.1",
        "https://127.1.2.3",
        "https://2130706433",  # 127.0.0.1 as the C library reads a bare number
        "https://0x7f.1",
        "https://localhost",
        "https://localhost:8443",
        "https://townsquare.localhost",
        "https://[::1]",
        "https://[::ffff:127.0.0.1]",
        "https://[::ffff:10.1.2.3]",
        "https://[fe80::1]",
        "https://[fd00::5]",
        "https://10.0.0.8",
        "https://10.255.255.255",
        "https://192.168.1.20",
        "https://172.16.0.1",
        "https://172.31.255.254",
        "https://169.254.169.254",
        "https://100.64.0.1",  # shared address space behind carrier NAT
        "https://0.0.0.0",
        "https://townsquare.local",
        "https://townsquare.internal",
        "https://intranet",  # one label: found through the machine's own search domains
        "https://nas.home.arpa",
    ],
)
def test_this_machine_and_private_networks_are_not_reachable(site_url):
    problem = site_url_problem(site_url)
    assert problem is not None and "cannot reach" in problem


@pytest.mark.parametrize("site_url", ["https://172.15.0.1", "https://172.32.0.1"])
def test_addresses_next_to_the_private_172_block_are_public(site_url):
    assert site_url_problem(site_url) is None


def test_http_is_refused_even_on_a_public_name():
    problem = site_url_problem("http://social.morgenrot.de")
    assert problem is not None and "https" in problem


@pytest.mark.parametrize(
    "site_url", ["https://townsquare.example", "https://social.example.org", "https://x.invalid"]
)
def test_names_reserved_for_examples_are_refused(site_url):
    problem = site_url_problem(site_url)
    assert problem is not None and "reserved for examples" in problem


@pytest.mark.parametrize(
    "site_url",
    [
        "",
        "social.morgenrot.de",
        "ftp://social.morgenrot.de",
        "https://",
        "https://host:port",
        "https://[::1",
    ],
)
def test_something_that_is_no_web_address_is_named_as_such(site_url):
    problem = site_url_problem(site_url)
    assert problem is not None and "is not a web address" in problem


def test_the_problem_is_told_in_the_readers_language():
    with translation.override("de"):
        problem = site_url_problem("https://localhost")
    assert problem is not None and "localhost" in problem and "Internet" in problem


# --- tokens -----------------------------------------------------------------------------------


def test_a_token_carries_its_file_and_expiry_and_nothing_else_opens_it():
    token = sign_token(42, 2_000_000_000)
    facts = read_token(token, now=1_999_999_999)
    assert facts is not None and (facts.asset_id, facts.expires_at) == (42, 2_000_000_000)
    assert read_token(token, now=2_000_000_000) is None  # expired at that second
    assert read_token(token.replace("42.", "43.", 1), now=0) is None  # another file
    assert read_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), now=0) is None
    # The same value signed for anything else (default salt) does not open a file.
    other = signing.Signer(sep=".").sign(token.rsplit(".", 1)[0])
    assert read_token(other, now=0) is None
    assert read_token("", now=0) is None and read_token("42.1vSJfs", now=0) is None


# --- the connectors' media_url ----------------------------------------------------------------


def asset_of(membership, data=None, name="photo.png"):
    asset, _created = actions.do_upload_media(
        membership, ContentFile(data or samples.png(), name=name)
    )
    return asset


def ref(asset):
    return MediaRef(storage_key=asset.file.name, kind=asset.kind, mime_type=asset.mime_type)


@pytest.mark.django_db
def test_the_address_is_under_site_url_with_the_stored_file_name(settings, membership):
    settings.SITE_URL = PUBLIC_SITE
    settings.PUBLIC_MEDIA_URL_HOURS = 6
    asset = asset_of(membership)
    now = time.time()
    url = public_media_url(ref(asset), now=now)
    prefix = PUBLIC_SITE + "/m/"
    assert url.startswith(prefix) and url.endswith("/" + file_name(asset.file.name))
    token = url[len(prefix) :].split("/")[0]
    facts = read_token(token, now=now)
    assert facts is not None and facts.asset_id == asset.pk
    assert facts.expires_at == int(now) + 6 * 3600
    assert "photo" not in url  # the uploaded name stays in the library


@pytest.mark.django_db
def test_a_site_url_the_internet_cannot_reach_is_a_classified_refusal(settings, membership):
    settings.SITE_URL = "http://127.0.0.1:8000"
    asset = asset_of(membership)
    with translation.override("de"), pytest.raises(Rejected) as caught:
        public_media_url(ref(asset))
    assert caught.value.code == NOT_PUBLIC_CODE
    # Connectors raise in English whatever the language of the moment.
    assert "SITE_URL must be a public https address" in str(caught.value)
    assert "127.0.0.1" in str(caught.value)


@pytest.mark.django_db
def test_a_file_no_longer_in_the_library_is_refused_before_sending(settings):
    settings.SITE_URL = PUBLIC_SITE
    with pytest.raises(Rejected) as caught:
        public_media_url(MediaRef("1/2026/gone.jpg", "image", "image/jpeg"))
    assert caught.value.code == "media_missing"


# --- the public view --------------------------------------------------------------------------


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def address(asset, *, expires_at=None, filename=None):
    token = sign_token(asset.pk, expires_at or int(time.time()) + 3600)
    return reverse(
        "media_public_file",
        kwargs={"token": token, "filename": filename or file_name(asset.file.name)},
    )


@pytest.mark.django_db
def test_the_file_is_served_without_a_session_with_its_type_and_length(settings, membership):
    settings.SITE_URL = PUBLIC_SITE
    data = samples.png()
    asset = asset_of(membership, data)
    url = public_media_url(ref(asset))
    response = Client().get(url.removeprefix(PUBLIC_SITE))
    assert response.status_code == 200
    stored = default_storage.open(asset.file.name).read()
    assert body(response) == stored
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(stored))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_an_expired_address_is_a_404_and_never_the_file(membership):
    asset = asset_of(membership)
    response = Client().get(address(asset, expires_at=int(time.time()) - 1))
    assert response.status_code == 404
    assert response.content == Client().get(address(asset)[:-4] + "nope").content
    assert b"PNG" not in response.content


@pytest.mark.django_db
def test_a_tampered_token_is_a_404(membership):
    asset = asset_of(membership)
    url = address(asset)
    token = url.split("/")[2]
    forged = token.replace(f"{asset.pk}.", f"{asset.pk + 1}.", 1)
    assert Client().get(url.replace(token, forged)).status_code == 404
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert Client().get(url.replace(token, flipped)).status_code == 404


@pytest.mark.django_db
def test_a_token_for_one_file_does_not_open_another(membership):
    first = asset_of(membership, samples.png(), "one.png")
    second = asset_of(membership, samples.noisy_jpeg(), "two.jpg")
    assert first.file.name != second.file.name
    response = Client().get(address(first, filename=file_name(second.file.name)))
    assert response.status_code == 404
    assert Client().get(address(first)).status_code == 200


@pytest.mark.django_db
def test_a_deleted_media_item_is_never_served(membership, django_capture_on_commit_callbacks):
    asset = asset_of(membership)
    url = address(asset)
    assert Client().get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_delete_media(membership, asset)
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_a_row_whose_file_is_gone_is_a_404(membership):
    asset = asset_of(membership)
    url = address(asset)
    default_storage.delete(asset.file.name)
    assert Client().get(url).status_code == 404
    assert Client().head(url).status_code == 404


@pytest.mark.django_db
def test_head_tells_type_and_length_without_the_body(membership):
    asset = asset_of(membership)
    response = Client().head(address(asset))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(default_storage.size(asset.file.name))
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_reading_is_allowed(membership, method):
    asset = asset_of(membership)
    response = getattr(Client(), method)(address(asset))
    assert response.status_code == 405
    assert MediaAsset.objects.filter(pk=asset.pk).exists()


@pytest.mark.django_db
def test_a_big_file_is_streamed_not_read_into_memory(membership):
    # A row pointing at a 12 MB file: what a reel can weigh, far more than one chunk.
    data = os.urandom(12 * 1024 * 1024)
    name = default_storage.save(f"{membership.workspace_id}/2026/big.mp4", ContentFile(data))
    asset = MediaAsset.objects.create(
        workspace=membership.workspace,
        file=name,
        kind="video",
        mime_type="video/mp4",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    response = Client().get(address(asset))
    assert response.status_code == 200 and response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    assert hashlib.sha256(b"".join(chunks)).digest() == hashlib.sha256(data).digest()
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Type"] == "video/mp4"


@pytest.mark.django_db
def test_a_range_of_a_video_is_served_as_a_part(membership):
    data = os.urandom(4096)
    name = default_storage.save(f"{membership.workspace_id}/2026/clip.mp4", ContentFile(data))
    asset = MediaAsset.objects.create(
        workspace=membership.workspace,
        file=name,
        kind="video",
        mime_type="video/mp4",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    response = Client().get(address(asset), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert body(response) == data[100:200]
    assert "no-store" in response["Cache-Control"]
