"""A text far too long for a thread (an article pasted in: hundreds of parts) keeps the
composer usable: each card shows its first parts, how many more there are and the error
first, so the page stays small; a thread the network takes is shown whole."""

from __future__ import annotations

import re

import pytest

from townsquare.content.composer_cards import FIRST_PARTS, MOST_PARTS, shown_parts
from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

SENTENCE = "Unsere Herbströstung ist da: kräftig, schokoladig, perfekt fürs Sonntagsfrühstück. "
ARTICLE = (SENTENCE * (100_000 // len(SENTENCE) + 1))[:100_000]
NETWORKS = ("bluesky", "mastodon", "x")


@pytest.fixture
def accounts(workspace_a):
    return [
        SocialAccount.objects.create(workspace=workspace_a, network=n, handle=f"@{n}")
        for n in NETWORKS
    ]


def form(accounts, text, **extra):
    return {"text": text, "language": "de", "accounts": [str(a.pk) for a in accounts], **extra}


def cards_of(html):
    return re.findall(r'<article class="preview.*?</article>', html, re.DOTALL)


def preview(client, workspace, accounts, text):
    response = client.post(
        f"/w/{workspace.slug}/compose/preview/", form(accounts, text), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_hundred_thousand_characters_preview_shows_a_few_parts_per_network_and_the_error_first(
    alice_client, workspace_a, accounts
):
    html = preview(alice_client, workspace_a, accounts, ARTICLE)
    cards = cards_of(html)
    assert len(cards) == len(NETWORKS)
    assert html.count('class="post-part"') <= FIRST_PARTS * len(NETWORKS)
    # 1,045 parts made a preview of 446 KB; a few parts per card keep it small.
    assert len(html.encode()) < 30_000
    for card in cards:
        parts = int(re.search(r"Too long for a thread on [^:]+: (\d+) parts", card).group(1))
        assert parts > 200
        assert f"… {parts - FIRST_PARTS} more parts" in card
        assert f"1/{parts} · " in card, "the parts shown still say where they stand"
        assert card.index('class="problem-error"') < card.index('class="post-part"')


def test_the_saved_posts_page_of_such_a_text_shows_a_few_parts_per_network(
    alice_client, workspace_a, accounts
):
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/", form(accounts, ARTICLE, action="save")
    )
    assert response.status_code == 302
    page = alice_client.get(response["Location"]).content.decode()
    assert page.count('class="post-part"') <= FIRST_PARTS * len(NETWORKS)
    assert "more parts" in page and "Edit this variant by hand" in page
    # The text itself is there once per version to edit, and no more.
    assert len(page.encode()) < 1.1 * len(ARTICLE.encode()) * (1 + len(NETWORKS))
    assert Post.objects.get().variants.count() == len(NETWORKS)


def test_a_thread_the_network_takes_is_shown_whole(alice_client, workspace_a, accounts):
    text = SENTENCE * 40  # about 3,400 characters: 13 posts on X, all of them shown
    html = preview(alice_client, workspace_a, accounts[2:], text)
    count = html.count('class="post-part"')
    assert 10 < count <= 25
    assert f"{count}/{count} · " in html and "more part" not in html


def test_the_rest_of_a_thread_is_counted_in_german(client, alice, workspace_a, accounts):
    alice.language = "de"
    alice.save()
    client.force_login(alice)
    html = preview(client, workspace_a, accounts[:1], ARTICLE)
    assert re.search(r"… \d+ weitere Teile", html)


@pytest.mark.parametrize(
    ("count", "limit", "shown"),
    [
        (25, 25, 25),
        (26, 25, FIRST_PARTS),
        (402, 25, FIRST_PARTS),
        (1, 1, 1),
        (2, 1, 2),
        (MOST_PARTS, None, MOST_PARTS),
        (MOST_PARTS + 1, None, FIRST_PARTS),
        (MOST_PARTS + 1, 1000, FIRST_PARTS),
    ],
)
def test_a_card_shows_every_part_up_to_the_networks_thread_limit(count, limit, shown):
    assert shown_parts(count, limit) == shown
