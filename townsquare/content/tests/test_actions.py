import pytest

from townsquare.audit.models import AuditEvent
from townsquare.content.actions import (
    PostInput,
    do_delete_post,
    do_edit_variant,
    do_reset_variant,
    do_save_post,
)
from townsquare.content.models import Contact, Post
from townsquare.lib.errors import ActionError
from townsquare.networks.models import RuleOverride, SocialAccount
from townsquare.planning.models import Plan
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

LONG_DE = (
    "Ab heute gibt es unsere Herbströstung in allen Filialen. Sie ist kräftig, schokoladig "
    "und passt perfekt zu einem langen Sonntagsfrühstück. Wir haben sie drei Monate lang "
    "mit unseren Baristas getestet und viele Ihrer Rückmeldungen eingearbeitet. "
    "Probieren Sie sie diese Woche zum Einführungspreis! Alle Infos: https://morgenrot.example/herbst"
)


@pytest.fixture
def accounts(workspace_a):
    return {
        network: SocialAccount.objects.create(
            workspace=workspace_a, network=network, handle=f"@{network}"
        )
        for network in ("bluesky", "x", "instagram", "mastodon")
    }


def test_saving_a_post_adapts_a_valid_variant_per_account(membership, accounts):
    post = do_save_post(
        membership, PostInput(text=LONG_DE, language="de"), [a.pk for a in accounts.values()]
    )
    variants = {v.account.network: v for v in post.variants.select_related("account")}
    assert set(variants) == {"bluesky", "x", "instagram", "mastodon"}
    assert len(variants["bluesky"].parts) > 1, "300 graphemes: a thread on Bluesky"
    assert len(variants["mastodon"].parts) == 1, "500 characters: one toot"
    assert "https://" not in variants["instagram"].text and "Bio" in variants["instagram"].text
    assert variants["bluesky"].link_card_url == "https://morgenrot.example/herbst"
    for variant in variants.values():
        errors = {p["code"] for p in variant.problems if p["severity"] == "error"}
        expected = {"media_required"} if variant.account.network == "instagram" else set()
        assert errors == expected, (variant.account.network, variant.problems)
        assert variant.changes or variant.account.network == "mastodon"
    assert AuditEvent.objects.filter(action="post.create", workspace=membership.workspace).exists()


def test_a_hand_edited_variant_survives_a_change_of_the_master(membership, accounts):
    ids = [accounts["x"].pk, accounts["bluesky"].pk]
    post = do_save_post(membership, PostInput(text="Erste Fassung.", language="de"), ids)
    x_variant = post.variants.get(account=accounts["x"])
    do_edit_variant(membership, x_variant, "Meine eigene Fassung für X.")
    do_save_post(membership, PostInput(text="Zweite Fassung.", language="de"), ids, post=post)
    x_variant.refresh_from_db()
    assert x_variant.text == "Meine eigene Fassung für X." and x_variant.edited_by_hand
    assert any(w["code"] == "master_changed_since_edit" for w in x_variant.warnings), (
        x_variant.warnings
    )
    assert post.variants.get(account=accounts["bluesky"]).text == "Zweite Fassung."
    do_reset_variant(membership, x_variant)
    x_variant.refresh_from_db()
    assert x_variant.text == "Zweite Fassung." and not x_variant.edited_by_hand


def test_a_hand_edit_that_is_too_long_is_kept_and_flagged_with_the_span(membership, accounts):
    post = do_save_post(membership, PostInput(text="Kurz."), [accounts["x"].pk])
    variant = do_edit_variant(membership, post.variants.get(), "a" * 300)
    error = next(p for p in variant.problems if p["severity"] == "error")
    assert error["code"].startswith("text") and error["span"][0] == 280


def test_mentions_come_from_the_contact_book(membership, accounts, workspace_a):
    Contact.objects.create(
        workspace=workspace_a, name="Stadtwerke Leipzig", handles={"x": "@SWLeipzig"}
    )
    post = do_save_post(
        membership,
        PostInput(text="Danke an @[Stadtwerke Leipzig] für die Ladesäule!"),
        [accounts["x"].pk, accounts["bluesky"].pk],
    )
    texts = {v.account.network: v for v in post.variants.select_related("account")}
    assert "@SWLeipzig" in texts["x"].text
    assert "Stadtwerke Leipzig" in texts["bluesky"].text and "@[" not in texts["bluesky"].text
    assert texts["bluesky"].warnings


def test_the_tone_of_the_workspace_plan_is_applied(membership, accounts, workspace_a):
    Plan.objects.create(workspace=workspace_a, address="du", avoid_words=["billig"])
    post = do_save_post(
        membership,
        PostInput(text="Unser billig Angebot für Sie!", language="de"),
        [accounts["mastodon"].pk],
    )
    codes = {w["code"] for w in post.variants.get().warnings}
    assert any("banned" in c for c in codes) and any("address" in c for c in codes), codes


def test_a_stale_rule_override_is_skipped_not_fatal(membership, accounts, workspace_a):
    RuleOverride.objects.create(workspace=workspace_a, network="x", rule="text_max", value=99999)
    post = do_save_post(membership, PostInput(text="Hallo"), [accounts["x"].pk])
    assert post.variants.get().text == "Hallo"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("\ud800 kaputt", "invalid_unicode"),
        ("a\x00b", "control_characters"),
        ("x" * 100_001, "text_too_large"),
        ("   ", "text_required"),
    ],
)
def test_bad_text_is_refused_with_a_code_and_nothing_is_saved(membership, accounts, text, code):
    with pytest.raises(ActionError) as raised:
        do_save_post(membership, PostInput(text=text), [accounts["x"].pk])
    assert raised.value.code == code
    assert not Post.objects.exists()


def test_accounts_of_another_workspace_cannot_be_used(membership, workspace_b):
    foreign = SocialAccount.objects.create(workspace=workspace_b, network="x", handle="@b")
    with pytest.raises(ActionError):
        do_save_post(membership, PostInput(text="Hallo"), [foreign.pk])
    assert not Post.objects.exists()


def test_a_contributor_edits_only_their_own_posts(membership, accounts, carol, workspace_a):
    post = do_save_post(membership, PostInput(text="Von Alice"), [accounts["x"].pk])
    contributor = Membership.objects.create(workspace=workspace_a, user=carol, role="contributor")
    with pytest.raises(ActionError):
        do_edit_variant(contributor, post.variants.get(), "Übernommen")
    with pytest.raises(ActionError):
        do_delete_post(contributor, post)
    own = do_save_post(contributor, PostInput(text="Von Carol"), [accounts["x"].pk])
    do_edit_variant(contributor, own.variants.get(), "Besser")
