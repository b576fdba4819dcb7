"""The test network over loopback: posts, idempotency, every fault, stats, reset, persistence."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from townsquare.networks.testnet.faults import Faults, RateLimit
from townsquare.networks.testnet.server import TEXT_LIMIT, TestNetwork
from townsquare.networks.testnet.tests.support import AUTH, post
from townsquare.testing.waiting import GENEROUS_S, wait_until


def test_a_post_is_created_read_back_looked_up_by_key_and_deleted(network, http):
    created = post(http, "k1", "Hello world")
    assert created.status_code == 201
    body = created.json()
    assert body["id"].startswith("tn")
    assert body["url"] == f"{network.url}/posts/{body['id']}"
    assert body["created_at"].endswith("Z")
    assert http.get(f"/posts/{body['id']}").json()["text"] == "Hello world"
    assert http.get("/posts", params={"idempotency_key": "k1"}).json()["id"] == body["id"]

    assert http.delete(f"/posts/{body['id']}").status_code == 204
    assert http.get(f"/posts/{body['id']}").status_code == 404
    assert http.get("/posts", params={"idempotency_key": "k1"}).status_code == 404
    assert http.delete(f"/posts/{body['id']}").status_code == 404
    assert network.stats()["posts"][0]["deleted"] is True


def test_an_unknown_key_or_id_is_not_found(http):
    assert http.get("/posts", params={"idempotency_key": "nope"}).status_code == 404
    assert http.get("/posts").status_code == 404
    assert http.get("/posts/tn999").status_code == 404
    assert http.get("/posts/abc").status_code == 404
    assert http.get("/elsewhere").status_code == 404


def test_the_same_key_twice_returns_the_first_post_and_records_both_requests(network, http):
    first = post(http, "same")
    second = post(http, "same", "A different text")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    stats = network.stats()
    assert len(stats["posts"]) == 1
    assert stats["requests_by_key"] == {"same": 2}
    assert stats["duplicates"] == [
        {"idempotency_key": "same", "accepted": 2, "post_ids": [first.json()["id"]]}
    ]


def test_without_dedupe_the_same_key_twice_makes_two_posts(network, http):
    network.set_faults(dedupe=False)
    first, second = post(http, "same"), post(http, "same")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    (duplicate,) = network.stats()["duplicates"]
    assert duplicate["post_ids"] == [first.json()["id"], second.json()["id"]]
    # The lookup finds the first of them, as reconciliation expects.
    assert http.get("/posts", params={"idempotency_key": "same"}).json()["id"] == first.json()["id"]


def test_dedupe_can_be_switched_off_for_the_whole_server():
    with TestNetwork(dedupe=False) as net, httpx.Client(base_url=net.url, headers=AUTH) as http:
        post(http, "k")
        http.post("/_faults", json={"latency_ms": 0})  # other faults keep the server's setting
        post(http, "k")
        assert len(net.stats()["posts"]) == 2


def test_distinct_keys_are_not_duplicates(network, http):
    for key in ("a", "b", "c"):
        assert post(http, key).status_code == 201
    stats = network.stats()
    assert stats["duplicates"] == []
    assert stats["requests_by_key"] == {"a": 1, "b": 1, "c": 1}


def test_a_reply_names_an_existing_post(http):
    parent = post(http, "p").json()["id"]
    reply = post(http, "r", reply_to=parent)
    assert reply.status_code == 201
    assert reply.json()["reply_to"] == parent
    missing = post(http, "m", reply_to="tn424242")
    assert missing.status_code == 422
    assert "does not exist" in missing.json()["error"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"text": "x", "account": "a"}', 400),
        (b'{"text": "x", "idempotency_key": "", "account": "a"}', 400),
        (b'{"text": 5, "idempotency_key": "k", "account": "a"}', 400),
        (b'{"text": "x", "idempotency_key": "k", "account": "a", "reply_to": 3}', 400),
        (b'{"text": "   ", "idempotency_key": "k", "account": "a"}', 422),
    ],
)
def test_malformed_publish_requests_are_refused(network, http, body, status):
    response = http.post("/posts", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert response.json()["error"]
    assert network.stats()["posts"] == []


def test_a_text_over_the_limit_is_refused(http):
    assert post(http, "ok", "x" * TEXT_LIMIT).status_code == 201
    refused = post(http, "long", "x" * (TEXT_LIMIT + 1))
    assert refused.status_code == 422
    assert str(TEXT_LIMIT) in refused.json()["error"]


def test_a_body_too_large_is_refused_unread(http):
    response = http.post("/posts", content=b"x" * (300 * 1024))
    assert response.status_code == 413


def test_the_posts_routes_need_a_bearer_token(network):
    with httpx.Client(base_url=network.url) as anonymous:
        assert post(anonymous, "k").status_code == 401
        assert anonymous.get("/posts/tn1").status_code == 401
        assert anonymous.post("/posts", headers={"Authorization": "Bearer"}).status_code == 401
        assert anonymous.post("/posts", headers={"Authorization": "Basic abc"}).status_code == 401
        assert anonymous.get("/_health").json() == {"ok": True}


# --- faults ------------------------------------------------------------------------------------


def test_latency_delays_every_posts_route(network, http):
    network.set_faults(latency_ms=150)
    for call in (lambda: post(http, "k"), lambda: http.get("/posts/tn1")):
        started = time.monotonic()
        call()
        assert time.monotonic() - started >= 0.15


def test_a_5xx_refuses_and_stores_nothing(network, http):
    network.set_faults(error_rate_5xx=1.0)
    refused = post(http, "k")
    assert refused.status_code == 503
    stats = network.stats()
    assert stats["posts"] == []
    assert stats["requests_by_key"] == {}
    assert stats["attempts_by_key"] == {"k": 1}
    assert stats["outcomes"] == {"server_error": 1}


def test_the_status_of_server_errors_can_be_chosen(network, http):
    network.set_faults(error_rate_5xx=1.0, error_status=504)
    assert post(http, "k").status_code == 504


def _statuses(net: TestNetwork, keys: list[str], seed: int) -> dict[str, int]:
    net.set_faults(error_rate_5xx=0.5, seed=seed)
    with httpx.Client(base_url=net.url, headers=AUTH) as http:
        return {key: post(http, key).status_code for key in keys}


def test_random_faults_depend_on_the_seed_and_key_not_on_arrival_order():
    keys = [f"key-{n}" for n in range(40)]
    with TestNetwork() as one, TestNetwork() as two, TestNetwork() as three:
        forward = _statuses(one, keys, seed=7)
        backward = _statuses(two, list(reversed(keys)), seed=7)
        other_seed = _statuses(three, keys, seed=8)
    assert forward == backward
    assert set(forward.values()) == {201, 503}
    assert forward != other_seed


def test_a_retry_of_a_key_meets_a_fresh_draw(network, http):
    # With half the requests failing, some attempt of each key gets through; the attempts
    # after it meet faults too, and the successful ones replay the same post.
    network.set_faults(error_rate_5xx=0.5, seed=3)
    for key in ("a", "b", "c", "d"):
        statuses = [post(http, key).status_code for _ in range(12)]
        assert statuses.count(201) == 1
        first = statuses.index(201)
        assert set(statuses[first + 1 :]) <= {200, 503}
        assert set(statuses[:first]) <= {503}
    assert len(network.stats()["posts"]) == 4


def test_every_nth_request_is_rate_limited_with_reset_headers(network, http):
    network.set_faults(rate_limit=RateLimit(every_n=3, reset_after_s=2))
    before = time.time()
    statuses = [post(http, f"k{n}") for n in range(6)]
    assert [r.status_code for r in statuses] == [201, 201, 429, 201, 201, 429]
    limited = statuses[2]
    assert limited.headers["Retry-After"] == "2"
    reset = int(limited.headers["X-RateLimit-Reset"])
    assert before + 2 <= reset <= time.time() + 3
    assert network.stats()["outcomes"] == {"created": 4, "rate_limited": 2}


def test_a_burst_limit_holds_per_account_until_its_window_ends(network, http):
    network.set_faults(rate_limit={"burst": 2, "per_seconds": 0.4})
    assert [post(http, f"k{n}").status_code for n in range(3)] == [201, 201, 429]
    limited = post(http, "k3")
    wait = float(limited.headers["Retry-After"])
    assert 0 <= wait <= 0.4
    assert limited.headers["X-RateLimit-Limit"] == "2"
    assert post(http, "other", account="beta").status_code == 201  # another account's window
    time.sleep(wait + 0.05)
    assert post(http, "k4").status_code == 201


def test_a_rate_limit_may_carry_only_the_reset_time(network, http):
    network.set_faults(
        rate_limit={"every_n": 1, "reset_after_s": 1, "headers": ["x-ratelimit-reset"]}
    )
    limited = post(http, "k")
    assert limited.status_code == 429
    assert "Retry-After" not in limited.headers
    assert "X-RateLimit-Reset" in limited.headers


def test_accept_then_timeout_stores_the_post_and_answers_too_late(network, http):
    network.set_faults(accept_then_timeout_rate=1.0, accept_then_timeout_s=600)
    with pytest.raises(httpx.ReadTimeout):
        http.post(
            "/posts",
            json={"text": "Hi", "idempotency_key": "late", "account": "alpha"},
            timeout=httpx.Timeout(0.3, connect=GENEROUS_S),
        )
    # On a busy machine the client may give up before the network has even stored the post.
    wait_until(lambda: network.stats()["posts"], what="the network to store the post")
    found = http.get("/posts", params={"idempotency_key": "late"})
    assert found.status_code == 200
    stats = network.stats()
    assert stats["late_answers"] == ["late"]
    assert stats["requests_by_key"] == {"late": 1}


def test_a_patient_client_gets_the_late_answer(network, http):
    network.set_faults(accept_then_timeout_rate=1.0, accept_then_timeout_s=0.3)
    started = time.monotonic()
    assert post(http, "late").status_code == 201
    assert time.monotonic() - started >= 0.3


def test_texts_with_forbidden_words_are_rejected(network, http):
    network.set_faults(reject_texts_containing=["casino"])
    refused = post(http, "k", "Visit our CASINO tonight")
    assert refused.status_code == 422
    assert "casino" in refused.json()["error"]
    assert post(http, "k2", "Visit our café").status_code == 201


def test_accounts_marked_for_reauth_are_refused_with_401(network, http):
    network.set_faults(reauth_for_accounts=["alpha"])
    assert post(http, "k").status_code == 401
    assert post(http, "k2", account="beta").status_code == 201


def test_faults_are_set_and_read_over_http(http):
    set_ = http.post("/_faults", json={"latency_ms": 5, "rate_limit": {"every_n": 4}})
    assert set_.status_code == 200
    assert http.get("/_faults").json()["rate_limit"]["every_n"] == 4
    # A new setting replaces the old ones.
    http.post("/_faults", json={"error_rate_5xx": 0.1})
    current = http.get("/_faults").json()
    assert current["rate_limit"] is None
    assert current["latency_ms"] == 0


@pytest.mark.parametrize(
    "faults",
    [
        {"latency": 5},
        {"error_rate_5xx": 2},
        {"error_rate_5xx": True},
        {"error_status": 404},
        {"rate_limit": {"every": 3}},
        {"rate_limit": {"headers": ["x-powered-by"]}},
        {"reject_texts_containing": "casino"},
        {"accept_then_timeout_s": 10_000},
        {"dedupe": "no"},
        [1],
    ],
)
def test_unknown_or_malformed_faults_are_refused(http, faults):
    response = http.post("/_faults", json=faults)
    assert response.status_code == 400
    assert response.json()["error"]


def test_set_faults_accepts_a_faults_object(network):
    faults = Faults(latency_ms=1, rate_limit=RateLimit(burst=3))
    assert network.set_faults(faults) is faults
    assert network.faults.rate_limit == RateLimit(burst=3)


def test_reset_forgets_posts_counters_and_faults(network, http):
    network.set_faults(latency_ms=10)
    post(http, "k")
    assert http.post("/_reset").json() == {"ok": True}
    stats = http.get("/_stats").json()
    assert stats["posts"] == [] and stats["requests_by_key"] == {}
    assert http.get("/_faults").json()["latency_ms"] == 0
    assert post(http, "k").json()["id"] != "tn1"  # ids are never reused


# --- lifecycle ---------------------------------------------------------------------------------


def test_the_server_listens_on_loopback_only(network):
    assert network.url.startswith("http://127.0.0.1:")
    assert network._server is not None
    assert network._server.server_address[0] == "127.0.0.1"


def test_stop_cuts_short_an_answer_that_is_being_held(network):
    # Held for 600 s, and a client that would wait for it: every wait below is far shorter.
    network.set_faults(accept_then_timeout_rate=1.0, accept_then_timeout_s=600)
    patient = httpx.Client(base_url=network.url, headers=AUTH, timeout=600, trust_env=False)
    outcome: list[object] = []
    thread = threading.Thread(
        target=lambda: outcome.append(_try(lambda: post(patient, "held"))), daemon=True
    )
    thread.start()
    wait_until(lambda: network.stats()["late_answers"], what="the answer to be held")
    stopping = threading.Thread(target=network.stop, daemon=True)
    stopping.start()
    stopping.join(timeout=GENEROUS_S)
    assert not stopping.is_alive(), "stop waited for the held answer"
    thread.join(timeout=GENEROUS_S)
    assert not thread.is_alive()
    patient.close()


def _try(call):
    try:
        return call()
    except httpx.HTTPError as exc:
        return exc


def test_a_state_file_keeps_posts_across_restarts(tmp_path):
    state = tmp_path / "net.sqlite3"
    with TestNetwork(state_path=state) as net, httpx.Client(base_url=net.url, headers=AUTH) as c:
        first = post(c, "kept").json()["id"]
    with TestNetwork(state_path=state) as net, httpx.Client(base_url=net.url, headers=AUTH) as c:
        found = c.get("/posts", params={"idempotency_key": "kept"}).json()
        assert found["id"] == first
        assert found["url"].startswith(net.url)
        assert post(c, "new").json()["id"] != first
        assert net.stats()["requests_by_key"] == {"kept": 1, "new": 1}


def test_a_network_cannot_be_started_twice(network):
    with pytest.raises(RuntimeError):
        network.start()
