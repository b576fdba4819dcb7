"""Grouping feedback by meaning (pure): the same concern in other words (German, English, and
across the two) lands in one topic; different concerns stay apart."""

import numpy as np

from townsquare.inbox import register_grouping as grouping
from townsquare.inbox.triage.features import embed

DARK_MODE = [
    "When will the app support dark mode?",
    "Is there any plan for a dark theme in the app?",
    "Wann kommt endlich der Dark Mode für die App?",
    "Gibt es bald ein dunkles Design in der App?",
]
PARCEL = [
    "My parcel has not arrived after two weeks.",
    "Still waiting for my delivery, ordered 14 days ago!",
    "Mein Paket ist nach zwei Wochen immer noch nicht da.",
    "Warte seit 14 Tagen auf meine Lieferung!",
]
HOURS = ["What are your opening hours on Saturday?", "Are you open on weekends?"]


def test_same_concern_in_other_words_is_one_topic_and_different_concerns_apart():
    texts = DARK_MODE + PARCEL + HOURS
    labels = grouping.group(embed(texts))
    dark, parcel, hours = labels[:4], labels[4:8], labels[8:]
    assert len(set(dark)) == 1
    assert len(set(parcel)) == 1
    assert len(set(hours)) == 1
    assert len({dark[0], parcel[0], hours[0]}) == 3


def test_german_only_and_english_only_group_apart_from_other_concerns():
    german = [
        "Euer Kundenservice antwortet nie auf meine Mails",
        "Niemand vom Support meldet sich bei mir",
    ]
    other = ["Was kostet das Premium-Abo?"]
    labels = grouping.group(embed(german + other))
    assert labels[0] == labels[1] != labels[2]
    english = ["What are your opening hours on Saturday?", "How much does the premium plan cost?"]
    assert len(set(grouping.group(embed(english)))) == 2


def test_nearest_topic_needs_the_threshold():
    a = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    b = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    assert grouping.nearest_topic(a, [(7, a), (8, b)]) == 7
    assert (
        grouping.nearest_topic(np.array([0.3, 0.3, 0.9], dtype=np.float32), [(7, a), (8, b)])
        is None
    )
    assert grouping.nearest_topic(a, []) is None


def test_centroid_is_the_normalised_running_mean_and_survives_bytes():
    a = np.array([1.0, 0.0], dtype=np.float32)
    b = np.array([0.0, 1.0], dtype=np.float32)
    centroid = grouping.add_to_centroid(grouping.add_to_centroid(None, 0, a), 1, b)
    assert np.allclose(centroid, grouping.mean_centroid([a, b]))
    assert np.allclose(grouping.from_bytes(grouping.to_bytes(centroid)), centroid)
    assert grouping.from_bytes(None) is None
    assert grouping.mean_centroid([]) is None


def test_titles_are_the_first_sentence_without_handles_and_links_shortened_at_a_word():
    assert grouping.topic_title("@shop Wann kommt der Dark Mode? Ich warte schon lange.") == (
        "Wann kommt der Dark Mode?"
    )
    long = "Please " + "add a much better export of all my data to spreadsheets " * 3
    title = grouping.topic_title(long + "https://example.com/x")
    assert len(title) <= grouping.TITLE_LENGTH and title.endswith("…")
    assert "https" not in title
    assert grouping.topic_title("@only") == "…"
