"""The Mastodon connector against captured real answers (docs.joinmastodon.org, see each
fixture's `source`), served with httpx.MockTransport: publishing, media processing, finding a
post after an unknown outcome, errors with retry meaning, inbox and counters."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from townsquare.networks.base import (
    InboxMessage,
    MediaRef,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.mastodon.connector import MEDIA_POLL_DELAYS
from townsquare.networks.mastodon.tests.captured import (
    FakeInstance,
    answer,
    captured,
    creds,
    status_json,
)


def variant(*parts: str, **fields) -> VariantToPublish:
    return VariantToPublish(
        variant_id=7, account_id=1, network="mastodon", parts=parts or ("Hallo",), **fields
    )


def test_a_post_goes_out_with_the_engines_key_its_warning_language_and_parent():
    fake = FakeInstance({"POST /api/v1/statuses": answer("statuses_get__ok_200.json")})
    result = fake.connector().publish(
        creds(),
        variant("Frisch geröstet", content_warning="Kaffee", language="de", reply_to_id="99"),
        "pub-1:0",
    )
    [sent] = fake.sent("POST /api/v1/statuses")
    assert sent.headers["Idempotency-Key"] == "pub-1:0"
    assert sent.headers["Authorization"] == "Bearer token-123"
    assert json.loads(sent.content) == {
        "status": "Frisch geröstet",
        "visibility": "public",
        "spoiler_text": "Kaffee",
        "language": "de",
        "in_reply_to_id": "99",
    }
    body = captured("statuses_get__ok_200.json")["body"]
    assert result.network_post_id == body["id"] and result.url == body["url"]
    assert result.part_ids == (body["id"],)


def test_parts_of_one_variant_go_out_as_a_reply_chain_each_with_its_own_key():
    fake = FakeInstance(
        {
            "POST /api/v1/statuses": [
                answer("statuses_get__ok_200.json", body=status_json("1")),
                answer("statuses_get__ok_200.json", body=status_json("2")),
            ]
        }
    )
    result = fake.connector().publish(creds(), variant("eins", "zwei"), "k")
    first, second = fake.sent("POST /api/v1/statuses")
    assert [first.headers["Idempotency-Key"], second.headers["Idempotency-Key"]] == ["k", "k:1"]
    assert "in_reply_to_id" not in json.loads(first.content)
    assert json.loads(second.content)["in_reply_to_id"] == "1"
    assert result.part_ids == ("1", "2")


def test_a_picture_still_processing_is_waited_for_then_attached_with_its_alt_text():
    fake = FakeInstance(
        {
            "POST /api/v2/media": answer("media_v2__accepted_202.json"),
            "GET /api/v1/media/22348641": [
                answer("media_get__processing_206.json"),
                answer("media_get__processing_206.json"),
                answer("media_get__ready_200.json"),
            ],
            "POST /api/v1/statuses": answer("statuses_get__ok_200.json"),
        }
    )
    connector = fake.connector(media_reader=lambda key: b"\x89PNG fake bytes")
    ref = MediaRef("media/2026/bohne.png", "image", "image/png", alt_text="Bohnen im Röster")
    connector.publish(creds(), variant("Bild", media=(ref,)), "k")
    [upload] = fake.sent("POST /api/v2/media")
    assert b'name="description"\r\n\r\nBohnen im R\xc3\xb6ster' in upload.content
    assert b'filename="bohne.png"' in upload.content and b"\x89PNG fake bytes" in upload.content
    assert len(fake.sent("GET /api/v1/media/22348641")) == 3
    [status] = fake.sent("POST /api/v1/statuses")
    assert json.loads(status.content)["media_ids"] == ["22348641"]


def test_media_that_never_finishes_processing_is_retried_later_not_failed():
    fake = FakeInstance(
        {
            "POST /api/v2/media": answer("media_v2__accepted_202.json"),
            "GET /api/v1/media/22348641": lambda r: answer("media_get__processing_206.json"),
        }
    )
    connector = fake.connector(media_reader=lambda key: b"video")
    ref = MediaRef("clip.mp4", "video", "video/mp4")
    with pytest.raises(RetryLater):
        connector.publish(creds(), variant("Film", media=(ref,)), "k")
    assert len(fake.sent("GET /api/v1/media/22348641")) == len(MEDIA_POLL_DELAYS)
    assert fake.sent("POST /api/v1/statuses") == []


def test_a_status_refused_because_media_are_still_processing_is_retried_later():
    body = {"error": "Cannot attach files that have not finished processing. Try again!"}
    fake = FakeInstance({"POST /api/v1/statuses": httpx.Response(422, json=body)})
    with pytest.raises(RetryLater):
        fake.connector().publish(creds(), variant("x"), "k")


# --- errors with retry meaning -------------------------------------------------------------------


def test_a_revoked_token_asks_for_a_reconnection():
    fake = FakeInstance({"POST /api/v1/statuses": answer("statuses_post__unauthorized_401.json")})
    with pytest.raises(Reauth, match="The access token is invalid"):
        fake.connector().publish(creds(), variant("x"), "k")


def test_a_rate_limit_waits_until_the_iso_reset_time_mastodon_names():
    reset = datetime.now(UTC) + timedelta(seconds=120)
    header = reset.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    fake = FakeInstance(
        {
            "POST /api/v1/statuses": answer(
                "rate_limited__429.json", headers={"X-RateLimit-Reset": header}
            )
        }
    )
    with pytest.raises(RetryLater) as caught:
        fake.connector().publish(creds(), variant("x"), "k")
    assert caught.value.after is not None
    assert 115 <= caught.value.after <= 121
    assert caught.value.message == "Too many requests"


def test_a_rate_limit_header_of_the_captured_answer_is_read_as_a_moment():
    headers = captured("rate_limited__429.json")["headers"]
    reset = datetime.fromisoformat(headers["X-RateLimit-Reset"])
    from townsquare.networks.http_errors import retry_after_seconds

    now = reset.timestamp() - 42
    assert retry_after_seconds(headers, now=now) == pytest.approx(42)


def test_an_invalid_status_is_rejected_with_mastodons_own_message():
    fake = FakeInstance({"POST /api/v1/statuses": answer("statuses_post__invalid_422.json")})
    with pytest.raises(Rejected) as caught:
        fake.connector().publish(creds(), variant(" "), "k")
    assert caught.value.message == "Validation failed: Text can't be blank"


def test_a_timeout_after_sending_is_an_unknown_outcome():
    def slow(request):
        raise httpx.ReadTimeout("no answer", request=request)

    fake = FakeInstance({"POST /api/v1/statuses": slow})
    with pytest.raises(OutcomeUnknown):
        fake.connector().publish(creds(), variant("x"), "k")


def test_a_server_error_is_retried_later():
    fake = FakeInstance({"POST /api/v1/statuses": httpx.Response(503, text="<html>down</html>")})
    with pytest.raises(RetryLater):
        fake.connector().publish(creds(), variant("x"), "k")


def test_a_success_that_is_not_json_is_an_unknown_outcome_with_a_clear_message():
    fake = FakeInstance({"POST /api/v1/statuses": httpx.Response(200, text="<html>oops")})
    with pytest.raises(OutcomeUnknown, match="could not be read"):
        fake.connector().publish(creds(), variant("x"), "k")


def test_a_read_whose_answer_is_not_json_or_of_the_wrong_shape_is_retried_later():
    fake = FakeInstance(
        {
            "GET /api/v1/accounts/verify_credentials": answer(
                "accounts_verify_credentials__ok_200.json"
            ),
            "GET /api/v1/accounts/14715/statuses": httpx.Response(200, text="{"),
        }
    )
    with pytest.raises(RetryLater, match="not JSON"):
        fake.connector().fetch_metrics(creds(), date.today())
    fake = FakeInstance({"GET /api/v1/accounts/verify_credentials": httpx.Response(200, json=[])})
    with pytest.raises(RetryLater, match="unexpected shape"):
        fake.connector().fetch_metrics(creds(), date.today())


def test_deleting_a_status_that_is_already_gone_is_fine():
    fake = FakeInstance(
        {"DELETE /api/v1/statuses/123": answer("statuses_delete__not_found_404.json")}
    )
    fake.connector().delete(creds(), "123")
    assert len(fake.sent("DELETE /api/v1/statuses/123")) == 1
    with pytest.raises(Rejected):
        fake.connector().delete(creds(), "../admin")


# --- find_published ------------------------------------------------------------------------------


def _listing(*statuses):
    return httpx.Response(200, json=list(statuses))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


NOW = datetime.now(UTC).replace(microsecond=0)


def test_find_published_matches_the_source_text_and_parent_of_a_recent_status():
    fake = FakeInstance(
        {
            "GET /api/v1/accounts/14715/statuses": _listing(
                status_json("30", created_at=_iso(NOW), in_reply_to_id=None),
                status_json("29", created_at=_iso(NOW - timedelta(seconds=5)), in_reply_to_id="7"),
                status_json("28", created_at=_iso(NOW - timedelta(hours=2))),
            ),
            "GET /api/v1/statuses/30/source": httpx.Response(200, json={"text": "Andere"}),
            "GET /api/v1/statuses/29/source": httpx.Response(
                200, json={"text": "Teil zwei  mit  Leerzeichen"}
            ),
        }
    )
    found = fake.connector().find_published(
        creds(),
        "k:1",
        expected=variant("Teil zwei mit Leerzeichen", reply_to_id="7"),
        sent_after=NOW - timedelta(minutes=2),
    )
    assert found is not None and found.network_post_id == "29"


def test_find_published_says_none_only_when_the_listing_reaches_past_the_send():
    fake = FakeInstance(
        {
            "GET /api/v1/accounts/14715/statuses": _listing(
                status_json("30", created_at=_iso(NOW), in_reply_to_id=None),
                status_json("28", created_at=_iso(NOW - timedelta(hours=2))),
            ),
            "GET /api/v1/statuses/30/source": httpx.Response(200, json={"text": "Andere"}),
        }
    )
    assert (
        fake.connector().find_published(
            creds(), "k", expected=variant("Gesucht"), sent_after=NOW - timedelta(minutes=2)
        )
        is None
    )


def test_find_published_cannot_tell_without_the_part_or_when_the_listing_is_too_long():
    fake = FakeInstance()
    with pytest.raises(OutcomeUnknown):
        fake.connector().find_published(creds(), "k")
    busy = [status_json(str(1000 - i), created_at=_iso(NOW)) for i in range(40)]
    fake = FakeInstance({"GET /api/v1/accounts/14715/statuses": lambda r: _listing(*busy)})
    with pytest.raises(OutcomeUnknown):
        fake.connector().find_published(
            creds(), "k", expected=variant("nicht da"), sent_after=NOW - timedelta(minutes=2)
        )


# --- inbox, answers, counters ----------------------------------------------------------------


def _author(acct: str, account_id: str = "500") -> dict:
    return {"id": account_id, "username": acct.split("@")[0], "acct": acct, "display_name": "Ana"}


def test_the_inbox_reads_mentions_replies_and_direct_messages_with_a_combined_cursor():
    mention = status_json(
        "101",
        account=_author("ana@other.example"),
        in_reply_to_id=None,
        in_reply_to_account_id=None,
        visibility="public",
        content=(
            '<p><span class="h-card"><a href="x">@<span>kaffee</span></a></span> '
            "Hallo &amp; tschüss<br>zweite Zeile</p>"
        ),
    )
    reply = status_json(
        "102",
        account=_author("ben"),
        in_reply_to_id="50",
        in_reply_to_account_id="14715",
        visibility="public",
        content="<p>Danke!</p>",
    )
    direct = status_json(
        "103",
        account=_author("cem"),
        in_reply_to_id=None,
        visibility="direct",
        content="<p>Privat</p>",
    )
    fake = FakeInstance(
        {
            "GET /api/v1/notifications": _listing(
                {"id": "9", "type": "mention", "status": reply},
                {"id": "8", "type": "mention", "status": mention},
            ),
            "GET /api/v1/conversations": _listing(
                {"id": "77", "accounts": [], "last_status": direct, "unread": True}
            ),
        }
    )
    messages, cursor = fake.connector().fetch_inbox(creds(), None)
    assert [(m.network_message_id, m.kind) for m in messages] == [
        ("101", "mention"),
        ("102", "reply"),
        ("103", "direct"),
    ]
    first = messages[0]
    assert first.text == "@kaffee Hallo & tschüss\nzweite Zeile"
    assert first.author_handle == "@ana@other.example" and first.author_name == "Ana"
    assert messages[1].in_reply_to_id == "50" and messages[1].conversation_id == "50"
    assert messages[2].conversation_id == "77"
    assert json.loads(cursor) == {"notifications": "9", "conversations": "103"}

    fake.routes["GET /api/v1/notifications"] = _listing()
    fake.routes["GET /api/v1/conversations"] = _listing()
    again, cursor_again = fake.connector().fetch_inbox(creds(), cursor)
    assert again == [] and json.loads(cursor_again) == json.loads(cursor)
    assert fake.requests[-2].url.params["min_id"] == "9"
    assert fake.requests[-1].url.params["min_id"] == "103"


def test_a_garbled_cursor_starts_afresh_instead_of_failing():
    fake = FakeInstance(
        {"GET /api/v1/notifications": _listing(), "GET /api/v1/conversations": _listing()}
    )
    messages, _cursor = fake.connector().fetch_inbox(creds(), "not json{")
    assert messages == [] and "min_id" not in fake.requests[0].url.params


def _message(kind="mention", handle="@ana@other.example") -> InboxMessage:
    return InboxMessage(
        network_message_id="101",
        conversation_id="101",
        kind=kind,
        author_handle=handle,
        author_name="Ana",
        text="Hallo",
        created_at=NOW,
    )


def test_an_answer_names_the_author_stays_in_the_thread_and_keeps_a_narrow_visibility():
    fake = FakeInstance(
        {
            "GET /api/v1/statuses/101": httpx.Response(
                200, json=status_json("101", visibility="private")
            ),
            "POST /api/v1/statuses": answer("statuses_get__ok_200.json"),
        }
    )
    fake.connector().reply(creds(), _message(), "Danke dir!")
    body = json.loads(fake.sent("POST /api/v1/statuses")[0].content)
    assert body == {
        "status": "@ana@other.example Danke dir!",
        "visibility": "private",
        "in_reply_to_id": "101",
    }
    fake.connector().reply(creds(), _message(kind="direct"), "@ana@other.example schon erwähnt")
    body = json.loads(fake.sent("POST /api/v1/statuses")[1].content)
    assert body["status"] == "@ana@other.example schon erwähnt" and body["visibility"] == "direct"


def test_answering_a_deleted_message_says_so():
    fake = FakeInstance()
    with pytest.raises(Rejected, match="no longer exists"):
        fake.connector().reply(creds(), _message(), "Hallo?")


def test_counters_of_the_account_and_of_its_recent_statuses():
    fake = FakeInstance(
        {
            "GET /api/v1/accounts/verify_credentials": answer(
                "accounts_verify_credentials__ok_200.json"
            ),
            "GET /api/v1/accounts/14715/statuses": _listing(
                status_json(
                    "31",
                    created_at=_iso(NOW),
                    favourites_count=4,
                    reblogs_count=2,
                    replies_count=1,
                    quotes_count=3,
                ),
                status_json("30", created_at=_iso(NOW), reblog={"id": "5"}),
                status_json("20", created_at="2001-01-01T00:00:00.000Z"),
            ),
        }
    )
    account, post = fake.connector().fetch_metrics(creds(), NOW.date() - timedelta(days=3))
    me = captured("accounts_verify_credentials__ok_200.json")["body"]
    assert account.network_post_id == "" and account.metrics == {
        "followers": me["followers_count"],
        "following": me["following_count"],
        "posts": me["statuses_count"],
    }
    assert post.network_post_id == "31" and post.day == datetime.now(UTC).date()
    assert post.metrics == {"likes": 4, "reposts": 2, "replies": 1, "quotes": 3}


def test_time_is_not_spent_when_the_upload_is_ready_at_once():
    fake = FakeInstance(
        {
            "POST /api/v2/media": answer("media_v2__ready_200.json"),
            "POST /api/v1/statuses": answer("statuses_get__ok_200.json"),
        }
    )
    connector = fake.connector(media_reader=lambda key: b"x")
    slept: list[float] = []
    connector._sleep = slept.append  # waiting for the upload to be processed would sleep
    connector.publish(creds(), variant("x", media=(MediaRef("a.png", "image", "image/png"),)), "k")
    assert fake.sent("GET /api/v1/media/22348641") == [] and slept == []


def test_the_connection_check_reads_the_account_and_tells_a_revoked_token():
    fake = FakeInstance(
        {
            "GET /api/v1/accounts/verify_credentials": answer(
                "accounts_verify_credentials__ok_200.json"
            )
        }
    )
    fake.connector().check_connection(creds())
    assert len(fake.sent("GET /api/v1/accounts/verify_credentials")) == 1
    revoked = FakeInstance(
        {"GET /api/v1/accounts/verify_credentials": answer("statuses_post__unauthorized_401.json")}
    )
    with pytest.raises(Reauth):
        revoked.connector().check_connection(creds())
