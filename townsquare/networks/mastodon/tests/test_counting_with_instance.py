"""What mastodon-mock fakes (it counts a status's length naively): Townsquare counts the way
Mastodon does, with the limits an instance reports. The instance answer is the one recorded
from Mastodon's documentation (fixtures/instance_v2__ok.json names its page)."""

from townsquare.content.validate import VariantInput, validate_variant
from townsquare.networks.mastodon.tests.captured import captured
from townsquare.networks.rules.account_limits import mastodon_instance_overrides
from townsquare.networks.rules.loader import rules_for

INSTANCE = captured("instance_v2__ok.json")["body"]
LONG_URL = "https://morgenrot.de/roestungen/aethiopien-yirgacheffe?utm_source=mastodon&x=" + (
    "a" * 40
)


def errors(text: str, reported: dict[str, object]) -> list[str]:
    rules = rules_for("mastodon", {}, reported)
    return [
        p.code for p in validate_variant(VariantInput(text=text), rules) if p.severity == "error"
    ]


def test_a_link_counts_23_characters_whatever_its_length():
    reported = mastodon_instance_overrides(INSTANCE)
    assert reported["url_weight"] == 23 and reported["text_max"] == 500
    text = "k" * 476 + " " + LONG_URL  # 476 + 1 + 23 = 500 as Mastodon counts
    assert len(text) > 500  # a naive count would refuse it
    assert errors(text, reported) == []
    assert errors("k" + text, reported) != []  # one more character is one too many


def test_a_host_without_a_real_top_level_domain_is_not_a_link_to_mastodon_either():
    # Mastodon finds links as twitter-text does: only known top-level domains.
    reported = mastodon_instance_overrides(INSTANCE)
    text = "k" * 476 + " " + LONG_URL.replace("morgenrot.de", "morgenrot.example")
    assert errors(text, reported) == ["text_too_long"]


def test_an_instance_with_a_larger_limit_allows_more():
    bigger = {**INSTANCE, "configuration": {**INSTANCE["configuration"]}}
    bigger["configuration"]["statuses"] = {
        **INSTANCE["configuration"]["statuses"],
        "max_characters": 1000,
    }
    text = "ü" * 900
    assert errors(text, mastodon_instance_overrides(INSTANCE)) != []
    assert errors(text, mastodon_instance_overrides(bigger)) == []
