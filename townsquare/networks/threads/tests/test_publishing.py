"""Publishing to Threads against the fake with captured answers: text, image, carousel and
reply chains through the container flow, the limits checked before sending, finding a post
again, deleting, and every error fixture as a classified error (never a crash)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from townsquare.networks.base import (
    MediaRef,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
    VariantToPublish,
)
from townsquare.networks.meta.payloads import MissingPermission
from townsquare.networks.threads import payloads
from townsquare.networks.threads.tests.fake_threads import (
    CONTAINER,
    NOW,
    POST,
    USER,
    FakeThreads,
    V,
    answer,
    creds,
    values_of,
)

CREATE = f"POST {V}/{USER}/threads"
PUBLISH = f"POST {V}/{USER}/threads_publish"
STATUS = f"GET {V}/{CONTAINER}"
DETAILS = f"GET {V}/{POST}"


def variant(*parts: str, media=(), reply_to_id: str = "") -> VariantToPublish:
    return VariantToPublish(
        variant_id=7,
        account_id=1,
        network="threads",
        parts=parts,
        media=tuple(media),
        reply_to_id=reply_to_id,
    )


def image(key: str = "a.jpg", alt: str = "") -> MediaRef:
    return MediaRef(
        storage_key=key, kind="image", mime_type="image/jpeg", size_bytes=1000, alt_text=alt
    )


def ok_routes(**more) -> dict:
    return {
        CREATE: lambda request: answer("threads_create__ok_200.json"),
        PUBLISH: lambda request: answer("threads_publish__ok_200.json"),
        STATUS: lambda request: answer("container__finished_200.json"),
        DETAILS: answer("post__ok_200.json"),
        **more,
    }


@pytest.fixture
def th():
    fake = FakeThreads(ok_routes())
    yield fake
    assert fake.invalid == []


def test_text_post_is_a_container_then_published(th):
    result = th.connector().publish(creds(), variant("Hello from the café"), "k1")
    create, publish = th.sent(CREATE)[0], th.sent(PUBLISH)[0]
    assert values_of(create)["media_type"] == "TEXT"
    assert values_of(create)["text"] == "Hello from the café"
    assert "reply_to_id" not in values_of(create)
    assert values_of(publish)["creation_id"] == CONTAINER
    assert result.network_post_id == POST
    assert result.url.startswith("https://www.threads.net/@townsquare_cafe/post/")
    assert result.part_ids == (POST,)
    assert th.sent(STATUS) == []  # a text container is not polled


def test_image_post_polls_until_finished(th):
    th.routes[STATUS] = [
        answer("container__in_progress_200.json"),
        answer("container__finished_200.json"),
    ]
    th.connector().publish(creds(), variant("Our new cups", media=[image(alt="Two cups")]), "k")
    sent = values_of(th.sent(CREATE)[0])
    assert sent["media_type"] == "IMAGE"
    assert sent["image_url"] == "https://media.example.org/a.jpg"
    assert sent["alt_text"] == "Two cups"
    assert sent["text"] == "Our new cups"
    assert len(th.sent(STATUS)) == 2
    assert len(th.sent(PUBLISH)) == 1


def test_carousel_items_then_carousel_container(th):
    th.connector().publish(
        creds(), variant("Three cups", media=[image("1.jpg"), image("2.jpg"), image("3.jpg")]), "k"
    )
    created = [values_of(r) for r in th.sent(CREATE)]
    assert [c["media_type"] for c in created] == ["IMAGE", "IMAGE", "IMAGE", "CAROUSEL"]
    assert all(c["is_carousel_item"] == "true" and "text" not in c for c in created[:3])
    assert created[3]["children"] == ",".join([CONTAINER] * 3)
    assert created[3]["text"] == "Three cups"
    assert len(th.sent(STATUS)) == 4  # each item and the carousel


def test_thread_is_a_reply_chain(th):
    ids = iter(["18000000000000001", "18000000000000002"])
    th.routes[PUBLISH] = lambda request: answer(
        "threads_publish__ok_200.json", body={"id": next(ids)}
    )
    th.routes[f"GET {V}/18000000000000001"] = answer("post__ok_200.json")
    result = th.connector().publish(creds(), variant("One", "Two"), "k")
    created = [values_of(r) for r in th.sent(CREATE)]
    assert "reply_to_id" not in created[0]
    assert created[1]["reply_to_id"] == "18000000000000001"
    assert result.part_ids == ("18000000000000001", "18000000000000002")


def test_part_answering_a_post_carries_reply_to_id(th):
    th.connector().publish(creds(), variant("Resumed", reply_to_id="18000000000000009"), "k")
    assert values_of(th.sent(CREATE)[0])["reply_to_id"] == "18000000000000009"


def test_limits_are_checked_before_sending(th):
    with pytest.raises(Rejected):
        th.connector().publish(creds(), variant("x" * 501), "k")
    links = " ".join(f"https://example{n}.org" for n in range(6))
    with pytest.raises(Rejected):
        th.connector().publish(creds(), variant(links), "k")
    assert th.requests == []


def test_media_needs_a_public_address(th):
    with pytest.raises(Rejected) as caught:
        th.connector(media_url=lambda media: "http://127.0.0.1/a.jpg").publish(
            creds(), variant("x", media=[image()]), "k"
        )
    assert caught.value.code == "no_public_media_url"
    default = FakeThreads(ok_routes())
    connector = default.connector(media_url=None)
    with pytest.raises(Rejected):
        connector.publish(creds(), variant("x", media=[image()]), "k")
    assert th.requests == [] and default.requests == []


def test_container_error_is_a_refusal_with_the_reason(th):
    th.routes[STATUS] = answer("container__error_200.json")
    with pytest.raises(Rejected) as caught:
        th.connector().publish(creds(), variant("x", media=[image()]), "k")
    assert caught.value.code == "media_refused"
    assert "download" in caught.value.message
    assert th.sent(PUBLISH) == []


def test_media_still_in_progress_is_retried_later(th):
    th.routes[STATUS] = lambda request: answer("container__in_progress_200.json")
    with pytest.raises(RetryLater):
        th.connector().publish(creds(), variant("x", media=[image()]), "k")
    assert th.sent(PUBLISH) == []


def test_a_lost_publish_answer_is_an_unknown_outcome(th):
    def timeout(request):
        raise httpx.ReadTimeout("timed out", request=request)

    th.routes[PUBLISH] = timeout
    with pytest.raises(OutcomeUnknown):
        th.connector().publish(creds(), variant("x"), "k")
    th.routes[PUBLISH] = answer("threads_publish__ok_200.json", body=b'{"id": "1802854')
    with pytest.raises(OutcomeUnknown):
        th.connector().publish(creds(), variant("x"), "k")


def test_a_failed_permalink_read_keeps_the_published_post(th):
    th.routes[DETAILS] = answer("error__server_500.json")
    result = th.connector().publish(creds(), variant("x"), "k")
    assert result.network_post_id == POST and result.url == ""


@pytest.mark.parametrize(
    ("fixture", "error", "code"),
    [
        ("error__validation_400.json", Rejected, "graph_100"),
        ("error__duplicate_400.json", Rejected, "duplicate"),
        ("error__link_limit_400.json", Rejected, "link_limit"),
        ("error__permission_403.json", MissingPermission, None),
        ("error__server_500.json", RetryLater, None),
        ("error__version_400.json", payloads.ApiVersionRetired, None),
        ("error__html_502.json", RetryLater, None),
    ],
)
def test_error_fixtures_are_classified(th, fixture, error, code):
    th.routes[PUBLISH] = answer(fixture)
    with pytest.raises(error) as caught:
        th.connector().publish(creds(), variant("x"), "k")
    if code:
        assert caught.value.code == code
    assert "<html" not in caught.value.message.lower()


def test_missing_permission_is_named(th):
    th.routes[PUBLISH] = answer("error__permission_403.json")
    with pytest.raises(Reauth) as caught:
        th.connector().publish(creds(), variant("x"), "k")
    assert "threads_content_publish" in caught.value.message
    assert "app review" in caught.value.message


def test_rate_limit_waits_for_the_usage_headers(th):
    th.routes[PUBLISH] = answer("error__rate_limited_400.json")
    with pytest.raises(RetryLater) as caught:
        th.connector().publish(creds(), variant("x"), "k")
    assert caught.value.after == 17 * 60  # X-Business-Use-Case-Usage, in minutes
    usage_only = {"x-app-usage": '{"call_count":100,"total_cputime":28,"total_time":41}'}
    th.routes[PUBLISH] = answer("error__rate_limited_400.json", headers=usage_only)
    th.routes[PUBLISH].headers.pop("x-business-use-case-usage")
    with pytest.raises(RetryLater) as caught:
        th.connector().publish(creds(), variant("x"), "k")
    assert caught.value.after == 3600  # X-App-Usage at 100%: a rolling hour


def test_expired_token_gets_one_renewal_then_reauth(th):
    renewed = []

    def renew(old):
        renewed.append(old)
        return creds(access_token="THQVJrenewed2", refresh_token="THQVJrenewed2")

    th.routes[PUBLISH] = [
        answer("error__expired_token_400.json"),
        answer("threads_publish__ok_200.json"),
    ]
    result = th.connector(renew=renew).publish(creds(), variant("x"), "k")
    assert result.network_post_id == POST and len(renewed) == 1
    assert values_of(th.sent(PUBLISH)[1])["access_token"] == "THQVJrenewed2"
    th.routes[PUBLISH] = lambda request: answer("error__expired_token_400.json")
    with pytest.raises(Reauth):
        th.connector(renew=renew).publish(creds(), variant("x"), "k")


def test_token_renewed_before_expiry_and_kept_when_renewal_fails(th):
    soon = creds(expires_at=NOW + timedelta(days=3))
    renewed = []
    th.connector(renew=lambda old: renewed.append(old) or creds(access_token="new1")).publish(
        soon, variant("x"), "k"
    )
    assert renewed and values_of(th.sent(CREATE)[0])["access_token"] == "new1"

    def failing(old):
        raise RetryLater("token endpoint busy")

    th.connector(renew=failing).publish(soon, variant("y"), "k")  # the old token still works
    assert values_of(th.sent(CREATE)[-1])["access_token"] == soon.access_token


def test_find_published_matches_text_and_time(th):
    th.routes[f"GET {V}/{USER}/threads"] = answer("threads_list__ok_200.json")
    connector = th.connector()
    found = connector.find_published(
        creds(),
        "k",
        expected=variant("This is a  test post"),
        sent_after=NOW - timedelta(minutes=5),
    )
    assert found is not None and found.network_post_id == POST
    assert (
        connector.find_published(
            creds(), "k", expected=variant("Another text"), sent_after=NOW - timedelta(minutes=5)
        )
        is None
    )
    th.routes[f"GET {V}/{USER}/replies"] = answer("replies_list__ok_200.json")
    reply = connector.find_published(
        creds(),
        "k",
        expected=variant("REPLY", reply_to_id=POST),
        sent_after=NOW - timedelta(minutes=5),
    )
    assert reply is not None and reply.network_post_id == "18028547321099999"
    with pytest.raises(RetryLater):
        connector.find_published(creds(), "k", expected=variant("x"), sent_after=NOW)
    with pytest.raises(OutcomeUnknown):
        connector.find_published(creds(), "k")


def test_find_published_with_truncated_json_is_unreadable(th):
    th.routes[f"GET {V}/{USER}/threads"] = answer(
        "threads_list__ok_200.json", body=b'{"data": [{"id"'
    )
    with pytest.raises(UnreadableAnswer):
        th.connector().find_published(
            creds(), "k", expected=variant("x"), sent_after=NOW - timedelta(minutes=5)
        )


def test_read_timeout_is_retried_later(th):
    def timeout(request):
        raise httpx.ReadTimeout("timed out", request=request)

    th.routes[f"GET {V}/{USER}/threads"] = timeout
    with pytest.raises(RetryLater):
        th.connector().find_published(
            creds(), "k", expected=variant("x"), sent_after=NOW - timedelta(minutes=5)
        )


def test_delete(th):
    th.routes[f"DELETE {V}/{POST}"] = answer("delete__ok_200.json")
    th.connector().delete(creds(), POST)
    th.connector().delete(creds(), "18000000000000404")  # unknown to the fake: already gone
    with pytest.raises(Rejected):
        th.connector().delete(creds(), "../me")


def test_publishing_quota(th):
    th.routes[f"GET {V}/{USER}/threads_publishing_limit"] = answer("publishing_limit__ok_200.json")
    assert th.connector().publishing_quota(creds()) == (4, 250)
    th.routes[f"GET {V}/{USER}/threads_publishing_limit"] = answer(
        "publishing_limit__ok_200.json", body={"data": []}
    )
    assert th.connector().publishing_quota(creds()) is None


QUOTA = f"GET {V}/{USER}/threads_publishing_limit"


def test_a_profile_with_threads_daily_limit_used_up_sends_nothing_and_waits(th):
    # 250 of 250 used, some of them by another app: Townsquare's own count would not know.
    th.routes[QUOTA] = answer(
        "publishing_limit__ok_200.json",
        body={"data": [{"quota_usage": 250, "config": {"quota_total": 250}}]},
    )
    with pytest.raises(RetryLater) as caught:
        th.connector().publish(creds(), variant("Noch ein Beitrag"), "k-quota")
    assert caught.value.after == 3600
    assert "250" in caught.value.message
    assert th.sent(CREATE) == [] and th.sent(PUBLISH) == []


def test_a_profile_with_room_left_publishes_after_reading_its_quota(th):
    th.routes[QUOTA] = answer("publishing_limit__ok_200.json")  # 4 of 250
    th.connector().publish(creds(), variant("Guten Morgen"), "k-room")
    assert len(th.sent(QUOTA)) == 1 and len(th.sent(PUBLISH)) == 1


def test_a_quota_threads_does_not_report_does_not_hold_the_post_back(th):
    th.routes[QUOTA] = answer("error__server_500.json")
    th.connector().publish(creds(), variant("Guten Abend"), "k-unknown")
    assert len(th.sent(PUBLISH)) == 1
