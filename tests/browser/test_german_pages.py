"""The main pages as a German-speaking community manager sees them, in Chromium: no raw codes
(snake_case identifiers, Python literals), no English sentences left over, and nothing that
pushes the page sideways, not even a 300-character address in a post, a notification or the
audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.publishing.events import publication_failed
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.browser

# 300 characters without a place to break a line (no spaces, no hyphens): a shared link.
LONG_URL = "https://morgenrot.example/r/" + "A1b2C3d4E5" * 27
# The visible text of a page, as a reader sees it (code-styled text included): not scripts,
# not form fields, not what people wrote themselves (posts, names), and not quotations
# marked as such (a network's own words, research quoted in English: translate="no" or
# lang="en").
VISIBLE_TEXT_JS = """() => {
  const skip = new Set(['SCRIPT', 'STYLE', 'TEXTAREA', 'NOSCRIPT', 'SELECT', 'OPTION']);
  const out = [];
  const walk = (n) => {
    if (n.nodeType === 3) { const t = n.textContent.trim(); if (t) out.push(t); return; }
    if (n.nodeType !== 1 || skip.has(n.tagName)) return;
    if (n.matches('[translate="no"], [data-user-content], [lang]:not([lang="de"])')) return;
    const s = getComputedStyle(n); if (s.display === 'none' || s.visibility === 'hidden') return;
    for (const c of n.childNodes) walk(c);
  };
  walk(document.body); return out.join('\\n');
}"""
SNAKE_CASE = re.compile(r"(?<![@\w./#-])[a-z]+(?:_[a-z0-9]+)+(?![\w.@/-])")
DOTTED_CODE = re.compile(r"(?<![@\w./#-])[a-z_]+\.[a-z_]+(?![\w.@/-])")  # post.create
# Audit actions as the code records them.
ACTION_CODES = {"post.create", "post.update", "post.schedule", "member.role", "account.add"}
PY_LITERAL = re.compile(r"\{'[^']+': |\[\('|\bNone\b|\bTrue\b|\bFalse\b")
ENGLISH = re.compile(
    r"\b(the|and|with|your|this|that|will|has been|cannot|could not|is not|are|were|which|"
    r"when|should|must|posts?|account|failed|network)\b"
)


@pytest.fixture
def german_workspace(alice, workspace_a, membership):
    """Alice reads German; her workspace has accounts in every state, a post with a very
    long address that failed on the network, and its notification."""
    alice.language = "de"
    alice.save(update_fields=["language"])
    SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="@neu.bsky")
    SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@hand")
    matrix = SocialAccount.objects.create(
        workspace=workspace_a, network="matrix_room", handle="#kaffee:matrix.example"
    )
    revoked = SocialAccount.objects.create(
        workspace=workspace_a,
        network="mastodon",
        handle="@alt@social.example",
        connected_at=timezone.now() - timedelta(days=40),
        last_success_at=timezone.now() - timedelta(days=3),
        needs_reconnect=True,
    )
    store_credentials(revoked, {"access_token": "t"})
    post = do_save_post(
        membership,
        PostInput(text=f"Neue Röstung im Regal, alles dazu: {LONG_URL}", link_url=LONG_URL),
        [matrix.pk],
    )
    publication = Publication.objects.create(
        workspace=workspace_a,
        post=post,
        variant=post.variants.get(),
        account=matrix,
        status="failed",
        error_code="m_too_large",
        error_message=f"The event is too large for this room and cannot be sent: {LONG_URL}",
    )
    publication_failed(publication.pk)
    return workspace_a, post


def problems_on(page, path: str) -> list[str]:
    response = page.goto(path)
    page.wait_for_load_state()
    found = []
    if response is None or (response.status >= 400 and "gibt-es-nicht" not in path):
        found.append(f"{path}: HTTP {response.status if response else '-'}")
    assert page.locator("html").get_attribute("lang") == "de", path
    width, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if width > client:
        found.append(f"{path}: wider than the window ({width} px > {client} px)")
    text = page.evaluate(VISIBLE_TEXT_JS)
    dotted = {code for code in DOTTED_CODE.findall(text) if code in ACTION_CODES or "_" in code}
    codes = sorted(set(SNAKE_CASE.findall(text)) | dotted)
    if codes:
        found.append(f"{path}: raw codes {codes[:6]}")
    # People's own text included: a list shown as Python text is no one's writing.
    if literal := PY_LITERAL.search(page.locator("main").inner_text()):
        found.append(f"{path}: Python literal {literal.group(0)!r}")
    english = [line for line in text.splitlines() if len(ENGLISH.findall(line)) >= 2]
    found.extend(f"{path}: English left over: {line[:100]!r}" for line in english[:3])
    return found


def test_the_main_pages_in_german_have_no_codes_no_english_and_no_sideways_scrolling(
    page, sign_in, german_workspace
):
    workspace, post = german_workspace
    slug = workspace.slug
    sign_in(page, "alice@example.com", "alice-pass-123")
    pages = [
        reverse("workspace_dashboard", args=[slug]),
        reverse("content_posts", args=[slug]),
        reverse("content_post", args=[slug, post.pk]),
        reverse("workspace_compose", args=[slug]),
        reverse("publishing_overview", args=[slug]),
        reverse("notifications", args=[slug]),
        reverse("workspace_accounts", args=[slug]),
        reverse("workspace_network_rules", args=[slug]),
        reverse("workspace_network_rules", args=[slug]) + "?all=1&network=mastodon",
        reverse("workspace_audit", args=[slug]),
        reverse("workspace_members", args=[slug]),
        reverse("workspace_publishing_settings", args=[slug]),
        reverse("workspace_settings", args=[slug]),
        f"/w/{slug}/gibt-es-nicht/",
    ]
    found = [problem for path in pages for problem in problems_on(page, path)]
    assert found == [], "\n".join(found)


def test_a_long_address_wraps_in_the_post_the_notification_and_the_audit_log(
    page, sign_in, german_workspace
):
    workspace, post = german_workspace
    slug = workspace.slug
    sign_in(page, "alice@example.com", "alice-pass-123")
    for path, where in (
        (reverse("content_post", args=[slug, post.pk]), "textarea, .post-text"),
        (reverse("notifications", args=[slug]), ".notification"),
        (reverse("workspace_audit", args=[slug]), "table"),
        (reverse("publishing_overview", args=[slug]), "table.publications"),
    ):
        page.goto(path)
        page.wait_for_load_state()
        width, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width <= client, f"{path}: {width} px wide in a {client} px window"
        assert page.locator(where).filter(has_text=LONG_URL[:60]).count(), f"{path}: no long URL"
