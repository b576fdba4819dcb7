"""The versioned metric maps: each network's names in canonical metrics, and a later version
(made up here: a network renaming one counter and replacing another) keeping history
comparable."""

from __future__ import annotations

from datetime import date

import pytest

from townsquare.analytics.metric_maps import (
    BEGINNING,
    METRIC_MAPS,
    MetricMap,
    NoMetricMap,
    map_in_force,
    series_column,
    series_columns,
    translate,
)
from townsquare.analytics.metric_names import ACCOUNT_METRICS, POST_METRICS
from townsquare.networks.base import MetricSnapshot

SWITCH = date(2027, 3, 1)

# Made up: from SWITCH on, "chirpnet" calls likes "hearts" (same meaning) and counts
# "views" (every replay) where it counted "impressions" (once per person and session).
CHIRPNET = (
    MetricMap(
        "chirpnet",
        1,
        BEGINNING,
        post={"likes": "likes", "impressions": "impressions", "replies": "replies"},
        account={"followers": "followers"},
    ),
    MetricMap(
        "chirpnet",
        2,
        SWITCH,
        post={"hearts": "likes", "views": "views", "replies": "replies"},
        account={"followers": "followers"},
        continues={"views": "impressions"},
        why="chirpnet renamed likes to hearts and replaced impressions by views",
    ),
)
MAPS = {**METRIC_MAPS, "chirpnet": CHIRPNET}


def post(day: date, **metrics: int) -> MetricSnapshot:
    return MetricSnapshot(day=day, network_post_id="p1", metrics=metrics)


def test_matrix_reactions_are_likes_and_room_members_are_followers():
    counted = translate("matrix_room", post(date(2026, 12, 1), reactions=4, replies=2))
    assert counted.counters == {"likes": 4, "replies": 2} and counted.version == "matrix_room/1"
    room = MetricSnapshot(day=date(2026, 12, 1), network_post_id="", metrics={"followers": 31})
    assert translate("matrix_room", room).counters == {"followers": 31}


def test_bluesky_and_mastodon_counters_keep_their_canonical_names():
    for network in ("bluesky", "mastodon"):
        counted = translate(network, post(date(2026, 12, 1), likes=3, reposts=2, quotes=1))
        assert counted.counters == {"likes": 3, "reposts": 2, "quotes": 1}
        assert counted.version == f"{network}/1"


def test_every_map_names_only_canonical_metrics():
    for versions in METRIC_MAPS.values():
        for version in versions:
            assert set(version.post.values()) <= set(POST_METRICS), version.version
            assert set(version.account.values()) <= set(ACCOUNT_METRICS), version.version


def test_a_name_no_map_knows_and_a_value_that_is_no_count_are_left_out_and_listed():
    counted = translate(
        "bluesky", post(date(2026, 12, 1), likes=3, sparkles=9, reposts=-1, quotes=True)
    )
    assert counted.counters == {"likes": 3}
    assert counted.unmapped == ("quotes", "reposts", "sparkles")


def test_an_account_reading_is_translated_with_the_account_names():
    reading = MetricSnapshot(day=date(2026, 12, 1), network_post_id="", metrics={"likes": 5})
    assert translate("bluesky", reading).counters == {}, "accounts have no likes of their own"


def test_two_names_for_one_metric_are_added_up():
    maps = {
        "chirpnet": (
            MetricMap(
                "chirpnet", 1, BEGINNING, post={"likes": "likes", "hearts": "likes"}, account={}
            ),
        )
    }
    assert translate("chirpnet", post(SWITCH, likes=2, hearts=3), maps).counters == {"likes": 5}


def test_the_version_in_force_on_the_readings_day_translates_it():
    before = translate("chirpnet", post(date(2027, 2, 28), likes=7, impressions=100), MAPS)
    after = translate("chirpnet", post(SWITCH, hearts=7, views=140), MAPS)
    assert before.counters == {"likes": 7, "impressions": 100}
    assert before.version == "chirpnet/1"
    # A renamed counter continues its column; a replaced one gets its own.
    assert after.counters == {"likes": 7, "views": 140} and after.version == "chirpnet/2"
    # An export of last year's counters imported today is read with last year's names.
    assert map_in_force("chirpnet", date(2026, 6, 1), MAPS).number == 1


def test_a_replaced_metric_names_the_columns_of_its_one_series():
    assert series_columns("chirpnet", "views", MAPS) == (
        (BEGINNING, "impressions"),
        (SWITCH, "views"),
    )
    assert series_column("chirpnet", "views", date(2027, 2, 28), MAPS) == "impressions"
    assert series_column("chirpnet", "views", SWITCH, MAPS) == "views"
    assert series_columns("chirpnet", "likes", MAPS) == ((BEGINNING, "likes"),)
    assert series_columns("bluesky", "likes") == ((BEGINNING, "likes"),)


def test_a_network_without_a_map_cannot_be_translated():
    with pytest.raises(NoMetricMap):
        translate("pinterest", post(date(2026, 12, 1), likes=1))
    late = {"chirpnet": (CHIRPNET[1],)}
    with pytest.raises(NoMetricMap):
        map_in_force("chirpnet", date(2027, 1, 1), late)


def test_every_connector_that_reads_counters_has_a_map():
    from townsquare.networks.base import MetricsSource
    from townsquare.networks.registry import PUBLISHERS, get_publisher

    readers = [n for n in PUBLISHERS if isinstance(get_publisher(n), MetricsSource)]
    assert readers, "some connector reads counters"
    assert [n for n in readers if n not in METRIC_MAPS] == []
