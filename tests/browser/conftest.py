"""Browser tests: the real UI, served by the live server, driven in Debian's Chromium.

Chromium comes from the system (`make test` installs it with apt-get when it can); Playwright
only drives it. Without /usr/bin/chromium every browser test is skipped with a message, or
fails where the run requires every service (TOWNSQUARE_REQUIRE_SERVICES=1, as in CI).
Every request that does not go to the live server is aborted: no test reaches the internet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from townsquare.testing.services import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}
# Playwright waits for a condition (an element, a text) and gives up after this long. On a
# loaded machine pages take many times longer than on a quiet one; a condition that holds
# returns at once, so a generous deadline costs nothing when things work.
WAIT_MS = 60_000
FORM_CONTROLS = "input:not([type=hidden]), select, textarea, button"


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        unavailable(
            "Debian's Chromium is not installed at /usr/bin/chromium, so the browser tests "
            "cannot run (`make test` installs it with apt-get when it runs as root; or run "
            "`apt-get install chromium`)"
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)

    # The sync API of Playwright runs an asyncio event loop in this thread for as long as
    # it is started. Django sees that running loop and refuses every ORM call from this
    # thread (SynchronousOnlyOperation), including the fixtures that create users and the
    # database flush after each test. Those calls are ordinary synchronous code that never
    # runs inside the loop, so the guard is lifted, and only while Playwright runs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@dataclass
class PageLog:
    """What went wrong on a page, and the headers of every HTML page shown."""

    console_errors: list[str] = field(default_factory=list)
    documents: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.documents, "no HTML page was loaded"
        assert not self.blocked, f"requests outside the live server were made: {self.blocked}"
        assert not self.failed, f"requests that failed: {self.failed}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        without_csp = [
            url for url, headers in self.documents if "content-security-policy" not in headers
        ]
        assert not without_csp, f"pages without a Content-Security-Policy: {without_csp}"
        lax = [
            url
            for url, headers in self.documents
            if "unsafe-" in headers["content-security-policy"]
        ]
        assert not lax, f"pages whose Content-Security-Policy allows unsafe code: {lax}"


@pytest.fixture
def page(chromium, live_server, settings):
    assert not settings.SECURE_SSL_REDIRECT and not settings.SESSION_COOKIE_SECURE, (
        "The live server speaks plain HTTP: run the tests with SECURE_SSL_REDIRECT=0 and "
        "SECURE_COOKIES=0 (townsquare.testing.pytest_env sets both)."
    )
    origin = urlsplit(live_server.url)
    context = chromium.new_context(
        viewport=LAPTOP, locale="en-GB", timezone_id="Europe/Berlin", base_url=live_server.url
    )
    context.set_default_timeout(WAIT_MS)
    log = PageLog()

    def only_the_live_server(route):
        url = urlsplit(route.request.url)
        if (url.scheme, url.netloc) == (origin.scheme, origin.netloc) or url.scheme == "data":
            route.continue_()
        else:
            log.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            message.type == "error" and log.console_errors.append(f"{page.url}: {message.text}")
        ),
    )
    page.on("pageerror", lambda error: log.console_errors.append(f"{page.url}: {error}"))

    def on_response(response) -> None:
        if response.status >= 400:
            log.failed.append(f"{response.status} {response.url}")
        elif response.request.resource_type == "document" and response.status == 200:
            log.documents.append((response.url, response.headers))

    page.on("response", on_response)
    page.log = log
    yield page
    context.close()


@pytest.fixture
def sign_in():
    def sign_in(page, email: str, password: str) -> None:
        """Through the real sign-in form, as a person would."""
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return sign_in


@pytest.fixture
def unlabelled_controls():
    return find_unlabelled_controls


def _has_label(node: dict) -> bool:
    """A non-empty accessible name that does not come from the placeholder alone (a
    placeholder disappears as soon as someone types, so it is no label)."""
    name = node.get("name", {})
    if not str(name.get("value", "")).strip():
        return False
    used = [s for s in name.get("sources", []) if "value" in s and not s.get("superseded")]
    return not (used and used[0].get("type") == "placeholder")


def find_unlabelled_controls(page) -> list[str]:
    """Form controls on the page without an accessible label, as Chromium computes it for
    assistive technology. Hidden controls do not count."""
    cdp = page.context.new_cdp_session(page)
    problems: list[str] = []
    try:
        found = cdp.send(
            "Runtime.evaluate",
            {"expression": f"Array.from(document.querySelectorAll({json.dumps(FORM_CONTROLS)}))"},
        )
        items = cdp.send(
            "Runtime.getProperties",
            {"objectId": found["result"]["objectId"], "ownProperties": True},
        )
        elements = [p["value"]["objectId"] for p in items["result"] if p["name"].isdigit()]
        assert elements, f"no form controls found on {page.url}"
        for object_id in elements:
            tree = cdp.send(
                "Accessibility.getPartialAXTree", {"objectId": object_id, "fetchRelatives": False}
            )
            node = tree["nodes"][0]
            if node.get("ignored"):
                continue
            if not _has_label(node):
                html = cdp.send(
                    "Runtime.callFunctionOn",
                    {
                        "objectId": object_id,
                        "functionDeclaration": "function () { return this.outerHTML; }",
                        "returnByValue": True,
                    },
                )
                problems.append(html["result"]["value"][:200])
    finally:
        cdp.detach()
    return problems
