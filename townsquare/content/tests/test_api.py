import json

import pytest

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

TEXT = (
    "Trail of the week: the Kinder Scout plateau from Edale. 14 km, 600 m of climbing, and the "
    "best views in the Peak District once the cloud lifts. Pack a map, the paths are faint "
    "near the Downfall, and the wind on the edge path can be fierce even in August. Bring a "
    "warm layer. Full route and parking tips: https://northwind.example/kinder 🥾⛰️"
)


@pytest.fixture
def accounts(workspace_a):
    return [
        SocialAccount.objects.create(workspace=workspace_a, network=n, handle=f"@{n}")
        for n in ("x", "bluesky", "mastodon")
    ]


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_post_is_created_with_a_valid_variant_per_account(alice_client, workspace_a, accounts):
    body = {"text": TEXT, "language": "en", "accounts": [a.pk for a in accounts]}
    response = post_json(alice_client, f"/api/v1/workspaces/{workspace_a.slug}/posts", body)
    assert response.status_code == 201, response.content
    variants = {v["account"]["network"]: v for v in response.json()["variants"]}
    assert len(variants["x"]["parts"]) == 2 and len(variants["bluesky"]["parts"]) == 2
    assert variants["mastodon"]["parts"] == [variants["mastodon"]["text"]]
    assert all(
        not [p for p in v["problems"] if p["severity"] == "error"] for v in variants.values()
    )
    assert variants["x"]["changes"][0]["message_de"]


def test_preview_returns_variants_without_saving(alice_client, workspace_a, accounts):
    body = {"text": TEXT, "language": "en", "accounts": [accounts[0].pk]}
    response = post_json(alice_client, f"/api/v1/workspaces/{workspace_a.slug}/preview", body)
    assert response.status_code == 200 and response.json()[0]["account"]["network"] == "x"
    assert not Post.objects.exists()


def test_a_variant_is_edited_through_the_api_and_the_problem_has_a_span(
    alice_client, workspace_a, accounts
):
    created = post_json(
        alice_client,
        f"/api/v1/workspaces/{workspace_a.slug}/posts",
        {"text": "Hi", "accounts": [accounts[0].pk]},
    ).json()
    variant_id = created["variants"][0]["id"]
    response = alice_client.put(
        f"/api/v1/workspaces/{workspace_a.slug}/variants/{variant_id}",
        json.dumps({"text": "y" * 281}),
        content_type="application/json",
    )
    body = response.json()
    assert body["edited_by_hand"] is True
    error = next(p for p in body["problems"] if p["severity"] == "error")
    assert error["span"] == [280, 281]


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"text": "\ud800", "accounts": [1]}, 422, "validation_error"),
        ({"text": "Hallo", "accounts": []}, 422, "validation_error"),
        ({"text": "Hallo", "accounts": [999999]}, 400, "unknown_account"),
        ({"text": "x" * 100_001, "accounts": [1]}, 422, "validation_error"),
        ({"text": "Hallo", "language": "fr", "accounts": [1]}, 422, "validation_error"),
    ],
)
def test_bad_bodies_get_clear_errors_and_nothing_is_saved(
    alice_client, workspace_a, accounts, payload, status, code
):
    payload = {
        **payload,
        "accounts": [accounts[0].pk] if payload["accounts"] == [1] else payload["accounts"],
    }
    raw = json.dumps(payload)
    response = alice_client.post(
        f"/api/v1/workspaces/{workspace_a.slug}/posts", raw, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert not Post.objects.exists()


def test_invalid_utf8_in_the_body_is_refused(alice_client, workspace_a, accounts):
    response = alice_client.post(
        f"/api/v1/workspaces/{workspace_a.slug}/posts",
        b'{"text": "\xff\xfe", "accounts": [1]}',
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert "error" in response.json()
    assert not Post.objects.exists()


def test_validate_checks_one_text_against_a_network(alice_client):
    body = {"network": "bluesky", "text": "🏳️‍🌈" * 301}
    result = post_json(alice_client, "/api/v1/validate", body).json()
    assert result["valid"] is False and result["lengths"] == [301] and result["max_length"] == 300
    ok = post_json(
        alice_client,
        "/api/v1/validate",
        {"network": "mastodon", "text": "a" * 600, "account_limits": {"text_max": 1000}},
    )
    assert ok.json()["valid"] is True


def test_validate_refuses_unknown_networks_and_bad_account_limits(alice_client):
    assert (
        post_json(alice_client, "/api/v1/validate", {"network": "myspace", "text": "x"}).json()[
            "error"
        ]["code"]
        == "unknown_network"
    )
    bad = post_json(
        alice_client,
        "/api/v1/validate",
        {"network": "mastodon", "text": "x", "account_limits": {"text_max": "lots"}},
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_account_limits"
