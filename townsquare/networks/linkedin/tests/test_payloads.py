"""LinkedIn's request bodies and the meaning of its answers, pure: the little text format's
escaping, the post bodies, and every captured error answer classified."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from townsquare.networks.base import OutcomeUnknown, Reauth, Rejected, RetryLater, UnreadableAnswer
from townsquare.networks.linkedin import payloads
from townsquare.networks.linkedin.tests.fake_linkedin import NOW, PAGE, captured
from townsquare.networks.oauth2.refresh import TokenRejected
from townsquare.networks.oauth2.tokens import TokenSet


def error_of(name: str, *, idempotent: bool = False, **changes):
    data = captured(name)
    body = changes.get("body", data["body"])
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return payloads.error_for(
        changes.get("status", data["status"]),
        {**data["headers"], **changes.get("headers", {})},
        content,
        idempotent=idempotent,
        now=NOW.timestamp(),
    )


# --- the little text format -------------------------------------------------------------------


@pytest.mark.parametrize("char", list("\\|{}@[]()<>#*_~"))
def test_every_reserved_character_is_escaped(char):
    assert payloads.escape_little_text(f"a{char}b") == f"a\\{char}b"


def test_plain_text_umlauts_and_links_stay_as_they_are():
    text = "Grüße aus Köln: https://example.com/kuchen?x=1&y=2 – 50 % off!"
    assert payloads.escape_little_text(text) == text


def test_a_whole_sentence_is_escaped_and_reads_back_unchanged():
    text = r"Neu (heute): #kaffee für @alle <3 ~ [Link] {x} *fett* _kursiv_ a|b \ Ende"
    escaped = payloads.escape_little_text(text)
    assert escaped == (
        r"Neu \(heute\): \#kaffee für \@alle \<3 \~ \[Link\] \{x\} \*fett\* \_kursiv\_ a\|b "
        r"\\ Ende"
    )
    assert payloads.unescape_little_text(escaped) == text


def test_a_backslash_is_escaped_once_not_twice():
    assert payloads.escape_little_text("\\#") == "\\\\\\#"


# --- bodies ---------------------------------------------------------------------------------


def test_a_text_post_is_public_in_the_main_feed_with_escaped_commentary():
    body = payloads.post_body(PAGE, "Hallo (Welt)")
    assert body == {
        "author": PAGE,
        "commentary": "Hallo \\(Welt\\)",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }


def test_one_picture_is_media_several_are_a_multi_image_post():
    one = payloads.UploadedMedia("urn:li:image:A", "image", alt_text="Bohnen")
    two = payloads.UploadedMedia("urn:li:image:B", "image")
    assert payloads.post_body(PAGE, "x", [one])["content"] == {
        "media": {"id": "urn:li:image:A", "altText": "Bohnen"}
    }
    assert payloads.post_body(PAGE, "x", [one, two])["content"] == {
        "multiImage": {
            "images": [
                {"id": "urn:li:image:A", "altText": "Bohnen"},
                {"id": "urn:li:image:B", "altText": ""},
            ]
        }
    }


def test_a_document_and_a_video_carry_a_title():
    doc = payloads.UploadedMedia("urn:li:document:D", "document", title="Karte.pdf")
    assert payloads.post_body(PAGE, "x", [doc])["content"] == {
        "media": {"id": "urn:li:document:D", "title": "Karte.pdf"}
    }


def test_urns_are_encoded_whole_and_odd_ids_are_refused():
    assert payloads.encoded(PAGE) == "urn%3Ali%3Aorganization%3A2414183"
    with pytest.raises(Rejected):
        payloads.encoded("../admin")
    with pytest.raises(Rejected):
        payloads.organization_urn("12a")


# --- errors -----------------------------------------------------------------------------------


def test_an_expired_token_is_a_token_rejection_that_a_renewal_may_repair():
    error = error_of("posts_create__unauthorized_401.json")
    assert isinstance(error, TokenRejected) and "expired" in error.message


def test_a_missing_permission_names_the_product_and_linkedin_s_words():
    error = error_of("posts_create__forbidden_403.json")
    assert isinstance(error, Reauth) and not isinstance(error, TokenRejected)
    assert "Community Management API" in error.message
    assert "partnerApiPostsExternal.CREATE" in error.message


def test_a_403_about_one_action_refuses_it_without_a_reconnect():
    body = {"status": 403, "code": "FORBIDDEN", "message": "Commenting is disabled for this post"}
    error = error_of("posts_create__forbidden_403.json", body=body)
    assert isinstance(error, Rejected) and error.code == "forbidden"
    assert error.message == "Commenting is disabled for this post"


def test_a_retired_api_version_is_its_own_connection_problem():
    error = error_of("posts_create__version_retired_426.json")
    assert isinstance(error, payloads.ApiVersionRetired) and isinstance(error, Reauth)
    assert "LINKEDIN_API_VERSION" in error.message
    # The code alone says so too, whatever the status LinkedIn pairs it with.
    same = error_of("posts_create__version_retired_426.json", status=400)
    assert isinstance(same, payloads.ApiVersionRetired)


def test_a_duplicate_post_is_rejected_for_good():
    error = error_of("posts_create__duplicate_422.json")
    assert isinstance(error, Rejected) and error.code == "duplicate"


def test_a_validation_error_is_rejected_with_linkedin_s_message():
    error = error_of("posts_create__invalid_422.json")
    assert isinstance(error, Rejected) and error.code == "http_422"
    assert "/visibility" in error.message
    bad = error_of("posts_create__bad_request_400.json")
    assert isinstance(bad, Rejected) and "Syntax exception" in bad.message


def test_a_rate_limit_without_a_reset_header_waits_at_most_an_hour():
    error = error_of("posts_create__rate_limited_429.json")
    assert isinstance(error, RetryLater) and error.after == 3600


def test_a_rate_limit_late_in_the_day_waits_for_midnight_utc():
    late = datetime(2026, 12, 7, 23, 50, tzinfo=UTC).timestamp()
    data = captured("posts_create__rate_limited_429.json")
    error = payloads.error_for(
        429, {}, json.dumps(data["body"]).encode(), idempotent=False, now=late
    )
    assert isinstance(error, RetryLater) and error.after == pytest.approx(600)


def test_a_rate_limit_with_retry_after_follows_it():
    error = error_of("posts_create__rate_limited_429.json", headers={"Retry-After": "120"})
    assert isinstance(error, RetryLater) and error.after == 120


def test_a_server_error_is_tried_again_later():
    error = error_of("posts_create__server_error_500.json")
    assert isinstance(error, RetryLater) and not isinstance(error, OutcomeUnknown)


def test_an_html_error_page_is_classified_not_shown():
    error = error_of(
        "posts_create__server_error_500.json", status=502, body=b"<html>Bad gateway</html>"
    )
    assert isinstance(error, RetryLater) and "<html" not in error.message


@pytest.mark.parametrize("content", [b"<html><body>Oops</body></html>", b'{"value": {"upl', b""])
def test_unreadable_bodies_are_unknown_after_writes_and_unreadable_after_reads(content):
    with pytest.raises(OutcomeUnknown):
        payloads.json_body(content, status=200, idempotent=False)
    with pytest.raises(UnreadableAnswer):
        payloads.json_body(content, status=200, idempotent=True)


# --- what was made ----------------------------------------------------------------------------


def test_the_post_urn_comes_from_the_x_restli_id_header():
    data = captured("posts_create__ok_201.json")
    assert payloads.created_post_urn(data["headers"]) == "urn:li:share:6844785523593134080"
    with pytest.raises(OutcomeUnknown):
        payloads.created_post_urn({})
    with pytest.raises(OutcomeUnknown):
        payloads.created_post_urn({"x-restli-id": "<html>"})


def test_upload_targets_and_their_missing_parts():
    url, urn = payloads.upload_target(captured("images_initialize__ok_200.json")["body"], "image")
    assert url.startswith("https://www.linkedin.com/dms-uploads/") and urn.startswith(
        "urn:li:image:"
    )
    with pytest.raises(UnreadableAnswer):
        payloads.upload_target(
            {"value": {"uploadUrl": "http://x", "image": "urn:li:image:1"}}, "image"
        )
    with pytest.raises(UnreadableAnswer):
        payloads.upload_target({}, "document")


def test_video_parts_must_cover_the_file_exactly():
    data = captured("videos_initialize__ok_200.json")["body"]
    plan = payloads.video_upload(data, 4_195_304)
    assert [(first, last) for _, first, last in plan.parts] == [(0, 4194303), (4194304, 4195303)]
    with pytest.raises(UnreadableAnswer):
        payloads.video_upload(data, 5_000_000)
    gap = json.loads(json.dumps(data))
    gap["value"]["uploadInstructions"][1]["firstByte"] = 4194305
    with pytest.raises(UnreadableAnswer):
        payloads.video_upload(gap, 4_195_304)


def test_statistics_keep_counts_and_leave_out_what_is_not_one():
    data = captured("share_statistics__ok_200.json")["body"]
    data["elements"][1]["totalShareStatistics"]["likeCount"] = "many"
    stats = payloads.share_statistics(data)
    assert stats["urn:li:share:6844785523593134080"]["impressionCount"] == 2460
    assert "likeCount" not in stats["urn:li:ugcPost:6844785523593134081"]
    assert "engagement" not in stats["urn:li:share:6844785523593134080"]  # a ratio, not a count
    with pytest.raises(UnreadableAnswer):
        payloads.share_statistics({"elements": "none"})


def test_followers_and_administered_pages():
    assert payloads.follower_count(captured("network_sizes__ok_200.json")["body"]) == 2523
    assert payloads.follower_count({"firstDegreeSize": -1}) is None
    acls = captured("organization_acls__ok_200.json")["body"]
    assert payloads.administered_organizations(acls) == [PAGE, "urn:li:organization:5509810"]


# --- tokens and versions ----------------------------------------------------------------------


def test_comma_separated_scopes_are_read_as_linkedin_lists_them():
    tokens = TokenSet(
        access_token="a", scopes=frozenset({"r_organization_social,w_organization_social"})
    )
    read = payloads.with_linkedin_scopes(tokens, payloads.PAGE_SCOPES)
    assert read.scopes == {"r_organization_social", "w_organization_social"}
    assert read.missing(payloads.PAGE_SCOPES) == ("rw_organization_admin",)


def test_the_refresh_token_s_lifetime_is_read_from_the_answer():
    body = json.dumps(captured("oauth_token__ok_200.json")["body"]).encode()
    assert payloads.refresh_token_expiry(body, NOW) is not None
    assert payloads.refresh_token_expiry(b"{}", NOW) is None


def test_a_version_may_be_retired_a_year_after_its_month():
    assert payloads.version_sunset_after("202607") == date(2027, 7, 1)
    assert payloads.version_sunset_after("2026-07") is None
    assert payloads.version_sunset_after(payloads.API_VERSION) is not None
