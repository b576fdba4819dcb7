"""An X account's text limit follows its subscription, and the composer says what a post
will cost under the installation's X API plan (or that it is unknown, and where to set it).

Prices in these tests are the pay-per-use figures of docs.x.com x-api/getting-started/pricing
(Content: Create $0.015, Content: Create (with URL) $0.200, Media Metadata $0.005), given
as settings the way an operator would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from townsquare.content.service import account_rules
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.x import costs
from townsquare.networks.x.composer_notes import cost_note, length_note, money
from townsquare.networks.x.tier import limits_with_tier, store_tier

PRICES = costs.Prices(
    post=costs.Price(Decimal("0.015"), "USD"),
    link_post=costs.Price(Decimal("0.200"), "USD"),
    media=costs.Price(Decimal("0.005"), "USD"),
)


# --- costs (pure) -----------------------------------------------------------------------------


def test_a_thread_of_five_is_five_posts():
    estimate = costs.estimate(["eins", "zwei", "drei", "vier", "fünf"], 0, PRICES)
    assert estimate.posts == 5 and estimate.total == costs.Price(Decimal("0.075"), "USD")


def test_parts_with_a_link_and_media_files_are_charged_as_x_charges_them():
    parts = ["Neu: https://morgenrot.de/herbst", "Und morgenrot.de/karte", "Ende"]
    estimate = costs.estimate(parts, 2, PRICES)
    assert (estimate.posts, estimate.link_posts, estimate.media) == (3, 2, 2)
    # 1 x 0.015 + 2 x 0.200 + 2 x 0.005
    assert estimate.total == costs.Price(Decimal("0.425"), "USD")


def test_a_price_not_set_makes_the_total_unknown_and_names_the_setting():
    only_posts = costs.Prices(post=PRICES.post)
    estimate = costs.estimate(["Neu: https://morgenrot.de"], 1, only_posts)
    assert estimate.total is None
    assert estimate.missing == ("X_API_LINK_POST_COST", "X_API_MEDIA_COST")
    # What the post does not need may stay unset.
    assert costs.estimate(["Hallo"], 0, only_posts).total == costs.Price(Decimal("0.015"), "USD")


def test_prices_in_different_currencies_are_not_added_up():
    mixed = costs.Prices(post=PRICES.post, media=costs.Price(Decimal("0.01"), "EUR"))
    estimate = costs.estimate(["Hallo"], 1, mixed)
    assert estimate.total is None and estimate.mixed_currencies


@pytest.mark.parametrize("text", ["0,015 USD", "USD 0.015", "0.015", "-1 USD", "0.015 US"])
def test_a_malformed_price_is_refused_with_its_setting_named(text):
    with pytest.raises(costs.BadCost, match="X_API_POST_COST"):
        costs.parse_price(text, "X_API_POST_COST")


def test_a_price_is_read_with_its_currency():
    assert costs.parse_price(" 0.20 usd ", "X") == costs.Price(Decimal("0.20"), "USD")
    assert costs.parse_price("", "X") is None


# --- what the composer says -------------------------------------------------------------------


def test_the_cost_note_in_english_and_german():
    with translation.override("en"):
        assert cost_note(["a", "b https://x.com/kaffeehaus"], 0, PRICES) == (
            "X charges 0.215 USD for this (2 posts, 1 of them with a link), at the prices "
            "set for this installation's X API plan."
        )
    with translation.override("de"):
        note = cost_note(["a", "b https://x.com/kaffeehaus"], 0, PRICES)
    assert "0,215 USD" in note and "2 Beiträge" in note


def test_an_unknown_cost_says_where_to_set_it():
    with translation.override("en"):
        note = cost_note(["Hallo"], 1, costs.Prices())
    assert "unknown" in note and "X_API_POST_COST, X_API_MEDIA_COST" in note
    assert "docs/networks/x.md" in note


def test_the_length_note_says_why_280():
    with translation.override("en"):
        assert "has not seen an X Premium subscription" in length_note({})
        assert "25,000" in length_note({"text_max": 25_000})
    with translation.override("de"):
        assert "280" in length_note({}) and "Premium" in length_note({})


# --- the tier on the account -------------------------------------------------------------------


def test_the_text_limit_follows_the_tier_and_keeps_other_reported_values():
    assert limits_with_tier({"media_max": 4}, "Premium") == {"media_max": 4, "text_max": 25_000}
    assert limits_with_tier({"media_max": 4, "text_max": 25_000}, "None") == {"media_max": 4}


@pytest.mark.django_db
def test_a_premium_account_may_write_long_posts_until_its_subscription_ends(workspace_a):
    account = SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@k")
    assert account_rules(account, {})[0].text_max.value == 280

    store_tier(account.pk, "PremiumPlus")
    account.refresh_from_db()
    assert account.reported_limits == {"text_max": 25_000}
    assert account_rules(account, {})[0].text_max.value == 25_000

    store_tier(account.pk, "")  # X did not say: nothing changes
    account.refresh_from_db()
    assert account.reported_limits == {"text_max": 25_000}

    store_tier(account.pk, "None")
    account.refresh_from_db()
    assert account.reported_limits == {}
    assert account_rules(account, {})[0].text_max.value == 280


# --- in the composer ---------------------------------------------------------------------------


def _connected_x(workspace) -> SocialAccount:
    account = SocialAccount.objects.create(workspace=workspace, network="x", handle="@k")
    store_credentials(
        account, {"access_token": "at", "refresh_token": "rt", "extra": {"user_id": "1"}}
    )
    account.refresh_from_db()
    return account


def _preview(client, workspace, account, text) -> str:
    response = client.post(
        f"/w/{workspace.slug}/compose/preview/",
        {"text": text, "language": "de", "accounts": [str(account.pk)]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_preview_shows_the_cost_of_an_x_post(alice_client, workspace_a, settings):
    settings.X_API_POST_COST = "0.015 USD"
    settings.X_API_LINK_POST_COST = "0.20 USD"
    account = _connected_x(workspace_a)
    html = _preview(alice_client, workspace_a, account, "Neu: https://morgenrot.de/herbst")
    assert "X charges 0.20 USD for this (1 post, 1 of them with a link)" in html
    assert "has not seen an X Premium subscription" in html


@pytest.mark.django_db
def test_the_preview_says_the_cost_is_unknown_without_prices(alice_client, workspace_a, settings):
    settings.X_API_POST_COST = ""
    settings.X_API_LINK_POST_COST = ""
    account = _connected_x(workspace_a)
    html = _preview(alice_client, workspace_a, account, "Hallo zusammen")
    assert "is unknown" in html and "X_API_POST_COST" in html


@pytest.mark.django_db
def test_an_x_account_posted_by_hand_has_no_api_cost(alice_client, workspace_a, settings):
    settings.X_API_POST_COST = "0.015 USD"
    account = SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@k")
    html = _preview(alice_client, workspace_a, account, "Hallo zusammen")
    assert "X charges" not in html and "is unknown" not in html
    assert "has not seen an X Premium subscription" in html


# --- at sign-in ----------------------------------------------------------------------------------


def _connect(user, membership, me_answer):
    from townsquare.networks.x.tests.fake_x import FakeX, answer, captured
    from townsquare.networks.x.tests.test_connect import APP, CALLBACK, GRANTED, finish, start

    fake = FakeX(
        {
            "POST /2/oauth2/token": answer("oauth2_token__ok_200.json", body=GRANTED),
            "GET /2/users/me": answer(me_answer),
        }
    )
    assert captured(me_answer)["source"] and APP and CALLBACK
    session: dict = {}
    query = start(membership, session)
    account = finish(user, session, fake, code="c", state=query["state"][0])
    assert fake.invalid == []
    return account


@pytest.mark.django_db
def test_a_premium_sign_in_gives_long_posts(alice, membership):
    from townsquare.networks.credentials import credentials_for

    account = _connect(alice, membership, "users_me__metrics_200.json")
    account.refresh_from_db()
    assert account.reported_limits == {"text_max": 25_000}
    assert credentials_for(account).extra["subscription_type"] == "Premium"
    assert account_rules(account, {})[0].text_max.value == 25_000


@pytest.mark.django_db
def test_a_sign_in_without_the_subscription_keeps_280(alice, membership, workspace_a):
    # Premium once, and X no longer says so at the next sign-in: back to 280.
    SocialAccount.objects.create(
        workspace=workspace_a,
        network="x",
        handle="@XDevelopers",
        reported_limits={"text_max": 25_000},
    )
    account = _connect(alice, membership, "users_me__ok_200.json")
    account.refresh_from_db()
    assert account.reported_limits == {}
    assert account_rules(account, {})[0].text_max.value == 280


@pytest.mark.django_db
def test_the_posts_page_where_it_is_scheduled_shows_the_cost_of_a_thread(
    alice_client, workspace_a, settings
):
    from townsquare.content.models import Post

    settings.X_API_POST_COST = "0.015 USD"
    account = _connected_x(workspace_a)
    # Too long for 280: X's variant becomes a thread, each part a post of its own.
    text = " ".join(["Frisch geröstet, kräftig und schokoladig."] * 12)
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        {"text": text, "language": "de", "accounts": [str(account.pk)], "action": "save"},
    )
    assert response.status_code == 302
    variant = Post.objects.get().variants.get()
    parts = len(variant.parts)
    assert parts > 1
    page = alice_client.get(response["Location"]).content.decode()
    with translation.override("en"):
        cost = money(costs.Price(Decimal("0.015") * parts, "USD"))
    assert cost in ("0.03 USD", "0.045 USD", "0.06 USD", "0.075 USD")
    assert f"X charges {cost} for this ({parts} posts)" in page


@pytest.mark.django_db
def test_a_premium_account_gets_a_long_post_in_one_piece(alice_client, workspace_a):
    from townsquare.content.models import Post

    long_text = " ".join(["Frisch geröstet, kräftig und schokoladig."] * 30)  # ~1,300
    premium = _connected_x(workspace_a)
    store_tier(premium.pk, "Premium")
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        {"text": long_text, "language": "de", "accounts": [str(premium.pk)], "action": "save"},
    )
    assert response.status_code == 302
    variant = Post.objects.get().variants.get()
    assert len(variant.parts or [variant.text]) == 1
    assert not [p for p in variant.problems if p.get("severity") == "error"]
    page = alice_client.get(response["Location"]).content.decode()
    assert "/ 25000" in page and "This account has X Premium" in page
