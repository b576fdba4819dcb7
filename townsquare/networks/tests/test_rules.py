"""The rules data file, its loader, and who may override what."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from townsquare.networks.catalog import NETWORK_NAMES
from townsquare.networks.rules.account_limits import (
    mastodon_instance_overrides,
    matrix_media_config_overrides,
)
from townsquare.networks.rules.loader import (
    NETWORK_KEYS,
    effective_rules,
    load_rules,
    parse_rules_document,
    rules_for,
)
from townsquare.networks.rules.model import (
    RULE_NAMES,
    VERIFICATION_LEVELS,
    OfficialRuleOverrideRefused,
    RuleError,
)


def _document() -> dict[str, Any]:
    text = resources.files("townsquare.networks.rules").joinpath("rules.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def test_rules_exist_for_all_fifteen_network_keys() -> None:
    assert sorted(load_rules()) == sorted(NETWORK_KEYS)
    assert len(NETWORK_KEYS) == 15


def test_rules_use_the_network_catalog_keys_and_names() -> None:
    names = {key: rules.display_name for key, rules in load_rules().items()}
    assert names == NETWORK_NAMES


def test_every_rule_keeps_its_verification_level_and_sources() -> None:
    for network in load_rules().values():
        for name, rule in network.rules().items():
            assert rule.verification in VERIFICATION_LEVELS, (network.key, name)
            assert rule.sources and all(source.strip() for source in rule.sources)


def test_every_rule_written_in_the_data_file_names_known_sources() -> None:
    document = _document()
    for key, entry in document["networks"].items():
        for name, rule in entry["rules"].items():
            assert name in RULE_NAMES, (key, name)
            assert set(rule["src"]) <= set(document["sources"]), (key, name)


def test_the_key_facts_of_the_research_are_encoded() -> None:
    rules = load_rules()
    assert rules["x"].text_max.value == 280
    assert rules["x"].url_weight.value == 23
    assert rules["bluesky"].text_max.value == 300
    assert rules["bluesky"].text_max_bytes.value == 3000
    assert rules["mastodon"].content_warning_supported.value is True
    assert rules["telegram_channel"].caption_max.value == 1024
    assert rules["instagram"].links_clickable.value is False
    assert rules["bluesky"].link_preview.value == "client_card"
    for key in ("instagram", "tiktok", "youtube", "pinterest"):
        assert rules[key].media_required.value is True, key


def test_loading_is_cached_but_hands_out_a_fresh_dict() -> None:
    first, second = load_rules(), load_rules()
    assert first is not second
    assert first["x"] is second["x"]


def test_linkedin_page_inherits_the_profile_rules() -> None:
    rules = load_rules()
    page, profile = rules["linkedin_page"], rules["linkedin_profile"]
    assert page.display_name != profile.display_name
    assert page.rules() == profile.rules()


def test_only_third_party_and_unverified_rules_are_overridable() -> None:
    rules = load_rules()
    assert rules["x"].text_max.overridable is False
    assert rules["instagram"].hashtags_max.verification == "third-party"
    assert rules["instagram"].hashtags_max.overridable is True
    assert rules["reddit"].text_max.overridable is True


def test_a_workspace_may_override_a_third_party_rule() -> None:
    instagram = load_rules()["instagram"]
    changed = effective_rules(instagram, workspace_overrides={"hashtags_max": 30})
    assert changed.hashtags_max.value == 30
    assert changed.hashtags_max.origin == "workspace"
    assert instagram.hashtags_max.value == 5


def test_a_workspace_may_not_override_an_official_rule() -> None:
    with pytest.raises(OfficialRuleOverrideRefused, match="verified as official"):
        effective_rules(load_rules()["x"], workspace_overrides={"text_max": 25_000})


def test_account_values_win_over_workspace_and_defaults() -> None:
    mastodon = load_rules()["mastodon"]
    changed = effective_rules(
        mastodon,
        workspace_overrides={"media_kinds_exclusive": True},
        account_overrides={"text_max": 5000, "media_kinds_exclusive": False},
    )
    assert changed.text_max.value == 5000
    assert changed.text_max.origin == "account"
    assert changed.media_kinds_exclusive.value is False


def test_account_values_may_change_official_rules() -> None:
    changed = effective_rules(load_rules()["x"], account_overrides={"text_max": 25_000})
    assert changed.text_max.value == 25_000


def test_no_overrides_return_the_same_rules() -> None:
    bluesky = load_rules()["bluesky"]
    assert effective_rules(bluesky) is bluesky


def test_unknown_rule_names_are_refused() -> None:
    with pytest.raises(RuleError, match="not a rule name"):
        effective_rules(load_rules()["x"], account_overrides={"text_maximum": 1})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("text_max", "many"),
        ("text_max", -1),
        ("text_max", True),
        ("media_kinds", ["hologram"]),
        ("image_aspect_ratio", ["4:5"]),
        ("video_duration_s", [10, 3]),
        ("link_preview", "telepathy"),
    ],
)
def test_malformed_override_values_are_refused(name: str, value: object) -> None:
    with pytest.raises(RuleError):
        effective_rules(load_rules()["reddit"], account_overrides={name: value})


def test_aspect_ratios_are_read_from_w_to_h_notation() -> None:
    low, high = load_rules()["instagram"].image_aspect_ratio.value or (0.0, 0.0)
    assert (low, round(high, 2)) == (0.8, 1.91)


def test_rules_for_applies_both_kinds_of_override() -> None:
    rules = rules_for("instagram", {"hashtags_max": 10}, {"text_max": 2000})
    assert (rules.hashtags_max.value, rules.text_max.value) == (10, 2000)
    with pytest.raises(RuleError, match="Unknown network"):
        rules_for("myspace")


def test_a_rule_without_sources_is_refused_by_the_loader() -> None:
    document = _document()
    document["networks"]["x"]["rules"]["text_max"]["src"] = []
    with pytest.raises(RuleError, match="at least one source"):
        parse_rules_document(document)


def test_mastodon_instance_limits_become_account_overrides() -> None:
    instance = {
        "configuration": {
            "statuses": {
                "max_characters": 1000,
                "max_media_attachments": 6,
                "characters_reserved_per_url": 23,
            },
            "media_attachments": {
                "supported_mime_types": ["image/jpeg", "video/mp4", "audio/ogg"],
                "image_size_limit": 8_000_000,
                "description_limit": 3000,
            },
        }
    }
    overrides = mastodon_instance_overrides(instance)
    assert overrides == {
        "text_max": 1000,
        "url_weight": 23,
        "media_max": 6,
        "image_max_bytes": 8_000_000,
        "alt_text_max": 3000,
        "image_types": ["image/jpeg"],
        "video_types": ["video/mp4"],
    }
    rules = effective_rules(load_rules()["mastodon"], account_overrides=overrides)
    assert rules.text_max.value == 1000
    assert rules.image_types.value == ("image/jpeg",)


def test_malformed_instance_documents_give_no_overrides() -> None:
    assert mastodon_instance_overrides({"configuration": "nonsense"}) == {}
    assert (
        mastodon_instance_overrides({"configuration": {"statuses": {"max_characters": -5}}}) == {}
    )


def test_the_matrix_upload_size_caps_every_media_kind() -> None:
    overrides = matrix_media_config_overrides({"m.upload.size": 10_485_760})
    rules = effective_rules(load_rules()["matrix_room"], account_overrides=overrides)
    assert rules.video_max_bytes.value == 10_485_760
    assert matrix_media_config_overrides({}) == {}
