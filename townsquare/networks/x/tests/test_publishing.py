"""Publishing to X through the fake of X: captured answers (each fixture names its source),
every request checked against X's OpenAPI description (fake_x.py)."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import httpx
import pytest

from townsquare.networks.base import (
    ConnectionCheck,
    OutcomeUnknown,
    Publisher,
    Reauth,
    Rejected,
    RetryLater,
    UnreadableAnswer,
    VariantToPublish,
)
from townsquare.networks.x.tests.fake_x import NOW, FakeX, answer, captured, creds


def variant(*parts: str, reply_to: str = "", **changes) -> VariantToPublish:
    return VariantToPublish(
        variant_id=1, account_id=1, network="x", parts=parts, reply_to_id=reply_to, **changes
    )


class Renewals:
    """Stands in for renewing and storing tokens; counts how often it was asked."""

    def __init__(self, *errors: Exception) -> None:
        self.count = 0
        self.errors = list(errors)

    def __call__(self, old):
        self.count += 1
        if self.errors:
            raise self.errors.pop(0)
        return dataclasses.replace(
            old, access_token=f"at-{self.count + 1}", expires_at=NOW + timedelta(hours=2)
        )


@pytest.fixture
def x():
    fake = FakeX({"POST /2/tweets": answer("tweets_create__ok_201.json")})
    yield fake
    assert fake.invalid == [], "requests X's OpenAPI description would refuse"


def test_the_connector_is_a_publisher_that_can_thread_and_find_posts(x):
    connector = x.connector()
    assert isinstance(connector, Publisher) and isinstance(connector, ConnectionCheck)
    caps = connector.capabilities
    assert caps.threads and caps.find_published and caps.inbox and caps.metrics


def test_a_text_post_is_published_with_the_bearer_token_and_its_address(x):
    result = x.connector().publish(creds(), variant("Hello from the X API!"), "key-1")
    request = x.sent("POST /2/tweets")[0]
    assert request.headers["Authorization"] == "Bearer at-1"
    assert json.loads(request.content) == {"text": "Hello from the X API!"}
    expected_id = captured("tweets_create__ok_201.json")["body"]["data"]["id"]
    assert result.network_post_id == expected_id and result.part_ids == (expected_id,)
    assert result.url == f"https://x.com/kaffeehaus/status/{expected_id}"


def test_a_thread_goes_out_as_a_reply_chain(x):
    first = captured("tweets_create__ok_201.json")["body"]["data"]["id"]
    second = captured("tweets_create__reply_ok_201.json")["body"]["data"]["id"]
    x.routes["POST /2/tweets"] = [
        answer("tweets_create__ok_201.json"),
        answer("tweets_create__reply_ok_201.json"),
    ]
    result = x.connector().publish(creds(), variant("Eins", "Zwei"), "key-1")
    bodies = [json.loads(r.content) for r in x.sent("POST /2/tweets")]
    assert bodies == [{"text": "Eins"}, {"text": "Zwei", "reply": {"in_reply_to_tweet_id": first}}]
    assert result.part_ids == (first, second) and result.network_post_id == first


def test_a_part_published_on_its_own_answers_the_previous_part(x):
    x.connector().publish(creds(), variant("Zwei", reply_to="1445880548472328192"), "key-1:1")
    body = json.loads(x.sent("POST /2/tweets")[0].content)
    assert body["reply"] == {"in_reply_to_tweet_id": "1445880548472328192"}


# --- errors -----------------------------------------------------------------------------------


def test_duplicate_content_is_rejected_for_good(x):
    x.routes["POST /2/tweets"] = answer("tweets_create__duplicate_403.json")
    with pytest.raises(Rejected) as refused:
        x.connector().publish(creds(), variant("Noch einmal"), "key-1")
    assert refused.value.code == "duplicate" and "duplicate content" in refused.value.detail


def test_an_app_without_access_is_rejected_with_x_s_reason_not_a_reconnect(x):
    x.routes["POST /2/tweets"] = answer("tweets_create__client_forbidden_403.json")
    with pytest.raises(Rejected) as refused:
        x.connector().publish(creds(), variant("Hallo"), "key-1")
    assert not isinstance(refused.value, Reauth) and "Project" in refused.value.message


def test_another_403_means_the_account_lacks_a_permission_and_must_connect_again(x):
    x.routes["POST /2/tweets"] = answer(
        "tweets_create__client_forbidden_403.json",
        body={"title": "Forbidden", "type": "about:blank", "status": 403, "detail": "Forbidden"},
    )
    with pytest.raises(Reauth):
        x.connector().publish(creds(), variant("Hallo"), "key-1")


def test_an_invalid_request_is_rejected_with_x_s_words(x):
    x.routes["POST /2/tweets"] = answer("tweets_create__invalid_400.json")
    with pytest.raises(Rejected) as refused:
        x.connector().publish(creds(), variant("Hallo"), "key-1")
    assert refused.value.message == "One or more parameters to your request was invalid."


def test_errors_without_a_post_in_a_success_are_rejected(x):
    x.routes["POST /2/tweets"] = answer("tweets_create__partial_errors_200.json")
    with pytest.raises(Rejected, match="'text' parameter is required"):
        x.connector().publish(creds(), variant("Hallo"), "key-1")


def test_a_rate_limit_waits_until_x_s_reset_time(x):
    x.routes["POST /2/tweets"] = answer("tweets_create__rate_limited_429.json")
    with pytest.raises(RetryLater) as later:
        x.connector().publish(creds(), variant("Hallo"), "key-1")
    reset = int(captured("tweets_create__rate_limited_429.json")["headers"]["x-rate-limit-reset"])
    assert later.value.after == pytest.approx(reset - NOW.timestamp())


def test_a_server_error_is_tried_again_later(x):
    x.routes["POST /2/tweets"] = answer("tweets_create__server_error_503.json")
    with pytest.raises(RetryLater) as later:
        x.connector().publish(creds(), variant("Hallo"), "key-1")
    assert not isinstance(later.value, OutcomeUnknown)


def test_a_timeout_after_sending_is_an_unknown_outcome(x):
    def hang(request):
        raise httpx.ReadTimeout("no answer", request=request)

    x.routes["POST /2/tweets"] = hang
    with pytest.raises(OutcomeUnknown):
        x.connector().publish(creds(), variant("Hallo"), "key-1")


def test_a_timeout_before_connecting_is_tried_again_later(x):
    def refused(request):
        raise httpx.ConnectTimeout("no route", request=request)

    x.routes["POST /2/tweets"] = refused
    with pytest.raises(RetryLater):
        x.connector().publish(creds(), variant("Hallo"), "key-1")


@pytest.mark.parametrize(
    "content", [b"<html><body>Over capacity</body></html>", b'{"data": {"id": "14458', b""]
)
def test_an_html_page_or_truncated_json_after_posting_is_an_unknown_outcome(x, content):
    x.routes["POST /2/tweets"] = answer("tweets_create__ok_201.json", body=content)
    with pytest.raises(OutcomeUnknown):
        x.connector().publish(creds(), variant("Hallo"), "key-1")


def test_a_success_naming_no_post_is_an_unknown_outcome(x):
    x.routes["POST /2/tweets"] = answer("tweets_create__ok_201.json", body={"data": {"id": 5}})
    with pytest.raises(OutcomeUnknown):
        x.connector().publish(creds(), variant("Hallo"), "key-1")


def test_an_html_page_on_a_read_is_an_unreadable_answer(x):
    x.routes["GET /2/users/me"] = answer("users_me__ok_200.json", body=b"<html>")
    with pytest.raises(UnreadableAnswer):
        x.connector().check_connection(creds())


# --- the token ----------------------------------------------------------------------------------


def test_a_401_renews_the_token_once_and_sends_again(x):
    x.routes["POST /2/tweets"] = [
        answer("tweets_create__unauthorized_401.json"),
        answer("tweets_create__ok_201.json"),
    ]
    renewals = Renewals()
    result = x.connector(renew=renewals).publish(creds(), variant("Hallo"), "key-1")
    tokens = [r.headers["Authorization"] for r in x.sent("POST /2/tweets")]
    assert tokens == ["Bearer at-1", "Bearer at-2"] and renewals.count == 1
    assert result.network_post_id


def test_a_second_401_after_renewing_means_connect_again(x):
    x.routes["POST /2/tweets"] = answer("tweets_create__unauthorized_401.json")
    renewals = Renewals()
    with pytest.raises(Reauth):
        x.connector(renew=renewals).publish(creds(), variant("Hallo"), "key-1")
    assert len(x.sent("POST /2/tweets")) == 2 and renewals.count == 1


def test_a_token_about_to_expire_is_renewed_before_posting(x):
    renewals = Renewals()
    soon = creds(expires_at=NOW + timedelta(minutes=2))
    x.connector(renew=renewals).publish(soon, variant("Hallo"), "key-1")
    assert renewals.count == 1
    assert x.sent("POST /2/tweets")[0].headers["Authorization"] == "Bearer at-2"


def test_a_renewal_that_fails_for_a_while_is_retry_later_and_posts_nothing(x):
    renewals = Renewals(RetryLater("X's sign-in service is busy", after=60))
    soon = creds(expires_at=NOW)
    with pytest.raises(RetryLater) as later:
        x.connector(renew=renewals).publish(soon, variant("Hallo"), "key-1")
    assert not isinstance(later.value, Reauth) and x.requests == []


# --- finding a post again -----------------------------------------------------------------------


def test_a_post_whose_answer_was_lost_is_found_in_the_account_s_timeline(x):
    x.routes["GET /2/users/2244994945/tweets"] = answer("users_tweets__ok_200.json")
    sent = variant("Kaffee & Kuchen ab 15 Uhr: https://example.com/kuchen")
    found = x.connector().find_published(
        creds(), "key-1", expected=sent, sent_after=NOW - timedelta(minutes=4)
    )
    assert found is not None and found.network_post_id == "1445880548472328192"
    params = x.sent("GET /2/users/2244994945/tweets")[0].url.params
    assert params["start_time"] == "2026-12-07T11:59:00Z" and params["max_results"] == "100"


def test_a_post_not_in_the_whole_timeline_since_sending_is_certainly_missing(x):
    x.routes["GET /2/users/2244994945/tweets"] = answer("users_tweets__ok_200.json")
    found = x.connector().find_published(
        creds(), "key-1", expected=variant("Etwas anderes"), sent_after=NOW - timedelta(minutes=4)
    )
    assert found is None


def test_a_reply_matches_only_under_the_post_it_answers(x):
    page = captured("users_tweets__ok_200.json")["body"]
    page["data"][1]["referenced_tweets"] = [{"type": "replied_to", "id": "1"}]
    x.routes["GET /2/users/2244994945/tweets"] = answer("users_tweets__ok_200.json", body=page)
    text = "Kaffee & Kuchen ab 15 Uhr: https://example.com/kuchen"
    connector = x.connector()
    sent_after = NOW - timedelta(minutes=4)
    assert (
        connector.find_published(creds(), "k", expected=variant(text), sent_after=sent_after)
        is None
    )
    x.routes["GET /2/users/2244994945/tweets"] = answer("users_tweets__ok_200.json", body=page)
    found = connector.find_published(
        creds(), "k", expected=variant(text, reply_to="1"), sent_after=sent_after
    )
    assert found is not None


def test_too_soon_after_sending_nothing_is_concluded(x):
    with pytest.raises(RetryLater):
        x.connector().find_published(
            creds(), "k", expected=variant("Hallo"), sent_after=NOW - timedelta(seconds=5)
        )
    assert x.requests == []


def test_more_pages_than_it_reads_leave_the_outcome_unknown(x):
    page = captured("users_tweets__ok_200.json")["body"]
    page["meta"]["next_token"] = "7140dibdnow9c7btw3z2vwioavpvutgzrzm9icis4ndix"
    x.routes["GET /2/users/2244994945/tweets"] = lambda r: answer(
        "users_tweets__ok_200.json", body=page
    )
    with pytest.raises(OutcomeUnknown):
        x.connector().find_published(
            creds(), "k", expected=variant("Nie"), sent_after=NOW - timedelta(minutes=4)
        )
    tokens = [r.url.params.get("pagination_token") for r in x.requests]
    assert tokens[0] is None and tokens[1] == page["meta"]["next_token"]


def test_without_the_text_or_the_account_s_id_a_person_has_to_look(x):
    with pytest.raises(OutcomeUnknown):
        x.connector().find_published(creds(), "k")
    with pytest.raises(OutcomeUnknown):
        x.connector().find_published(
            creds(extra={}), "k", expected=variant("Hallo"), sent_after=NOW - timedelta(hours=1)
        )


# --- deleting and checking --------------------------------------------------------------------


def test_deleting_a_post_and_one_already_gone_both_succeed(x):
    x.routes["DELETE /2/tweets/1445880548472328192"] = [
        answer("tweets_delete__ok_200.json"),
        httpx.Response(404, json={"title": "Not Found Error", "type": "about:blank"}),
    ]
    connector = x.connector()
    connector.delete(creds(), "1445880548472328192")
    connector.delete(creds(), "1445880548472328192")
    with pytest.raises(Rejected):
        connector.delete(creds(), "../2/users")


def test_the_connection_check_reads_the_account_and_a_refused_token_is_reauth(x):
    x.routes["GET /2/users/me"] = [
        answer("users_me__ok_200.json"),
        answer("tweets_create__unauthorized_401.json"),
        answer("tweets_create__unauthorized_401.json"),
    ]
    connector = x.connector(renew=Renewals())
    connector.check_connection(creds())
    with pytest.raises(Reauth):
        connector.check_connection(creds())


def test_x_is_registered_with_a_connect_page_and_waits_for_a_login():
    from townsquare.networks.account_health import CONNECT_URL_NAMES
    from townsquare.networks.registry import (
        account_publishes_automatically,
        publishes_automatically,
    )

    assert publishes_automatically("x") and CONNECT_URL_NAMES["x"] == "workspace_connect_x"
    assert not account_publishes_automatically("x", connected=False)
    assert account_publishes_automatically("x", connected=True)


def test_an_account_never_connected_is_refused_before_anything_is_sent(x):
    connector = x.connector(renew=Renewals())
    variant = VariantToPublish(variant_id=1, account_id=1, network="x", parts=("Hallo",))
    with pytest.raises(Reauth):
        connector.publish(creds(access_token="", refresh_token="", expires_at=None), variant, "k")
    assert x.requests == []
