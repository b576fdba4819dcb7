"""Meta's answers classified (captured error bodies of the Graph API's error-handling and
rate-limiting references, an HTML page, truncated JSON) and the pure request builders:
each a classified error from networks/base.py, never a crash."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from townsquare.networks.base import (
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
    VariantToPublish,
)
from townsquare.networks.meta import payloads
from townsquare.networks.meta.tests.fake_meta import (
    NOW,
    FakeMeta,
    answer,
    captured,
    ig_creds,
    page_creds,
    picture,
)
from townsquare.networks.oauth2.refresh import TokenRejected


def classify(name: str, *, idempotent: bool = False):
    data = captured(name)
    body = data["body"]
    raw = body.encode() if isinstance(body, str) else __import__("json").dumps(body).encode()
    return payloads.error_for(
        data["status"], data["headers"], raw, idempotent=idempotent, now=NOW.timestamp()
    )


def test_an_expired_token_is_a_rejected_token_that_asks_for_a_new_sign_in():
    error = classify("error__expired_token_400.json")
    assert isinstance(error, TokenRejected) and isinstance(error, Reauth)
    assert "connect it again" in error.message


@pytest.mark.parametrize(
    ("name", "wait"),
    [
        ("error__rate_limit_page_400.json", 12 * 60.0),  # estimated_time_to_regain_access
        ("error__rate_limit_app_400.json", 3600.0),  # X-App-Usage at 100%: a rolling hour
        ("error__rate_limit_user_400.json", 300.0),
        ("error__rate_limit_613_400.json", 300.0),
        ("error__ig_publish_limit_400.json", 3600.0),
    ],
)
def test_throttling_waits_as_long_as_meta_says(name, wait):
    error = classify(name)
    assert isinstance(error, RetryLater) and error.after == wait


def test_a_missing_permission_is_named_and_asks_for_a_reconnect():
    error = classify("error__permission_403.json")
    assert isinstance(error, payloads.MissingPermission)
    assert error.permission == "pages_read_engagement"
    assert "App Review" in error.message
    generic = classify("error__permission_10_400.json")
    assert isinstance(generic, payloads.MissingPermission) and "a permission" in generic.message


def test_validation_duplicate_and_media_fetch_refusals_are_rejected_with_their_reason():
    invalid = classify("error__validation_400.json")
    assert isinstance(invalid, Rejected) and "not a valid URL" in invalid.message
    duplicate = classify("error__duplicate_400.json")
    assert isinstance(duplicate, Rejected) and duplicate.code == "duplicate"
    fetch = classify("error__ig_media_fetch_400.json")
    assert isinstance(fetch, Rejected) and fetch.code == "media_unreachable"
    not_ready = classify("error__ig_not_ready_400.json")
    assert isinstance(not_ready, RetryLater)


def test_server_errors_and_html_pages_are_temporary():
    assert isinstance(classify("error__server_500.json"), RetryLater)
    html = classify("error__html_502.json", idempotent=True)
    assert isinstance(html, RetryLater) and "<html" not in html.message


def test_truncated_json_after_a_write_is_an_unknown_outcome_and_after_a_read_unreadable():
    body = captured("error__truncated_200.json")["body"].encode()
    with pytest.raises(OutcomeUnknown):
        payloads.json_body(body, status=200, idempotent=False)
    with pytest.raises(UnreadableAnswer):
        payloads.json_body(body, status=200, idempotent=True)


def test_a_timeout_after_sending_a_post_is_an_unknown_outcome():
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    fake = FakeMeta({"POST /102938475610293/feed": hang})
    variant = VariantToPublish(1, 1, "facebook_page", ("Hello",))
    with pytest.raises(OutcomeUnknown):
        fake.page().publish(page_creds(), variant, "k1")


def test_a_timeout_while_making_an_instagram_container_is_safe_to_retry():
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    fake = FakeMeta({"POST /17841405822304914/media": hang})
    variant = VariantToPublish(1, 2, "instagram", ("Hi",), media=(picture(),))
    with pytest.raises(RetryLater):
        fake.instagram().publish(ig_creds(), variant, "k1")


def test_errors_in_real_calls_are_classified_end_to_end():
    fake = FakeMeta({"GET /102938475610293": answer("error__expired_token_400.json")})
    with pytest.raises(Reauth):
        fake.page().check_connection(page_creds())
    assert not fake.invalid


def test_retired_and_current_versions():
    assert payloads.version_problem("v26.0", date(2026, 12, 7)) == ""
    assert "retired" in payloads.version_problem("v20.0", date(2026, 12, 7))
    assert payloads.version_problem("26", date(2026, 12, 7))
    assert payloads.days_left("v21.0", date(2026, 12, 7)) == 45
    fake = FakeMeta()
    with pytest.raises(payloads.ApiVersionRetired):
        fake.page(version="v20.0").check_connection(page_creds())
    assert not fake.requests  # told before any call


def test_request_builders():
    assert payloads.feed_post_body("Hi", "https://x.example") == {
        "message": "Hi",
        "link": "https://x.example",
    }
    assert payloads.feed_post_body("Two", photo_ids=["1", "2"])["attached_media"] == [
        {"media_fbid": "1"},
        {"media_fbid": "2"},
    ]
    assert payloads.photo_body("https://a/b.jpg", "c", published=False) == {
        "url": "https://a/b.jpg",
        "published": False,
    }
    assert payloads.ig_video_container("https://a/v.mp4", "cap")["media_type"] == "REELS"
    assert payloads.ig_carousel_container(["1", "2"], "c")["children"] == "1,2"
    assert payloads.ig_image_container("https://a/i.jpg", "c", "alt", item=True) == {
        "image_url": "https://a/i.jpg",
        "is_carousel_item": True,
        "alt_text": "alt",
    }


def test_managed_pages_and_permissions_parse_captured_answers():
    pages = payloads.managed_pages(captured("accounts__ok_200.json")["body"])
    assert [p["page_id"] for p in pages] == ["102938475610293", "556677889900112"]
    assert pages[0]["ig_user_id"] == "17841405822304914" and pages[1]["ig_user_id"] == ""
    granted = payloads.granted_permissions(captured("permissions__declined_200.json")["body"])
    assert "pages_manage_posts" not in granted and "pages_show_list" in granted
    with pytest.raises(UnreadableAnswer):
        payloads.managed_pages({"pages": []})


def test_private_reply_window_is_seven_days():
    from datetime import timedelta

    assert payloads.private_reply_open(NOW - timedelta(days=6), NOW)
    assert not payloads.private_reply_open(NOW - timedelta(days=8), NOW)


def test_answers_of_an_unexpected_shape_are_unreadable_or_skipped_never_a_crash():
    from datetime import date as day

    fake = FakeMeta(
        {
            "GET /102938475610293/feed": [
                answer("feed_inbox__ok_200.json", body={"data": "nope"}),
                answer(
                    "feed_inbox__ok_200.json",
                    body={
                        "data": [
                            {"id": 5},
                            {"id": "1_2", "comments": "x"},
                            "junk",
                            {"id": "1_3", "created_time": "never"},
                        ]
                    },
                ),
            ],
            "GET /17841405822304914/media": answer(
                "ig_media_list__ok_200.json", body={"data": [{"id": "1", "timestamp": None}]}
            ),
            "GET /17841405822304914": answer(
                "ig_account__ok_200.json", body={"followers_count": "many"}
            ),
            "GET /17889455560051444": answer(
                "ig_container_status__finished_200.json", body={"id": "1"}
            ),
            "POST /17841405822304914/media": answer("ig_container__ok_200.json"),
        }
    )
    with pytest.raises(UnreadableAnswer):
        fake.page().fetch_inbox(page_creds(), None)
    messages, cursor = fake.page().fetch_inbox(page_creds(), "2026-12-01T00:00:00+00:00")
    assert list(messages) == [] and cursor == "2026-12-01T00:00:00+00:00"
    assert fake.instagram().fetch_metrics(ig_creds(), day(2026, 12, 1)) == []
    with pytest.raises(UnreadableAnswer):  # a container status without status_code
        fake.instagram().publish(
            ig_creds(), VariantToPublish(1, 2, "instagram", ("x",), media=(picture(),)), "k"
        )


def test_an_instagram_check_reads_the_account_and_a_missing_id_asks_for_a_reconnect():
    fake = FakeMeta({"GET /17841405822304914": answer("ig_account__ok_200.json")})
    fake.instagram().check_connection(ig_creds())
    with pytest.raises(Reauth):
        fake.instagram().check_connection(ig_creds(extra={"page_id": "1"}))
    assert not fake.invalid
