"""The pure figures: statuses, texts in both languages, the pillar mix, day marks."""

from datetime import date, timedelta

import pytest

from townsquare.compliance.figures import (
    Counts,
    PillarInput,
    Status,
    count_text,
    day_marks,
    extra_text,
    missing_text,
    pillar_mix,
    status_for,
    week_rows,
    week_start,
    weeks_between,
    worst,
)

MONDAY = date(2026, 12, 7)
LABELS = {"linkedin_page": "LinkedIn (page)", "mastodon": "Mastodon", "x": "X"}


@pytest.mark.parametrize(
    ("planned", "scheduled", "published", "started", "expected"),
    [
        (3, 1, 1, True, Status.GAP),
        (3, 1, 1, False, Status.OPEN),
        (3, 0, 0, True, Status.GAP),
        (3, 2, 1, True, Status.OK),
        (3, 3, 1, True, Status.OK),  # planned + 1 is still fine
        (3, 4, 1, True, Status.OVERLOAD),  # more than planned + 1
        (1, 1, 0, True, Status.OK),
        (1, 2, 0, True, Status.OVERLOAD),  # 200 % is more than 150 %
        (2, 3, 0, True, Status.OK),  # 150 % exactly, and planned + 1
        (2, 4, 0, False, Status.OVERLOAD),
        (10, 11, 0, True, Status.OK),
        (10, 12, 0, True, Status.OVERLOAD),
        (0, 0, 0, True, Status.OK),
        (0, 2, 0, True, Status.UNPLANNED),
        (0, 0, 1, False, Status.UNPLANNED),
    ],
)
def test_status(planned, scheduled, published, started, expected):
    assert status_for(planned, scheduled, published, started=started) is expected


@pytest.mark.parametrize(
    ("count", "planned", "lang", "expected"),
    [
        (2, 3, "en", "2 of 3 posts on LinkedIn"),
        (1, 1, "en", "1 of 1 post on LinkedIn"),
        (0, 1, "en", "0 of 1 post on LinkedIn"),
        (2, 3, "de", "2 von 3 Beiträgen auf LinkedIn"),
        (1, 1, "de", "1 von 1 Beitrag auf LinkedIn"),
        (3, 1, "de-de", "3 von 1 Beitrag auf LinkedIn"),
        (1, 0, "en", "1 post on LinkedIn (not in the plan)"),
        (2, 0, "en", "2 posts on LinkedIn (not in the plan)"),
        (1, 0, "de", "1 Beitrag auf LinkedIn (nicht im Plan)"),
        (2, 0, "de", "2 Beiträge auf LinkedIn (nicht im Plan)"),
    ],
)
def test_count_text_nouns_agree(count, planned, lang, expected):
    assert count_text(count, planned, "LinkedIn", lang) == expected


def test_missing_and_extra_texts():
    assert missing_text(1, "X", "en") == "1 post missing on X"
    assert missing_text(2, "X", "en") == "2 posts missing on X"
    assert missing_text(1, "X", "de") == "1 Beitrag fehlt auf X"
    assert missing_text(2, "X", "de") == "2 Beiträge fehlen auf X"
    assert extra_text(1, "X", "de") == "1 Beitrag mehr als geplant auf X"
    assert extra_text(3, "X", "en") == "3 posts more than planned on X"


def test_weeks_are_iso_weeks_starting_monday():
    assert week_start(date(2026, 12, 13)) == MONDAY  # a Sunday
    assert week_start(MONDAY) == MONDAY
    assert weeks_between(date(2026, 12, 9), date(2026, 12, 21)) == [
        MONDAY,
        MONDAY + timedelta(days=7),
        MONDAY + timedelta(days=14),
    ]
    assert weeks_between(MONDAY, MONDAY) == [MONDAY]
    # Across the turn of the year: week 53 of 2026 and week 1 of 2027.
    rows = week_rows([date(2026, 12, 28), date(2027, 1, 4)], {}, {}, LABELS, MONDAY, "en")
    assert [(r.iso_year, r.iso_week) for r in rows] == [(2026, 53), (2027, 1)]


def test_week_rows_planned_and_unplanned_networks():
    counts = {
        (MONDAY, "linkedin_page"): Counts(scheduled=1, published=1),
        (MONDAY, "x"): Counts(scheduled=2),
        (MONDAY + timedelta(days=7), "linkedin_page"): Counts(scheduled=5),
    }
    rows = week_rows(
        [MONDAY, MONDAY + timedelta(days=7)],
        {"linkedin_page": 3, "mastodon": 2, "threads": 0},
        counts,
        LABELS,
        MONDAY + timedelta(days=2),
        "en",
    )
    this, nxt = rows
    assert this.current and this.started and not nxt.current and not nxt.started
    assert [r.network for r in this.rows] == ["linkedin_page", "mastodon", "x"]
    status = {r.network: r.status for r in this.rows}
    assert status == {
        "linkedin_page": Status.GAP,
        "mastodon": Status.GAP,
        "x": Status.UNPLANNED,
    }
    assert this.status is Status.GAP
    assert [r.network for r in this.gaps] == ["linkedin_page", "mastodon"]
    li = this.rows[0]
    assert (li.count, li.missing, li.percent) == (2, 1, 67)
    assert li.text == "2 of 3 posts on LinkedIn (page)"
    assert li.detail == "1 scheduled, 1 published"
    assert {r.network: r.status for r in nxt.rows} == {
        "linkedin_page": Status.OVERLOAD,
        "mastodon": Status.OPEN,
    }
    assert nxt.overloads[0].percent == 100


def test_worst():
    assert worst([]) is Status.OK
    assert worst([Status.OK, Status.OVERLOAD, Status.OPEN]) is Status.OVERLOAD
    assert worst([Status.OVERLOAD, Status.GAP]) is Status.GAP


def test_pillar_mix():
    pillars = [
        PillarInput(1, "Wissen", 40),
        PillarInput(2, "Team", 30),
        PillarInput(3, "Angebote", 30),
        PillarInput(4, "Archiv", 0),
    ]
    mix = pillar_mix(pillars, {1: 5, 2: 3, 3: 1, None: 1}, "de", no_pillar_name="Ohne Säule")
    rows = {r.name: r for r in mix.rows}
    assert mix.total == 10
    assert set(rows) == {"Wissen", "Team", "Angebote", "Ohne Säule"}  # Archiv: no target, none
    assert rows["Wissen"].share == 50.0 and not rows["Wissen"].off  # 10 points: not more
    assert rows["Team"].share == 30.0 and not rows["Team"].off
    assert rows["Angebote"].off and rows["Angebote"].difference == -20.0
    assert rows["Ohne Säule"].target == 0 and not rows["Ohne Säule"].off
    assert rows["Wissen"].text == "Wissen: 50 % (Ziel 40 %)"
    assert [r.name for r in mix.off] == ["Angebote"]


def test_pillar_mix_with_nothing_counted_is_not_off():
    mix = pillar_mix([PillarInput(1, "Wissen", 40)], {}, "en", no_pillar_name="No pillar")
    assert mix.total == 0
    assert mix.rows[0].share == 0.0 and not mix.rows[0].off
    assert mix.rows[0].text == "Wissen: 0 % (target 40 %)"


def test_pillar_mix_just_over_the_tolerance():
    mix = pillar_mix(
        [PillarInput(1, "A", 50), PillarInput(2, "B", 50)],
        {1: 61, 2: 39},
        "en",
        no_pillar_name="No pillar",
    )
    assert [r.off for r in mix.rows] == [True, True]


def test_day_marks_on_preferred_days_of_short_networks():
    counts = {(MONDAY, "linkedin_page"): Counts(published=1)}
    weeks = week_rows(
        [MONDAY],
        {"linkedin_page": 3, "mastodon": 1},
        counts,
        LABELS,
        MONDAY + timedelta(days=3),
        "en",
    )
    marks = day_marks(
        weeks,
        {"linkedin_page": [0, 2, 4], "mastodon": [4, 9, "x"]},
        {"linkedin_page": {MONDAY}},
        MONDAY + timedelta(days=3),
        "en",
    )
    assert set(marks) == {MONDAY + timedelta(days=2), MONDAY + timedelta(days=4)}
    wednesday = marks[MONDAY + timedelta(days=2)]
    assert wednesday.status is Status.GAP and wednesday.text == "Planned: LinkedIn (page)"
    friday = marks[MONDAY + timedelta(days=4)]
    assert friday.status is Status.OPEN
    assert friday.networks == ("LinkedIn (page)", "Mastodon")
    de = day_marks(weeks, {"mastodon": [4]}, {}, MONDAY, "de")
    assert de[MONDAY + timedelta(days=4)].text == "Laut Plan: Mastodon"
