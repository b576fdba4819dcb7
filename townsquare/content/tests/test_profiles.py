from townsquare.content.adapt import ContactBook, MasterPost, StyleSettings, adapt_post
from townsquare.content.profiles import target_profile
from townsquare.content.validate import VariantInput, validate_variant
from townsquare.networks.rules.loader import load_rules, rules_for


def test_every_network_has_a_profile_and_a_long_post_becomes_valid_variants_everywhere():
    text = (
        "Unsere neue Röstung ist da! 🎉 Äthiopien Yirgacheffe, hell geröstet, mit Noten von "
        "Jasmin und Bergamotte. "
        * 12
        + "Mehr auf https://morgenrot.example/roestung #Kaffee #Leipzig"
    )
    rules = load_rules()
    targets = [target_profile(r, f"@{key}", "de") for key, r in rules.items()]
    variants = adapt_post(
        MasterPost(text=text, language="de"), targets, StyleSettings(), ContactBook()
    )
    assert len(variants) == len(rules)
    for variant in variants:
        network_rules = rules[variant.network]
        problems = validate_variant(
            VariantInput(text=variant.text, parts=variant.parts), network_rules
        )
        text_errors = [p for p in problems if p.severity == "error" and p.code.startswith("text")]
        assert text_errors == [], (variant.network, text_errors)


def test_bluesky_gets_a_card_instagram_a_bio_link_and_x_counts_urls_as_23():
    bluesky, instagram, x = (
        target_profile(rules_for(k), "a") for k in ("bluesky", "instagram", "x")
    )
    assert (bluesky.link_mode, instagram.link_mode, x.link_mode) == ("card", "bio", "inline")
    assert x.length("https://example.com/" + "a" * 200) == 23
    assert bluesky.supports_threads and not instagram.supports_threads


def test_an_instance_limit_reported_by_mastodon_changes_the_profile():
    assert (
        target_profile(rules_for("mastodon", account_overrides={"text_max": 5000}), "a").max_length
        == 5000
    )
