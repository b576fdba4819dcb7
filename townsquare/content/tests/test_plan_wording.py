"""The plan's formality, call to action and words to prefer, through the composer."""

import json

import pytest

from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.service import engine_style
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, NetworkPlan, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(workspace_a):
    return {
        network: SocialAccount.objects.create(
            workspace=workspace_a, network=network, handle=f"@{network}"
        )
        for network in ("mastodon", "instagram")
    }


@pytest.fixture
def plan(workspace_a):
    plan = Plan.objects.create(
        workspace=workspace_a,
        formality="formal",
        prefer_words=["Kunde -> Kundschaft"],
        call_to_action="Mehr im Blog",
    )
    NetworkPlan.objects.create(
        plan=plan, network="instagram", call_to_action="Jetzt Tisch reservieren"
    )
    return plan


def test_the_style_takes_the_plans_wording_per_network_most_specific_first(workspace_a, plan):
    campaign = Campaign.objects.create(
        workspace=workspace_a, name="Herbst", starts_on="2026-09-01", ends_on="2026-11-30"
    )
    Plan.objects.create(
        workspace=workspace_a, campaign=campaign, formality="casual", prefer_words=["Genuss"]
    )

    style = engine_style(workspace_a)
    in_campaign = engine_style(workspace_a, campaign)

    assert style.formality == "formal" and style.call_to_action == "Mehr im Blog"
    assert style.for_network("instagram").call_to_action == "Jetzt Tisch reservieren"
    assert style.for_network("mastodon").call_to_action == "Mehr im Blog"
    assert in_campaign.formality == "casual"
    assert in_campaign.for_network("instagram").formality == "casual"
    assert in_campaign.prefer_words == ("Genuss", "Kunde -> Kundschaft")


def test_saved_variants_carry_the_hints_with_the_networks_call_to_action(
    membership, accounts, plan
):
    post = do_save_post(
        membership,
        PostInput(text="Im Herbst hat jeder Kunde etwas für dich.", language="de"),
        [a.pk for a in accounts.values()],
    )

    by_network = {v.account.network: v.warnings for v in post.variants.select_related("account")}
    codes = {w["code"] for w in by_network["instagram"]}
    assert {"formality_informal_address", "prefer_word_instead", "call_to_action_missing"} <= codes
    (cta,) = [w for w in by_network["mastodon"] if w["code"] == "call_to_action_missing"]
    assert cta["suggestion"] == "Mehr im Blog"


def test_the_live_preview_offers_the_call_to_action_in_one_click(
    alice_client, workspace_a, accounts, plan
):
    form = {
        "text": "Unsere Herbströstung ist da.",
        "language": "de",
        "accounts": [str(accounts["instagram"].pk)],
    }

    html = alice_client.post(
        f"/w/{workspace_a.slug}/compose/preview/",
        form,
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="de",
    ).content.decode()

    assert "die Handlungsaufforderung „Jetzt Tisch reservieren“ vor" in html
    assert 'data-append-text="Jetzt Tisch reservieren"' in html
    assert "Handlungsaufforderung ergänzen</button>" in html


def test_the_api_preview_returns_the_suggestion_with_the_hint(
    alice_client, workspace_a, accounts, plan
):
    body = {
        "text": "Unsere Herbströstung ist da.",
        "language": "de",
        "accounts": [accounts["instagram"].pk],
    }

    response = alice_client.post(
        f"/api/v1/workspaces/{workspace_a.slug}/preview",
        json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    (variant,) = response.json()
    (hint,) = [w for w in variant["warnings"] if w["code"] == "call_to_action_missing"]
    assert hint["suggestion"] == "Jetzt Tisch reservieren"
