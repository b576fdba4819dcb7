"""Rule conditions (pure): each condition, all together, and the reasons kept."""

from __future__ import annotations

import pytest

from townsquare.inbox.rule_conditions import (
    MessageFacts,
    clean_conditions,
    evaluate,
    find_keyword,
    has_link,
    is_emoji_only,
)

FACTS = MessageFacts(
    text="Mein Paket ist kaputt, ich will eine Erstattung! https://example.com/foto",
    category="complaint",
    sentiment="negative",
    urgency=65,
    spam="ok",
    language="de",
    network="mastodon",
    account_id=7,
    author_handle="@Lena@example.social",
    follower_count=1500,
    inside_business_hours=False,
)


@pytest.mark.parametrize(
    ("conditions", "matched"),
    [
        ({"category": ["complaint", "question"]}, True),
        ({"category": ["praise"]}, False),
        ({"sentiment": ["negative"]}, True),
        ({"min_urgency": 60}, True),
        ({"min_urgency": 70}, False),
        ({"spam": ["ok"]}, True),
        ({"spam": ["spam", "abuse"]}, False),
        ({"language": ["DE", "en"]}, True),
        ({"language": ["fr"]}, False),
        ({"keywords": ["erstattung"]}, True),
        ({"keywords": ["Pake"]}, False),
        ({"has_link": True}, True),
        ({"has_link": False}, False),
        ({"emoji_only": True}, False),
        ({"network": ["mastodon"]}, True),
        ({"network": ["bluesky"]}, False),
        ({"account": [7, 8]}, True),
        ({"account": [8]}, False),
        ({"author": ["lena@example.social"]}, True),
        ({"author": ["@max@example.social"]}, False),
        ({"min_followers": 1000}, True),
        ({"min_followers": 2000}, False),
        ({"business_hours": "outside"}, True),
        ({"business_hours": "inside"}, False),
        ({}, True),
    ],
)
def test_each_condition(conditions, matched):
    assert evaluate(conditions, FACTS).matched is matched


def test_all_conditions_must_hold_and_every_check_is_kept_for_the_explanation():
    result = evaluate({"category": ["complaint"], "min_urgency": 90}, FACTS)
    assert not result.matched
    assert [(c.key, c.matched, c.seen) for c in result.checks] == [
        ("category", True, "complaint"),
        ("min_urgency", False, 65),
    ]


def test_keywords_are_whole_words_in_any_case_including_symbols():
    assert find_keyword("Ich liebe C++ sehr", ["c++"]) == "C++"
    assert find_keyword("#Fail des Tages", ["#fail"]) == "#Fail"
    assert find_keyword("Rückerstattung bitte", ["erstattung"]) is None
    assert find_keyword("ÄRGER pur", ["ärger"]) == "ÄRGER"
    assert find_keyword("two words here", ["words here"]) == "words here"


def test_emoji_only_and_links():
    assert is_emoji_only("😡😡 👎")
    assert is_emoji_only("👍🏽")
    assert not is_emoji_only("gut 👍")
    assert not is_emoji_only("   ")
    assert has_link("siehe www.example.de/agb")
    assert has_link("example.com/path")
    assert not has_link("Das Ende. Neuer Satz")


def test_an_unknown_follower_count_never_meets_a_minimum():
    facts = MessageFacts(text="hi", follower_count=None)
    assert not evaluate({"min_followers": 0}, facts).matched


def test_cleaning_normalises_and_names_problems():
    cleaned, problems = clean_conditions(
        {
            "keywords": "Erstattung, refund\nrefund",
            "category": ["complaint"],
            "min_urgency": "60",
            "account": [3, 3, 2],
            "emoji_only": None,
            "colour": "red",
            "sentiment": ["angry"],
            "min_followers": True,
        }
    )
    assert cleaned == {
        "keywords": ["Erstattung", "refund"],
        "category": ["complaint"],
        "min_urgency": 60,
        "account": [2, 3],
    }
    assert sorted(problems) == [
        ("colour", "unknown_condition"),
        ("min_followers", "invalid"),
        ("sentiment", "unknown_choice"),
    ]


def test_cleaning_refuses_ids_and_numbers_out_of_range():
    _cleaned, problems = clean_conditions(
        {"account": [2**70], "min_urgency": 101, "business_hours": "sometimes"}
    )
    assert sorted(key for key, _code in problems) == ["account", "business_hours", "min_urgency"]
