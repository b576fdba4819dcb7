"""Publishing to a LinkedIn page through the fake of LinkedIn: captured answers (each fixture
names its source), every request checked for the pinned version and Rest.li headers."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import httpx
import pytest

from townsquare.networks.base import (
    ConnectionCheck,
    InboxSource,
    MediaRef,
    MetricsSource,
    OutcomeUnknown,
    Publisher,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
    VariantToPublish,
)
from townsquare.networks.linkedin import payloads
from townsquare.networks.linkedin.tests.fake_linkedin import (
    NOW,
    PAGE,
    POST,
    FakeLinkedIn,
    answer,
    creds,
)


def variant(*parts: str, **changes) -> VariantToPublish:
    return VariantToPublish(
        variant_id=1, account_id=1, network="linkedin_page", parts=parts, **changes
    )


class Renewals:
    def __init__(self, *errors: Exception) -> None:
        self.count = 0
        self.errors = list(errors)

    def __call__(self, old):
        self.count += 1
        if self.errors:
            raise self.errors.pop(0)
        return dataclasses.replace(
            old, access_token=f"at-{self.count + 1}", expires_at=NOW + timedelta(days=60)
        )


@pytest.fixture
def li():
    fake = FakeLinkedIn({"POST /rest/posts": answer("posts_create__ok_201.json")})
    yield fake
    assert fake.invalid == [], "requests LinkedIn would refuse"


def media(*kinds: str) -> tuple[MediaRef, ...]:
    mimes = {"image": "image/png", "video": "video/mp4", "document": "application/pdf"}
    return tuple(
        MediaRef(storage_key=f"m/{i}.{kind}", kind=kind, mime_type=mimes[kind], alt_text=f"alt {i}")  # type: ignore[arg-type]
        for i, kind in enumerate(kinds)
    )


def test_the_connector_offers_every_protocol_but_threads(li):
    connector = li.connector()
    for protocol in (Publisher, InboxSource, MetricsSource, ConnectionCheck):
        assert isinstance(connector, protocol)
    caps = connector.capabilities
    assert not caps.threads and caps.find_published and caps.inbox and caps.reply and caps.metrics


def test_a_text_post_is_published_escaped_with_its_urn_and_address(li):
    result = li.connector().publish(creds(), variant("Heute (15 Uhr): #kaffee"), "key-1")
    request = li.sent("POST /rest/posts")[0]
    assert request.headers["Authorization"] == "Bearer at-1"
    assert request.headers["LinkedIn-Version"] == payloads.API_VERSION
    body = json.loads(request.content)
    assert body["author"] == PAGE and body["commentary"] == "Heute \\(15 Uhr\\): \\#kaffee"
    assert result.network_post_id == POST and result.part_ids == (POST,)
    assert result.url == f"https://www.linkedin.com/feed/update/{POST}/"


def test_a_picture_is_uploaded_then_posted_with_its_urn_and_alt_text(li):
    li.routes["POST /rest/images"] = answer("images_initialize__ok_200.json")
    upload_path = "/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0"
    li.routes[f"PUT {upload_path}"] = answer("images_upload__ok_201.json")
    reader = {"m/0.image": b"\x89PNG-bytes"}
    connector = li.connector(media_reader=reader.__getitem__)
    connector.publish(creds(), variant("Bild", media=media("image")), "key-1")
    init = li.sent("POST /rest/images")[0]
    assert init.url.params["action"] == "initializeUpload"
    assert json.loads(init.content) == {"initializeUploadRequest": {"owner": PAGE}}
    put = li.sent(f"PUT {upload_path}")[0]
    assert put.content == b"\x89PNG-bytes" and put.headers["Authorization"] == "Bearer at-1"
    body = json.loads(li.sent("POST /rest/posts")[0].content)
    assert body["content"] == {
        "media": {"id": "urn:li:image:C4E10AQFoyyAjHPMQuQ", "altText": "alt 0"}
    }


def test_several_pictures_become_one_multi_image_post(li):
    li.routes["POST /rest/images"] = lambda r: answer("images_initialize__ok_200.json")
    li.routes["PUT /dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0"] = lambda r: answer(
        "images_upload__ok_201.json"
    )
    connector = li.connector(media_reader=lambda key: b"img")
    connector.publish(creds(), variant("Bilder", media=media("image", "image", "image")), "k")
    body = json.loads(li.sent("POST /rest/posts")[0].content)
    assert len(body["content"]["multiImage"]["images"]) == 3


def test_a_document_goes_through_the_documents_api_with_a_title(li):
    li.routes["POST /rest/documents"] = answer("documents_initialize__ok_200.json")
    li.routes["PUT /dms-uploads/D5F10AQH4KCnqtWYtmQ/uploaded-document/0"] = answer(
        "images_upload__ok_201.json"
    )
    connector = li.connector(media_reader=lambda key: b"%PDF-1.7")
    connector.publish(creds(), variant("Karte", media=media("document"), title="Speisekarte"), "k")
    body = json.loads(li.sent("POST /rest/posts")[0].content)
    assert body["content"] == {
        "media": {"id": "urn:li:document:D5F10AQH4KCnqtWYtmQ", "title": "Speisekarte"}
    }


def test_a_video_is_uploaded_in_parts_finalized_with_their_etags_and_awaited(li):
    size = 4_195_304
    li.routes["POST /rest/videos"] = [
        answer("videos_initialize__ok_200.json"),
        answer("videos_finalize__ok_200.json"),
    ]
    for part in ("0", "1"):
        li.routes[f"PUT /dms-uploads/C5F10AQGKQg_6y2a4sQ/uploadedVideo/{part}"] = answer(
            "videos_part__ok_200.json", headers={"etag": f"etag-{part}"}
        )
    li.routes["GET /rest/videos/urn:li:video:C5F10AQGKQg_6y2a4sQ"] = [
        answer("videos_get__available_200.json", body={"status": "PROCESSING"}),
        answer("videos_get__available_200.json"),
    ]
    connector = li.connector(media_reader=lambda key: b"v" * size)
    connector.publish(creds(), variant("Film", media=media("video")), "k")
    init, finalize = li.sent("POST /rest/videos")
    assert json.loads(init.content)["initializeUploadRequest"]["fileSizeBytes"] == size
    assert json.loads(finalize.content)["finalizeUploadRequest"]["uploadedPartIds"] == [
        "etag-0",
        "etag-1",
    ]
    parts = [len(r.content) for r in li.requests if r.method == "PUT"]
    assert parts == [4_194_304, 1000]
    body = json.loads(li.sent("POST /rest/posts")[0].content)
    assert body["content"]["media"]["id"] == "urn:li:video:C5F10AQGKQg_6y2a4sQ"


def test_a_video_linkedin_cannot_process_is_rejected(li):
    li.routes["POST /rest/videos"] = [
        answer("videos_initialize__ok_200.json"),
        answer("videos_finalize__ok_200.json"),
    ]
    for part in ("0", "1"):
        li.routes[f"PUT /dms-uploads/C5F10AQGKQg_6y2a4sQ/uploadedVideo/{part}"] = answer(
            "videos_part__ok_200.json"
        )
    li.routes["GET /rest/videos/urn:li:video:C5F10AQGKQg_6y2a4sQ"] = answer(
        "videos_get__available_200.json", body={"status": "PROCESSING_FAILED"}
    )
    with pytest.raises(Rejected) as refused:
        li.connector(media_reader=lambda k: b"v" * 4_195_304).publish(
            creds(), variant("Film", media=media("video")), "k"
        )
    assert refused.value.code == "video_failed" and not li.sent("POST /rest/posts")


@pytest.mark.parametrize(
    "kinds", [("image", "video"), ("document", "document"), ("video", "video")]
)
def test_mixed_media_are_refused_before_anything_is_sent(li, kinds):
    with pytest.raises(Rejected) as refused:
        li.connector(media_reader=lambda k: b"x").publish(
            creds(), variant("x", media=media(*kinds)), "k"
        )
    assert refused.value.code == "media_mix" and li.requests == []


def test_a_thread_a_reply_and_an_empty_post_are_refused(li):
    connector = li.connector()
    for bad in (variant("a", "b"), variant("a", reply_to_id=POST), variant("  ")):
        with pytest.raises(Rejected):
            connector.publish(creds(), bad, "k")
    assert li.requests == []


def test_an_account_without_its_page_urn_must_connect_again(li):
    with pytest.raises(Reauth):
        li.connector().publish(creds(extra={}), variant("Hallo"), "k")


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("posts_create__duplicate_422.json", Rejected),
        ("posts_create__invalid_422.json", Rejected),
        ("posts_create__rate_limited_429.json", RetryLater),
        ("posts_create__server_error_500.json", RetryLater),
        ("posts_create__forbidden_403.json", Reauth),
        ("posts_create__version_retired_426.json", payloads.ApiVersionRetired),
    ],
)
def test_each_captured_error_is_classified(li, fixture, expected):
    li.routes["POST /rest/posts"] = answer(fixture)
    with pytest.raises(expected):
        li.connector().publish(creds(), variant("Hallo"), "k")


def test_a_timeout_after_sending_is_an_unknown_outcome_and_before_it_a_retry(li):
    def hang(request):
        raise httpx.ReadTimeout("no answer", request=request)

    def unreachable(request):
        raise httpx.ConnectTimeout("no route", request=request)

    li.routes["POST /rest/posts"] = hang
    with pytest.raises(OutcomeUnknown):
        li.connector().publish(creds(), variant("Hallo"), "k")
    li.routes["POST /rest/posts"] = unreachable
    with pytest.raises(RetryLater) as later:
        li.connector().publish(creds(), variant("Hallo"), "k")
    assert not isinstance(later.value, OutcomeUnknown)


def test_a_success_without_the_post_s_urn_is_an_unknown_outcome(li):
    li.routes["POST /rest/posts"] = answer("posts_create__ok_201.json", headers={"x-restli-id": ""})
    with pytest.raises(OutcomeUnknown):
        li.connector().publish(creds(), variant("Hallo"), "k")


@pytest.mark.parametrize("content", [b"<html><body>Oops</body></html>", b'{"value": {"uploadUrl'])
def test_an_unreadable_upload_answer_after_a_write_is_an_unknown_outcome(li, content):
    li.routes["POST /rest/images"] = answer("images_initialize__ok_200.json", body=content)
    with pytest.raises(OutcomeUnknown):
        li.connector(media_reader=lambda k: b"x").publish(
            creds(), variant("Bild", media=media("image")), "k"
        )


def test_an_html_page_on_a_read_is_an_unreadable_answer(li):
    li.routes["GET /rest/organizationAcls"] = answer(
        "organization_acls__ok_200.json", body=b"<html>maintenance</html>"
    )
    with pytest.raises(UnreadableAnswer):
        li.connector().check_connection(creds())


# --- the token ----------------------------------------------------------------------------------


def test_a_401_with_a_refresh_token_renews_once_and_sends_again(li):
    li.routes["POST /rest/posts"] = [
        answer("posts_create__unauthorized_401.json"),
        answer("posts_create__ok_201.json"),
    ]
    renewals = Renewals()
    li.connector(renew=renewals).publish(creds(refresh_token="rt-1"), variant("Hallo"), "k")
    tokens = [r.headers["Authorization"] for r in li.sent("POST /rest/posts")]
    assert tokens == ["Bearer at-1", "Bearer at-2"] and renewals.count == 1


def test_a_401_without_a_refresh_token_means_connect_again_at_once(li):
    li.routes["POST /rest/posts"] = answer("posts_create__unauthorized_401.json")
    renewals = Renewals()
    with pytest.raises(Reauth):
        li.connector(renew=renewals).publish(creds(), variant("Hallo"), "k")
    assert renewals.count == 0 and len(li.sent("POST /rest/posts")) == 1


def test_an_expiring_token_without_refresh_token_asks_for_a_reconnect_before_posting(li):
    with pytest.raises(Reauth):
        li.connector().publish(creds(expires_at=NOW + timedelta(minutes=1)), variant("x"), "k")
    assert li.requests == []


def test_a_renewal_that_fails_for_a_while_is_retry_later(li):
    renewals = Renewals(RetryLater("LinkedIn's sign-in service is busy", after=60))
    soon = creds(refresh_token="rt-1", expires_at=NOW)
    with pytest.raises(RetryLater) as later:
        li.connector(renew=renewals).publish(soon, variant("Hallo"), "k")
    assert not isinstance(later.value, Reauth) and li.requests == []


# --- finding, deleting, checking ------------------------------------------------------------


def test_a_post_whose_answer_was_lost_is_found_by_its_text(li):
    li.routes["GET /rest/posts"] = answer("posts_list__ok_200.json")
    sent = variant("Kaffee & Kuchen ab 15 Uhr (heute) #kaffee")
    found = li.connector().find_published(
        creds(), "k", expected=sent, sent_after=NOW - timedelta(minutes=5)
    )
    assert found is not None and found.network_post_id == POST
    params = li.sent("GET /rest/posts")[0].url.params
    assert params["q"] == "author" and params["author"] == PAGE and params["sortBy"] == "CREATED"


def test_a_post_missing_from_the_list_since_sending_is_certainly_missing(li):
    li.routes["GET /rest/posts"] = answer("posts_list__ok_200.json")
    found = li.connector().find_published(
        creds(), "k", expected=variant("Etwas anderes"), sent_after=NOW - timedelta(minutes=5)
    )
    assert found is None


def test_too_soon_or_without_the_text_nothing_is_concluded(li):
    with pytest.raises(RetryLater):
        li.connector().find_published(
            creds(), "k", expected=variant("x"), sent_after=NOW - timedelta(seconds=5)
        )
    with pytest.raises(OutcomeUnknown):
        li.connector().find_published(creds(), "k")
    assert li.requests == []


def test_deleting_a_post_and_one_already_gone_both_succeed(li):
    path = "DELETE /rest/posts/urn:li:share:6844785523593134080"
    li.routes[path] = [httpx.Response(204), httpx.Response(404, json={"status": 404})]
    connector = li.connector()
    connector.delete(creds(), POST)
    connector.delete(creds(), POST)
    assert li.sent(path)[0].headers["X-RestLi-Method"] == "DELETE"
    with pytest.raises(Rejected):
        connector.delete(creds(), "../admin")


def test_the_connection_check_needs_the_member_to_still_administer_the_page(li):
    li.routes["GET /rest/organizationAcls"] = answer("organization_acls__ok_200.json")
    connector = li.connector()
    connector.check_connection(creds())
    with pytest.raises(Reauth):
        connector.check_connection(creds(extra={"author_urn": "urn:li:organization:1"}))


def test_the_connection_check_reports_a_retired_version_before_a_post_fails(li):
    li.routes["GET /rest/organizationAcls"] = answer("posts_create__version_retired_426.json")
    with pytest.raises(payloads.ApiVersionRetired):
        li.connector().check_connection(creds())


def test_linkedin_is_registered_with_a_connect_page_and_waits_for_a_login():
    from townsquare.networks.account_health import CONNECT_URL_NAMES
    from townsquare.networks.registry import (
        account_publishes_automatically,
        publishes_automatically,
    )

    for network in ("linkedin_page", "linkedin_profile"):
        assert publishes_automatically(network)
        assert CONNECT_URL_NAMES[network] == "workspace_connect_linkedin"
        assert not account_publishes_automatically(network, connected=False)
        assert account_publishes_automatically(network, connected=True)


def test_an_account_never_connected_is_refused_before_anything_is_sent(li):
    never = creds(access_token="", refresh_token="", expires_at=None)
    with pytest.raises(Reauth):
        li.connector().publish(never, variant("Hallo"), "k")
    with pytest.raises(Reauth):
        li.profile_connector().check_connection(never)
    assert li.requests == []


def test_a_video_part_taken_without_an_etag_is_an_unknown_outcome(li):
    li.routes["POST /rest/videos"] = answer("videos_initialize__ok_200.json")
    li.routes["PUT /dms-uploads/C5F10AQGKQg_6y2a4sQ/uploadedVideo/0"] = answer(
        "videos_part__ok_200.json", headers={"etag": ""}
    )
    with pytest.raises(OutcomeUnknown):
        li.connector(media_reader=lambda k: b"v" * 4_195_304).publish(
            creds(), variant("Film", media=media("video")), "k"
        )
    assert not li.sent("POST /rest/posts")


def test_a_file_missing_from_the_media_library_is_rejected_before_sending(li):
    def gone(key):
        raise FileNotFoundError(key)

    with pytest.raises(Rejected) as refused:
        li.connector(media_reader=gone).publish(creds(), variant("x", media=media("image")), "k")
    assert refused.value.code == "media_missing" and li.requests == []
