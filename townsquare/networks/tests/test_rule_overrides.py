"""Settings > Network rules: a workspace's own values for the rules no official source states."""

import pytest
from django.contrib.auth import get_user_model

from townsquare.audit.models import AuditEvent
from townsquare.content.actions import PostInput, do_save_post
from townsquare.lib.errors import ActionError
from townsquare.networks.actions import do_clear_rule_override, do_set_rule_override
from townsquare.networks.models import RuleOverride, SocialAccount
from townsquare.networks.rules.loader import load_rules
from townsquare.networks.rules.model import RULE_NAMES, parse_rule_value
from townsquare.networks.rules_views import RULE_LABELS, format_value, input_text, parse_input
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

HASHTAGS = ("#Kaffee", "#Leipzig", "#Röstung", "#Herbst")


def _page(workspace):
    return f"/w/{workspace.slug}/settings/network-rules/"


@pytest.fixture
def instagram(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="instagram", handle="@morgenrot"
    )


def _hashtags_in_variant(membership, account):
    post = do_save_post(
        membership, PostInput(text="Neue Röstung im Regal.", hashtags=HASHTAGS), [account.pk]
    )
    return [word for word in post.variants.get().text.split() if word.startswith("#")]


def test_overriding_a_third_party_rule_changes_what_compose_produces(
    alice_client, membership, workspace_a, instagram
):
    assert len(_hashtags_in_variant(membership, instagram)) == 4, "the default allows five"
    response = alice_client.post(
        _page(workspace_a),
        {"network": "instagram", "rule": "hashtags_max", "value": "2", "action": "set"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#rule-instagram-hashtags_max")
    assert RuleOverride.objects.get(workspace=workspace_a).value == 2
    assert _hashtags_in_variant(membership, instagram) == ["#Kaffee", "#Leipzig"]

    page = alice_client.get(_page(workspace_a)).content.decode()
    assert "set by this workspace" in page and "Use the default" in page
    event = AuditEvent.objects.get(action="rule_override.set")
    assert event.after == {"network": "instagram", "rule": "hashtags_max", "value": 2}


def test_clearing_an_override_brings_the_default_back(
    alice_client, membership, workspace_a, instagram
):
    do_set_rule_override(membership, "instagram", "hashtags_max", 1)
    assert len(_hashtags_in_variant(membership, instagram)) == 1
    response = alice_client.post(
        _page(workspace_a), {"network": "instagram", "rule": "hashtags_max", "action": "clear"}
    )
    assert response.status_code == 302
    assert not RuleOverride.objects.exists()
    assert len(_hashtags_in_variant(membership, instagram)) == 4
    assert AuditEvent.objects.filter(action="rule_override.clear").exists()
    with pytest.raises(ActionError) as refused:
        do_clear_rule_override(membership, "instagram", "hashtags_max")
    assert refused.value.status == 404


def test_an_official_rule_cannot_be_overridden_and_nothing_is_saved(
    alice_client, membership, workspace_a
):
    SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@morgenrot")
    response = alice_client.post(
        _page(workspace_a), {"network": "x", "rule": "text_max", "value": "1000", "action": "set"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "is stated by an official source and cannot be changed" in html
    assert "docs.x.com/fundamentals/counting-characters" in html
    assert not RuleOverride.objects.exists()
    with pytest.raises(ActionError) as refused:
        do_set_rule_override(membership, "x", "text_max", 1000)
    assert refused.value.code == "official_rule"
    assert not RuleOverride.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="rule_override").exists()


@pytest.mark.parametrize(
    ("rule", "typed", "message"),
    [
        ("hashtags_max", "many", "A whole number; empty for no limit."),
        ("hashtags_max", "-3", "must not be negative"),
        ("image_aspect_ratio", "wide", "Like 4:5 - 1.91:1; empty for any."),
        ("image_aspect_ratio", "2 - 1", "minimum"),
        ("media_max_per_kind", "image: 4, hologram: 1", "unknown media kinds"),
    ],
)
def test_a_bad_value_is_refused_with_a_clear_message_and_kept_for_correction(
    alice_client, workspace_a, instagram, rule, typed, message
):
    response = alice_client.post(
        _page(workspace_a), {"network": "instagram", "rule": rule, "value": typed, "action": "set"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{typed}"' in html, "what was typed is shown again"
    assert not RuleOverride.objects.exists()


def test_the_actions_refuse_unknown_networks_rules_and_malformed_values(membership):
    for network, rule, value, code in [
        ("myspace", "text_max", 1, "unknown_network"),
        ("instagram", "charm", 1, "unknown_rule"),
        ("instagram", "hashtags_max", "five", "invalid_rule_value"),
        ("instagram", "links_clickable", "yes", "invalid_rule_value"),
    ]:
        with pytest.raises(ActionError) as refused:
            do_set_rule_override(membership, network, rule, value)
        assert refused.value.code == code
    assert not RuleOverride.objects.exists()


def test_only_owners_and_managers_set_rule_values(client, bob, workspace_a, instagram):
    client.force_login(bob)
    page = client.get(_page(workspace_a)).content.decode()
    assert "an owner or manager may adjust it" in page and 'name="value"' not in page
    response = client.post(
        _page(workspace_a),
        {"network": "instagram", "rule": "hashtags_max", "value": "2", "action": "set"},
    )
    assert response.status_code == 403
    assert not RuleOverride.objects.exists()


def test_the_page_shows_each_rule_with_its_value_verification_and_sources(
    alice_client, workspace_a, instagram
):
    html = alice_client.get(_page(workspace_a)).content.decode()
    assert "<h2>Instagram</h2>" in html and "<h2>X</h2>" not in html
    assert html.count('<tr id="rule-instagram-') == len(RULE_NAMES)
    assert "Maximum hashtags" in html and "third-party" in html
    assert "Default from unverified sources: you may adjust it." in html
    assert 'href="https://ayrshare.com/apis/post/social-networks/instagram"' in html
    assert "Official: cannot be changed." in html, "media_required is an official excerpt"
    assert 'name="value" value="4:5 - 1.91"' in html, "the aspect ratio, ready to adjust"


def test_all_networks_are_offered_on_request_one_at_a_time(alice_client, workspace_a, instagram):
    html = alice_client.get(_page(workspace_a) + "?all=1").content.decode()
    for key in ("bluesky", "mastodon", "reddit", "instagram"):
        assert f'href="?all=1&amp;network={key}"' in html, "a tab per network, keeping all=1"
    assert html.count("<h2>") == 1, "one network's rules at a time"
    assert "Only networks with accounts" in html
    reddit = alice_client.get(_page(workspace_a) + "?all=1&network=reddit").content.decode()
    assert "<h2>Reddit</h2>" in reddit and "<h2>Instagram</h2>" not in reddit
    assert 'href="?all=1&amp;network=reddit" aria-current="page"' in reddit


def test_one_network_at_a_time_with_its_sources_folded_away(alice_client, workspace_a, instagram):
    SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@m@s.example")
    html = alice_client.get(_page(workspace_a)).content.decode()
    assert html.count('<section id="network-') == 1, "the first network only"
    assert "<h2>Instagram</h2>" not in html and 'href="?network=instagram"' in html
    mastodon = alice_client.get(_page(workspace_a) + "?network=mastodon").content.decode()
    assert "<h2>Mastodon</h2>" in mastodon and "<h2>Instagram</h2>" not in mastodon
    rows = mastodon.split('<tr id="rule-mastodon-')[1:]
    with_sources = [row for row in rows if "link-card" in row]
    assert with_sources, "the rules name their sources"
    for row in with_sources:
        before_sources = row.split('class="link-card"')[0]
        assert '<details class="sources">' in before_sources, "sources are folded away"
        assert '<div lang="en" translate="no">' in before_sources, "quoted as researched"


def test_saving_a_value_comes_back_to_the_same_network(alice_client, workspace_a, instagram):
    SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@x")
    response = alice_client.post(
        _page(workspace_a),
        {"network": "instagram", "rule": "hashtags_max", "value": "3", "action": "set"},
    )
    assert response["Location"].endswith("?network=instagram#rule-instagram-hashtags_max")
    refused = alice_client.post(
        _page(workspace_a),
        {"network": "instagram", "rule": "hashtags_max", "value": "many", "action": "set"},
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and "<h2>Instagram</h2>" in html and 'value="many"' in html


def test_a_workspace_without_accounts_is_told_how_to_see_rules(alice_client, workspace_a):
    html = alice_client.get(_page(workspace_a)).content.decode()
    assert "This workspace has no accounts yet" in html and "?all=1" in html


def test_limits_an_account_reported_are_shown_with_the_account(alice_client, workspace_a):
    SocialAccount.objects.create(
        workspace=workspace_a,
        network="mastodon",
        handle="@morgenrot@leipzig.social",
        reported_limits={"text_max": 1000, "media_max": "lots"},
    )
    html = alice_client.get(_page(workspace_a)).content.decode()
    assert "@morgenrot@leipzig.social: 1000" in html
    assert "reported by the network for an account" in html
    assert "not usable: the defaults apply" in html


def test_a_stored_value_that_no_longer_applies_is_shown_and_can_be_removed(
    alice_client, workspace_a
):
    SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@morgenrot")
    RuleOverride.objects.create(workspace=workspace_a, network="x", rule="text_max", value=999)
    html = alice_client.get(_page(workspace_a)).content.decode()
    assert "These values of this workspace are not applied" in html
    assert "Remove this value" in html
    alice_client.post(_page(workspace_a), {"network": "x", "rule": "text_max", "action": "clear"})
    assert not RuleOverride.objects.exists()


def test_every_rule_has_a_label():
    assert set(RULE_LABELS) == set(RULE_NAMES)


def test_every_default_value_is_written_so_that_it_reads_back_the_same():
    for rules in load_rules().values():
        for name, rule in rules.rules().items():
            if name in ("text_counting", "link_preview") or isinstance(rule.value, bool):
                continue  # chosen from a list, never typed
            typed = input_text(name, rule.value)
            assert parse_rule_value(name, parse_input(name, typed)) == rule.value, (
                rules.key,
                name,
                typed,
            )
            assert format_value(name, rule.value)


def test_typed_values_are_read_in_each_rules_shape():
    assert parse_input("hashtags_max", " 1 000 ") == 1000
    assert parse_input("hashtags_max", "") is None
    assert parse_input("links_clickable", "no") is False
    assert parse_input("image_aspect_ratio", "4:5 – 1.91:1") == ["4:5", "1.91:1"]
    assert parse_input("video_duration_s", "3 to 90") == [3.0, 90.0]
    assert parse_input("media_max_per_kind", "image: 4, video: 1") == {"image": 4, "video": 1}
    assert parse_input("image_types", "image/jpeg, image/png") == ["image/jpeg", "image/png"]
    with pytest.raises(ValueError):
        parse_input("links_clickable", "maybe")


def test_the_network_rules_page_speaks_german(client, alice, workspace_a, instagram):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    html = client.get(_page(workspace_a)).content.decode()
    for text in ["Netzwerkregeln", "Höchstzahl an Hashtags", "Dritte", "Alle Netzwerke zeigen"]:
        assert text in html, f"{text!r} missing from the German network rules page"
    assert "Standardwert aus unbestätigten Quellen: Sie dürfen ihn anpassen." in html
    every = client.get(_page(workspace_a) + "?all=1").content.decode()
    assert ">Matrix-Raum</a>" in every and ">Facebook-Seite</a>" in every
    assert "Matrix room" not in every


def test_a_manager_may_set_values_too(client, workspace_a, instagram):
    manager = get_user_model().objects.create_user("m@example.com", "pass-123-pass", name="M")
    Membership.objects.create(workspace=workspace_a, user=manager, role="manager")
    client.force_login(manager)
    client.post(
        _page(workspace_a),
        {"network": "instagram", "rule": "links_clickable", "value": "yes", "action": "set"},
    )
    assert RuleOverride.objects.get().value is True
