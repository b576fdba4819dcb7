"""The readers against a known history (readers_world.py works the figures out): every
KPI for March 2026 beside February, the filters, local days and hours across the change
of clocks, a fixed number of queries, and nothing from another workspace."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townsquare.analytics import readers, readers_plan
from townsquare.analytics.kpis.community import PER_FOLLOWER, PER_IMPRESSION
from townsquare.analytics.kpis.plan import GoalStatus
from townsquare.analytics.post_rollup import totals_usable
from townsquare.analytics.readers_scope import Filters, filters_from
from townsquare.analytics.tests.readers_world import MARCH, build, tracked, utc
from townsquare.compliance.tests.factories import account
from townsquare.workspaces.models import Membership


@pytest.fixture
def world(workspace_a, workspace_b, alice, bob):
    return build(workspace_a, workspace_b, alice, bob)


@pytest.fixture
def carol_membership(carol, workspace_b):
    return Membership.objects.get(user=carol, workspace=workspace_b)


def test_visibility_takes_the_accounts_day_counts_and_leaves_mastodon_unknown(membership, world):
    found = readers.read_visibility(membership, MARCH)
    assert found.headline_metric == "impressions"
    assert found.impressions.value == 1550  # X's 31 days of 50, not its posts' 1500
    assert found.impressions.previous is None  # X was not read in February
    networks = {n.network: n.figures for n in found.networks}
    assert networks["mastodon"]["impressions"].value is None


def test_an_account_without_day_counts_adds_its_posts_own_impressions(membership, world):
    second = account(membership.workspace, "x", handle="x-zwei")
    tracked(second, "z1", utc(2026, 3, 15, 9, 0), 7, impressions=700)
    found = readers.read_visibility(membership, MARCH)
    assert found.impressions.value == 1550 + 700


def test_a_campaign_or_pillar_filter_counts_only_the_posts_own_counters(membership, world):
    by_pillar = readers.read_visibility(membership, MARCH, Filters(pillar_id=world.pillar.pk))
    assert by_pillar.impressions.value == 1000
    by_campaign = readers.read_visibility(membership, MARCH, Filters(campaign_id=world.campaign.pk))
    assert by_campaign.impressions.value is None


def test_followers_and_net_growth_per_period(membership, world):
    found = readers.read_community(membership, MARCH)
    assert found.followers.value == 170 + 1300
    assert found.followers.previous == 139
    # Mastodon 139 -> 170; X from its first reading, 1000 -> 1300.
    assert found.net_growth.value == 31 + 300
    assert found.net_growth.previous == 139 - 108


def test_engagement_rate_per_follower_on_mastodon_and_per_impression_on_x(membership, world):
    found = readers.read_community(membership, MARCH)
    rates = {r.network: r for r in found.rates}
    assert rates["mastodon"].basis == PER_FOLLOWER
    assert rates["mastodon"].rate.value == pytest.approx(20 / 170 * 100)
    assert rates["mastodon"].rate.previous == pytest.approx(5 / 139 * 100)
    assert rates["x"].basis == PER_IMPRESSION
    assert rates["x"].rate.value == pytest.approx(45 / 1500 * 100)
    assert found.engagement_rate.value is None  # two bases: no honest total


def test_engaged_returning_people_and_conversation_depth(membership, world):
    found = readers.read_community(membership, MARCH)
    assert found.engaged_users.value == 2 and found.engaged_users.previous == 1
    assert found.returning_engagers.value == 1  # Lena, in two weeks
    assert found.returning_share.value == pytest.approx(100 / 3)
    assert found.returning_engagers.previous == 0
    assert found.conversation_depth.value == pytest.approx(2 / 3)
    assert found.conversation_depth.previous == pytest.approx(1.0)


def test_care_answered_share_response_times_and_sentiment(membership, world):
    found = readers.read_care(membership, MARCH)
    assert found.inbound.value == 3  # the spam message is not counted
    assert found.answered_share.value == pytest.approx(200 / 3)
    assert found.answered_share.previous == pytest.approx(100.0)
    assert found.first_response.median.value == pytest.approx(75.0)
    assert found.first_response.p90.value == pytest.approx(111.0)
    assert found.first_response.waiting.value == 1
    assert found.inside_hours.median.value == pytest.approx(30.0)  # Monday 11:00
    assert found.outside_hours.median.value == pytest.approx(120.0)  # Saturday
    assert found.sentiment_score.value == pytest.approx(50.0)
    assert found.sentiment_score.previous == pytest.approx(100.0)


def test_the_team_counts_each_persons_answers(membership, world):
    rows = readers.read_team(membership, MARCH)
    assert [(r.name, r.replies.value, r.replies.previous) for r in rows] == [
        ("Alice", 1, 0),
        ("Bob", 1, 1),
    ]
    assert rows[1].first_response.median.value == pytest.approx(30.0)


def test_daily_series_count_posts_on_their_local_day(membership, world):
    series = readers.read_daily_series(membership, MARCH)
    day = {d: i for i, d in enumerate(series.days)}
    first, second = day[date(2026, 3, 1)], day[date(2026, 3, 2)]
    assert series.series("followers")[first] == 140 + 1000
    assert series.series("impressions")[first] == 50
    # Published at 23:30 UTC on 1 March: 00:30 on 2 March in Berlin.
    assert series.series("posts")[first] == 0
    assert series.series("posts")[second] == 1
    assert series.series("engagements")[second] == 10
    assert series.series("messages_in")[second] == 1
    assert series.series("messages_out")[second] == 1
    assert series.series("messages_in")[day[date(2026, 3, 5)]] == 0  # spam only


def test_the_weekday_hour_matrix_keeps_local_hours_across_the_change_of_clocks(membership, world):
    matrix = readers.read_weekday_hour(membership, MARCH, Filters(network="mastodon"))
    # 08:30 UTC on Friday 27 March and 07:30 UTC on Monday 30 March are both 09:30 local.
    assert matrix.cell(4, 9).posts == 1
    assert matrix.cell(0, 9).posts == 1
    assert matrix.cell(0, 0).posts == 1  # 00:30 on Monday 2 March
    assert matrix.posts == 3


def test_breakdowns_by_network_pillar_and_campaign(membership, world):
    networks = readers.read_breakdown(membership, MARCH, by="network")
    assert {r.key: r.value for r in networks.engagements.rows} == {"mastodon": 60, "x": 145}
    pillars = readers.read_breakdown(membership, MARCH, by="pillar")
    assert [(r.label, r.value) for r in pillars.posts.rows] == [
        ("No pillar", 4),
        ("Röstung", 2),
    ]
    campaigns = readers.read_breakdown(membership, MARCH, by="campaign")
    assert {r.label: r.value for r in campaigns.posts.rows} == {"No campaign": 5, "Frühling": 1}
    with pytest.raises(ValueError):
        readers.read_breakdown(membership, MARCH, by="colour")


def test_top_posts_by_engagements(membership, world):
    top = readers.read_top_posts(membership, MARCH, limit=3)
    assert [p.engagements for p in top] == [100, 30, 30]
    assert top[1].network == "mastodon"  # the newer of two equals first


def test_plan_vs_actual_measures_goals_cadence_and_pillar_mix(membership, world):
    found = readers_plan.read_plan_vs_actual(membership, MARCH, today=date(2026, 3, 31))
    goals = {g.goal.metric: g for g in found.goals}
    assert goals["follower_growth"].actual == 331
    assert goals["follower_growth"].status is GoalStatus.REACHED
    assert goals["publications"].actual == 3
    assert goals["publications"].status is GoalStatus.ON_TRACK
    cadence = {row.network: row for row in found.cadence}
    assert cadence["mastodon"].planned == 6  # six weeks touch March
    assert cadence["mastodon"].published == 3
    assert cadence["x"].planned == 0
    assert found.has_plan
    assert {row.name: row.count for row in found.pillars.rows}["Röstung"] == 2


def test_a_goal_not_yet_begun_has_no_actual(membership, world):
    found = readers_plan.read_plan_vs_actual(membership, MARCH, today=date(2026, 2, 1))
    assert {g.goal.metric: g.actual for g in found.goals}["follower_growth"] is None


def test_each_reader_costs_a_fixed_number_of_queries(membership, world):
    budgets = {
        readers.read_visibility: 2,
        readers.read_community: 6,
        readers.read_care: 4,
        readers.read_team: 3,
        readers.read_daily_series: 3,
        readers.read_weekday_hour: 1,
    }
    assert membership.workspace  # loaded once, as the page's membership has it
    # Whether the daily totals answer is asked once a page, before its first reader.
    totals_usable(membership.workspace)
    for reader, budget in budgets.items():
        with CaptureQueriesContext(connection) as queries:
            reader(membership, MARCH)
        assert len(queries) <= budget, (reader.__name__, len(queries))


def test_another_workspace_sees_only_its_own_figures(carol_membership, world):
    community = readers.read_community(carol_membership, MARCH)
    assert community.followers.value == 99_999
    assert community.engaged_users.value == 1
    seen = readers.read_visibility(carol_membership, MARCH)
    assert seen.impressions.value == 5000
    assert readers_plan.read_plan_vs_actual(carol_membership, MARCH).goals == ()


def test_filters_naming_another_workspaces_account_or_pillar_find_nothing(membership, world):
    foreign = Filters(account_id=world.other_account.pk)
    assert readers.read_community(membership, MARCH, foreign).followers.value is None
    assert readers.read_top_posts(membership, MARCH, foreign) == ()
    assert readers.read_care(membership, MARCH, foreign).inbound.value == 0


def test_filters_from_query_parameters_drop_what_names_nothing():
    found = filters_from({"network": "myspace", "account": "12", "campaign": "x1", "pillar": "³"})
    assert found == Filters(network="", account_id=12)
    assert filters_from({"network": "mastodon"}).network == "mastodon"


def test_the_shares_from_the_network_days_are_the_grouped_breakdowns(membership, world):
    for filters in (Filters(), Filters(network="mastodon")):
        days = readers.read_network_days(membership, MARCH, filters)
        assert readers.network_breakdown(days) == readers.read_breakdown(
            membership, MARCH, filters, by="network"
        )
        assert sum(posts for posts, _e in days.per_day().values()) == sum(
            row.value for row in readers.read_breakdown(membership, MARCH, filters).posts.rows
        )
