"""Pages for what went wrong, also while trying Townsquare with `make run` (DEBUG on): a
missing page is the friendly page in the shell with a way back, never Django's debug page;
a fault of ours has a page that needs nothing that could have failed; and Townsquare has an
icon of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import townsquare

pytestmark = pytest.mark.django_db

FAVICON = Path(townsquare.__file__).resolve().parent / "static" / "townsquare" / "favicon.svg"


@pytest.mark.parametrize("debug", [True, False])
def test_a_missing_page_is_the_friendly_page_in_the_shell_also_with_debug_on(
    alice_client, settings, debug
):
    settings.DEBUG = debug
    response = alice_client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Using the URLconf" not in html and "technical_404" not in html
    assert "Not found" in html
    assert 'class="topbar"' in html, "in the shell, signed in"
    assert f'href="{reverse("home")}"' in html and "Back to the start" in html


def test_a_missing_page_inside_ones_workspace_leads_back_to_that_workspace(
    alice_client, settings, workspace_a
):
    settings.DEBUG = True
    response = alice_client.get(f"/w/{workspace_a.slug}/posts/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'href="{reverse("workspace_dashboard", args=[workspace_a.slug])}"' in html
    assert "Back to Alpha Kaffee" in html


def test_a_missing_page_in_someone_elses_workspace_names_nothing_of_it(
    client, carol, settings, workspace_a
):
    settings.DEBUG = True
    client.force_login(carol)
    html = client.get(f"/w/{workspace_a.slug}/settings/").content.decode()
    assert "Alpha Kaffee" not in html and "Back to the start" in html


def test_the_not_found_page_speaks_german(client, alice, settings):
    settings.DEBUG = True
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    html = client.get("/gibt-es-nicht/").content.decode()
    assert "Nicht gefunden" in html and "Zurück zur Startseite" in html


def test_the_api_keeps_its_json_answer_for_a_missing_route(alice_client, settings):
    settings.DEBUG = True
    response = alice_client.get("/api/v1/no-such-route")
    assert response.status_code == 404
    assert "text/html" not in response["Content-Type"]


def test_a_fault_of_ours_has_a_page_that_needs_no_request_context(rf):
    from townsquare.ui.views.errors import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and 'href="/"' in html


def test_a_crashing_view_shows_that_page(alice, workspace_a, settings, monkeypatch):
    settings.DEBUG = False
    from townsquare.ui.views import shell

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(shell, "render", crash)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get(reverse("workspace_dashboard", args=[workspace_a.slug]))
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()


def test_townsquare_has_an_icon_of_its_own(alice_client, workspace_a):
    html = alice_client.get(reverse("workspace_dashboard", args=[workspace_a.slug])).content
    assert b'rel="icon"' in html and b"favicon.svg" in html
    assert FAVICON.read_text(encoding="utf-8").startswith("<svg")
    redirect = alice_client.get("/favicon.ico")
    assert redirect.status_code in (301, 302) and redirect["Location"].endswith("favicon.svg")
