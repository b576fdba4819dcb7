"""Inputs from a penetration test: each one a clear 4xx in the error shape, never a 500,
and nothing written. (tests/test_api_fuzz.py sends many more.)"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from townsquare.api.actions import do_create_api_token
from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = 2**63


@pytest.fixture
def api(alice, workspace_a):
    _token, raw = do_create_api_token(alice, name="pentest", workspace_slugs=[workspace_a.slug])
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def base(workspace_a):
    return f"/api/v1/workspaces/{workspace_a.slug}"


def error_of(response, status):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


def test_an_account_id_beyond_64_bits_in_a_body_is_a_422_naming_the_field(api, base):
    response = api.post(
        f"{base}/posts",
        {"text": "Hallo", "accounts": [BEYOND_64_BITS]},
        content_type="application/json",
    )

    error = error_of(response, 422)
    assert ["body", "body", "accounts", 0] in [d["loc"] for d in error["details"]]
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "query", [f"media?offset={BEYOND_64_BITS}", f"publications?post_id={BEYOND_64_BITS}"]
)
def test_a_query_number_beyond_64_bits_is_a_422(api, base, query):
    error_of(api.get(f"{base}/{query}"), 422)


def test_a_path_id_beyond_64_bits_is_a_422(api, base):
    error_of(api.get(f"{base}/posts/{BEYOND_64_BITS}"), 422)


def test_a_page_size_beyond_the_maximum_is_a_422_that_says_the_maximum(api, base):
    error = error_of(api.get(f"{base}/posts?limit=501"), 422)
    assert "500" in json.dumps(error["details"])


def test_a_body_over_the_limit_is_a_413(api, base, workspace_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@alpha@social.example"
    )

    response = api.post(
        f"{base}/posts",
        {"text": "x" * 2000, "accounts": [account.pk]},
        content_type="application/json",
    )

    error = error_of(response, 413)
    assert error["code"] == "body_too_large" and "MB" in error["message"]
    assert not Post.objects.exists()


def test_multipart_without_a_boundary_is_a_400(api, base):
    response = api.generic(
        "POST", f"{base}/media", b"--x\r\nnothing\r\n", content_type="multipart/form-data"
    )

    assert error_of(response, 400)["code"] == "unreadable_body"


def test_multipart_with_too_many_parts_is_a_400(api, base, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5

    response = api.post(f"{base}/media", {f"field{i}": "x" for i in range(10)})

    assert error_of(response, 400)["code"] == "too_many_parts"


def test_multipart_with_too_many_files_is_a_400(api, base, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = {f"file{i}": SimpleUploadedFile(f"{i}.png", b"x") for i in range(4)}

    response = api.post(f"{base}/media", files)

    assert error_of(response, 400)["code"] == "too_many_parts"


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "application/xml"]
)
def test_a_json_operation_refuses_other_media_types_with_415(api, base, content_type):
    response = api.generic(
        "PATCH", base, json.dumps({"name": "Umbenannt"}), content_type=content_type
    )

    error = error_of(response, 415)
    assert error["code"] == "unsupported_media_type"
    assert "application/json" in error["message"]


def test_json_with_a_charset_is_still_json(api, base):
    response = api.generic(
        "PATCH",
        base,
        json.dumps({"name": "Alpha Kaffee Berlin"}),
        content_type="application/json; charset=utf-8",
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Alpha Kaffee Berlin"


def test_an_upload_refuses_json_with_415(api, base):
    response = api.post(f"{base}/media", {"file": "x"}, content_type="application/json")

    assert error_of(response, 415)["code"] == "unsupported_media_type"


def test_malformed_json_is_a_400_that_says_so(api, base):
    response = api.generic("PATCH", base, "{not json", content_type="application/json")

    assert error_of(response, 400)["code"] == "invalid_json"


def test_a_method_the_address_does_not_take_is_a_405_in_the_error_shape(api, base):
    response = api.put(f"{base}/members")

    error = error_of(response, 405)
    assert error["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_an_unknown_api_address_is_a_404_in_the_error_shape(api):
    assert error_of(api.post("/api/v1/no/such/thing"), 404)["code"] == "not_found"


def test_the_ui_answers_a_form_over_the_limit_with_a_page_that_says_so(
    alice_client, workspace_a, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    url = reverse("workspace_compose", args=[workspace_a.slug])

    response = alice_client.post(url, {"text": "x" * 2000})

    assert response.status_code == 413
    page = response.content.decode()
    assert "Too much at once" in page and "Nothing was saved" in page
    assert not Post.objects.exists()


def test_the_ui_answers_a_broken_upload_with_a_page_that_says_so(alice_client, workspace_a):
    url = reverse("media_upload", args=[workspace_a.slug])

    response = alice_client.generic(
        "POST", url, b"--x\r\nnothing\r\n", content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert "The form could not be read" in response.content.decode()


@pytest.mark.parametrize("body", ["[null, null]", "42", '"name"', "null"])
def test_a_body_that_is_not_a_json_object_is_a_422_and_changes_nothing(api, base, body):
    response = api.generic("PATCH", base, body, content_type="application/json")

    assert error_of(response, 422)["details"][0]["loc"] == ["body"]


def test_a_nul_character_in_a_body_is_a_422_naming_the_field(api, base):
    from townsquare.media.models import MediaFolder

    response = api.post(
        f"{base}/media/folders", {"name": "Fotos\x00"}, content_type="application/json"
    )

    error = error_of(response, 422)
    assert error["details"][0]["loc"] == ["body", "name"]
    assert not MediaFolder.objects.exists()


def test_a_nul_character_in_a_query_is_a_422(api, base):
    error = error_of(api.get(f"{base}/media?tag=kaffee%00"), 422)
    assert error["details"][0]["loc"] == ["query", "tag"]


def test_a_nul_character_in_a_workspace_address_is_a_404(api):
    error_of(api.get("/api/v1/workspaces/alpha%00kaffee/posts"), 404)
