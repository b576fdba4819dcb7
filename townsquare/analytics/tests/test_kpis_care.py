"""Care KPIs: answered share, first-response times in and out of business hours,
sentiment, the team (pure)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from townsquare.analytics.kpis.care import (
    CareInput,
    ResponseSample,
    TeamInput,
    care,
    sentiment_score,
    team,
)
from townsquare.inbox.business_hours import parse

BERLIN = "Europe/Berlin"
OFFICE = parse({day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")})


def sample(at: datetime, minutes: float | None) -> ResponseSample:
    return ResponseSample(at, None if minutes is None else at + timedelta(minutes=minutes))


def test_without_messages_the_care_figures_are_unknown():
    found = care(CareInput(), CareInput(), {}, BERLIN)
    assert found.answered_share.value is None
    assert found.first_response.median.value is None
    assert found.sentiment_score.value is None
    assert found.around_the_clock


def test_the_answered_share_is_of_inbound_messages():
    found = care(CareInput(inbound=8, answered=6), CareInput(inbound=4, answered=1), {}, BERLIN)
    assert found.answered_share.value == pytest.approx(75.0)
    assert found.answered_share.previous == pytest.approx(25.0)
    assert found.inbound.change == 4


def test_first_response_median_and_p90_leave_out_conversations_still_waiting():
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    samples = tuple(sample(at, m) for m in (10, 20, 30, 40, 50, 60, 70, 80, 90, 100))
    waiting = sample(at, None)
    found = care(CareInput(responses=(*samples, waiting)), CareInput(), {}, BERLIN)
    assert found.first_response.median.value == pytest.approx(55.0)
    assert found.first_response.p90.value == pytest.approx(91.0)
    assert found.first_response.answered.value == 10
    assert found.first_response.waiting.value == 1


def test_an_answer_stamped_before_the_message_counts_as_no_time_not_negative():
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    found = care(CareInput(responses=(sample(at, -3),)), CareInput(), {}, BERLIN)
    assert found.first_response.median.value == 0.0


def test_response_times_are_split_by_whether_the_message_came_in_business_hours():
    monday_morning = datetime.combine(datetime(2026, 3, 2).date(), time(10), tzinfo=UTC)
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    data = CareInput(responses=(sample(monday_morning, 15), sample(saturday, 600)))
    found = care(data, CareInput(), OFFICE, BERLIN)
    assert not found.around_the_clock
    assert found.inside_hours.median.value == 15
    assert found.outside_hours.median.value == 600


def test_business_hours_follow_the_change_of_clocks():
    # 07:30 UTC is 08:30 in Berlin in winter (closed) and 09:30 in summer (open): the
    # clocks went forward on Sunday 29 March 2026.
    winter = datetime(2026, 3, 27, 7, 30, tzinfo=UTC)  # Friday before
    summer = datetime(2026, 3, 30, 7, 30, tzinfo=UTC)  # Monday after
    data = CareInput(responses=(sample(winter, 100), sample(summer, 5)))
    found = care(data, CareInput(), OFFICE, BERLIN)
    assert found.inside_hours.median.value == 5
    assert found.outside_hours.median.value == 100


def test_the_sentiment_score_is_positive_against_positive_and_negative():
    assert sentiment_score({"positive": 3, "negative": 1, "neutral": 20}) == pytest.approx(75.0)
    assert sentiment_score({"neutral": 5, "undefined": 2}) is None
    assert sentiment_score({"negative": 2}) == 0.0


def test_the_team_is_ordered_by_answers_and_compared_with_the_previous_period():
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    now = [
        TeamInput(1, "Bob", replies=3, first_responses=(sample(at, 30),)),
        TeamInput(2, "Alice", replies=7),
    ]
    before = [TeamInput(1, "Bob", replies=5)]
    rows = team(now, before)
    assert [r.name for r in rows] == ["Alice", "Bob"]
    assert rows[1].replies.change == -2
    assert rows[1].first_response.median.value == 30
    assert rows[0].replies.previous == 0
