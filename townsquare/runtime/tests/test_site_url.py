"""Links in e-mails lead to the address Townsquare was started on: `townsquare up` (what
`make run PORT=8100` runs) gives its children that address as SITE_URL when none is set."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command

from townsquare.runtime.management.commands import up


@pytest.fixture
def started(monkeypatch):
    """Runs `up` up to the point where it would start its children, and keeps the
    environment they would get."""
    seen: dict[str, str | None] = {}

    def run(self):
        seen["SITE_URL"] = os.environ.get("SITE_URL")
        return 0

    monkeypatch.setattr(up, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(up.Supervisor, "run", run)
    # Set, then removed: the monkeypatch then also takes back what `up` writes there.
    monkeypatch.setenv("SITE_URL", "unset")
    monkeypatch.delenv("SITE_URL")
    return seen


def test_the_children_link_to_the_port_townsquare_was_started_on(started, settings):
    settings.SITE_URL_CONFIGURED = False
    output = io.StringIO()
    call_command("up", "--port", "8100", stdout=output)
    assert started["SITE_URL"] == "http://127.0.0.1:8100"
    assert "http://127.0.0.1:8100/" in output.getvalue()


def test_a_configured_site_url_is_kept(started, settings, monkeypatch):
    settings.SITE_URL_CONFIGURED = True
    monkeypatch.setenv("SITE_URL", "https://social.example.org")
    call_command("up", "--port", "8100", stdout=io.StringIO())
    assert started["SITE_URL"] == "https://social.example.org"


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("0.0.0.0", 8100, "http://127.0.0.1:8100"),
        ("::", 8100, "http://127.0.0.1:8100"),
        ("::1", 9000, "http://[::1]:9000"),
        ("townsquare.local", 80, "http://townsquare.local:80"),
    ],
)
def test_the_address_a_browser_opens_for_a_bind_address(host, port, url):
    assert up.site_url_for(host, port) == url
