"""A client that stalls while its body is read (the server's read times out) gets a 400: the
page that says the form could not be read, or the API's error shape. Never a 500 with a
traceback in the log, never a view that runs on a form that did not arrive, and nothing
saved."""

from __future__ import annotations

import logging

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from townsquare import urls as site
from townsquare.api.actions import do_create_api_token
from townsquare.content.models import Post
from townsquare.media.models import MediaAsset
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=kaffee"


class StalledBody:
    """The body as gunicorn hands it over when the client stops sending: the socket's
    receive timeout makes the read fail."""

    def read(self, *args):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    readline = read


def stalled(content_type, **headers):
    return {
        "wsgi.input": StalledBody(),
        "CONTENT_LENGTH": "250000",
        "CONTENT_TYPE": content_type,
        **headers,
    }


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def assert_no_traceback(logs):
    assert not [r for r in logs.records if r.levelno >= logging.ERROR or r.exc_info]


def assert_the_400_page(response):
    assert response.status_code == 400
    html = response.content.decode()
    assert "The form could not be read" in html and "arrived incomplete" in html


def browser(user, *, csrf_checks):
    client = Client(raise_request_exception=False, enforce_csrf_checks=csrf_checks)
    client.force_login(user)
    return client


@pytest.mark.parametrize("content_type", [FORM, MULTIPART])
def test_a_stalled_form_gets_the_400_page_without_a_traceback(
    alice, workspace_a, logs, content_type
):
    client = browser(alice, csrf_checks=False)
    response = client.generic(
        "POST", f"/w/{workspace_a.slug}/compose/preview/", **stalled(content_type)
    )
    assert_the_400_page(response)
    assert_no_traceback(logs)


@pytest.mark.parametrize("with_header", [True, False])
def test_a_stalled_form_behind_the_csrf_check_is_a_400_and_saves_nothing(
    alice, workspace_a, logs, with_header
):
    """htmx sends the CSRF token as a header: the view would otherwise run on an empty
    form. Without the header the token is in the form that never arrived: not a CSRF
    failure either."""
    SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="@kaffee")
    client = browser(alice, csrf_checks=True)
    client.get(f"/w/{workspace_a.slug}/compose/")
    headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value} if with_header else {}
    response = client.generic(
        "POST", f"/w/{workspace_a.slug}/compose/", **stalled(MULTIPART, **headers)
    )
    assert_the_400_page(response)
    assert not Post.objects.exists()
    assert_no_traceback(logs)


def test_the_400_page_is_in_the_persons_language(alice, workspace_a):
    alice.language = "de"
    alice.save()
    client = browser(alice, csrf_checks=False)
    response = client.generic("POST", f"/w/{workspace_a.slug}/compose/preview/", **stalled(FORM))
    assert response.status_code == 400
    assert "Das Formular konnte nicht gelesen werden" in response.content.decode()


@csrf_exempt
def reads_its_form(request):
    return HttpResponse(request.POST.get("text", ""))


# Townsquare's own addresses and error pages, and one view that reads its form unchecked.
urlpatterns = [path("exempt/", reads_its_form), *site.urlpatterns]
handler400 = site.handler400


@pytest.mark.urls(__name__)
def test_a_view_without_the_csrf_check_that_reads_a_stalled_form_gets_a_400(alice, logs):
    response = Client(raise_request_exception=False).generic("POST", "/exempt/", **stalled(FORM))
    assert response.status_code == 400
    assert_no_traceback(logs)


# --- the API ---------------------------------------------------------------------------------
def error_of(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def assert_body_stopped(error):
    assert error["code"] == "unreadable_body"
    assert "stopped arriving" in error["message"] and "boundary" not in error["message"]


@pytest.fixture
def token_client(alice, workspace_a):
    _token, raw = do_create_api_token(alice, name="sync", workspace_slugs=[workspace_a.slug])
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_stalled_json_body_is_a_400_in_the_apis_error_shape(token_client, workspace_a, logs):
    response = token_client.generic(
        "PATCH", f"/api/v1/workspaces/{workspace_a.slug}", **stalled("application/json")
    )
    assert_body_stopped(error_of(response))
    workspace_a.refresh_from_db()
    assert workspace_a.name == "Alpha Kaffee"
    assert_no_traceback(logs)


def test_a_stalled_upload_is_a_400_and_stores_nothing(token_client, workspace_a, logs):
    response = token_client.generic(
        "POST", f"/api/v1/workspaces/{workspace_a.slug}/media", **stalled(MULTIPART)
    )
    assert_body_stopped(error_of(response))
    assert not MediaAsset.objects.exists()
    assert_no_traceback(logs)


def test_a_stalled_upload_in_a_browser_session_is_a_400_not_a_missing_file(
    alice, workspace_a, logs
):
    client = browser(alice, csrf_checks=True)
    client.get(f"/w/{workspace_a.slug}/compose/")
    response = client.generic(
        "POST",
        f"/api/v1/workspaces/{workspace_a.slug}/media",
        **stalled(MULTIPART, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value),
    )
    assert_body_stopped(error_of(response))
    assert not MediaAsset.objects.exists()
    assert_no_traceback(logs)
