"""Headers that protect every answer: nothing a signed-in person sees is kept by a cache
(a shared proxy, or the browser's back button after signing out), and no page may use the
camera, the microphone, the location or other device features."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from townsquare.api.actions import do_create_api_token

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def read(response) -> None:
    if response.streaming:
        b"".join(response.streaming_content)


def test_every_page_of_a_signed_in_person_is_not_stored(alice_client, workspace_a):
    for path in (
        "/",
        f"/w/{workspace_a.slug}/",
        f"/w/{workspace_a.slug}/notifications/",
        "/accounts/2fa/",
    ):
        response = alice_client.get(path, follow=True)
        assert response.status_code == 200, path
        assert no_store(response), (path, response.get("Cache-Control"))
        assert "private" in response["Cache-Control"]


def test_the_api_answers_a_session_or_a_token_without_being_stored(
    alice, alice_client, workspace_a
):
    assert no_store(alice_client.get("/api/v1/workspaces"))
    _token, raw = do_create_api_token(alice, name="CI", workspace_slugs=[workspace_a.slug])
    answer = Client().get("/api/v1/workspaces", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 200 and no_store(answer)
    # A wrong token is answered with an error, and not stored either.
    refused = Client().get("/api/v1/workspaces", HTTP_AUTHORIZATION="Bearer tsq_wrong")
    assert refused.status_code == 401 and no_store(refused)


def test_static_files_and_public_answers_stay_cacheable(alice_client):
    static = alice_client.get("/static/townsquare/app.css")
    read(static)
    assert static.status_code == 200 and not no_store(static)
    public = Client().get("/there-is-nothing-here/")
    assert public.status_code == 404 and not no_store(public)


def test_every_answer_forbids_camera_microphone_location_and_payment(alice_client):
    anonymous = Client()
    answers = [
        anonymous.get("/accounts/login/"),
        anonymous.get("/api/v1/health"),
        anonymous.get("/there-is-nothing-here/"),
        anonymous.get("/static/townsquare/app.css"),
        anonymous.get("/"),
        alice_client.get("/", follow=True),
    ]
    with override_settings(SECURE_SSL_REDIRECT=True):
        answers.append(Client().get("/accounts/login/"))  # the redirect to https
    assert answers[-1].status_code == 301
    for response in answers:
        read(response)
        policy = response.get("Permissions-Policy", "")
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy, (response.request["PATH_INFO"], policy)
