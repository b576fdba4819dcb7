"""Community KPIs: followers, growth, engagement rate per network, engaged and returning
people, conversation depth (pure)."""

import pytest

from townsquare.analytics.kpis.community import (
    PER_FOLLOWER,
    PER_IMPRESSION,
    CommunityInput,
    EngagementInput,
    FollowerInput,
    community,
    engagement_rate,
)

EMPTY = CommunityInput()


def test_without_any_data_the_community_figures_are_unknown_or_zero_people():
    found = community(EMPTY, EMPTY)
    assert found.followers.value is None
    assert found.net_growth.value is None
    assert found.engagement_rate.value is None
    assert found.engaged_users.value == 0
    assert found.returning_share.value is None
    assert found.conversation_depth.value is None


def test_followers_are_summed_and_growth_counts_only_accounts_read_at_both_ends():
    rows = (
        FollowerInput("mastodon", 1, at_start=100, at_end=130),
        FollowerInput("bluesky", 2, at_start=None, at_end=50),
        FollowerInput("x", 3, at_start=200, at_end=190),
    )
    found = community(CommunityInput(followers=rows), EMPTY)
    assert found.followers.value == 370
    assert found.net_growth.value == 20  # +30 and -10; Bluesky has no start
    assert found.followers.previous is None


def test_engagement_per_follower_on_networks_without_impressions():
    # 3 posts, 30 engagements: 10 per post, on 1000 followers: 1 %.
    bluesky = EngagementInput("bluesky", posts=3, engagements=30, followers=1000)
    assert engagement_rate(bluesky) == pytest.approx(1.0)
    found = community(CommunityInput(engagement=(bluesky,)), EMPTY)
    assert found.rates[0].basis == PER_FOLLOWER
    assert found.engagement_basis == PER_FOLLOWER
    assert found.engagement_rate.value == pytest.approx(1.0)


def test_engagement_per_impression_where_the_network_counts_impressions():
    x = EngagementInput(
        "x",
        posts=4,
        engagements=60,
        followers=5000,
        impressions=1000,
        engagements_with_impressions=50,
    )
    assert engagement_rate(x) == pytest.approx(5.0)
    assert community(CommunityInput(engagement=(x,)), EMPTY).rates[0].basis == PER_IMPRESSION


def test_a_network_meant_per_impression_without_impressions_falls_back_to_followers():
    x = EngagementInput("x", posts=2, engagements=20, followers=100, impressions=None)
    found = community(CommunityInput(engagement=(x,)), EMPTY)
    assert found.rates[0].basis == PER_FOLLOWER
    assert found.rates[0].rate.value == pytest.approx(10.0)


def test_no_posts_or_no_followers_give_an_unknown_rate_not_zero():
    assert engagement_rate(EngagementInput("mastodon", 0, 0, 100)) is None
    assert engagement_rate(EngagementInput("mastodon", 2, 5, None)) is None
    assert engagement_rate(EngagementInput("mastodon", 2, 5, 0)) is None


def test_the_overall_rate_is_unknown_when_networks_measure_it_differently():
    rows = (
        EngagementInput("bluesky", 2, 20, 100),
        EngagementInput("x", 2, 20, 100, impressions=400, engagements_with_impressions=20),
    )
    found = community(CommunityInput(engagement=rows), EMPTY)
    assert found.engagement_rate.value is None
    assert found.engagement_basis == ""
    assert {r.network: r.rate.value for r in found.rates} == pytest.approx(
        {"bluesky": 10.0, "x": 5.0}
    )


def test_the_overall_rate_per_follower_weighs_each_network_by_its_followers():
    rows = (
        EngagementInput("bluesky", posts=1, engagements=10, followers=100),
        EngagementInput("mastodon", posts=1, engagements=10, followers=900),
    )
    found = community(CommunityInput(engagement=rows), EMPTY)
    assert found.engagement_rate.value == pytest.approx(2.0)  # 20 / (100 + 900)


def test_a_previous_rate_on_another_basis_is_not_compared():
    now = CommunityInput(
        engagement=(
            EngagementInput("x", 1, 5, 10, impressions=100, engagements_with_impressions=5),
        )
    )
    before = CommunityInput(engagement=(EngagementInput("x", 1, 5, 10),))
    found = community(now, before)
    assert found.engagement_rate.value == pytest.approx(5.0)
    assert found.engagement_rate.previous is None


def test_returning_engagers_wrote_in_two_or_more_of_the_weeks():
    data = CommunityInput(weeks_engaged={1: 5, 2: 3, 4: 2}, returning_weeks=8)
    found = community(data, EMPTY)
    assert found.returning_engagers.value == 5
    assert found.returning_share.value == pytest.approx(50.0)
    assert found.returning_weeks == 8


def test_conversation_depth_counts_the_messages_after_the_first():
    data = CommunityInput(conversations=4, conversation_messages=10)
    assert community(data, EMPTY).conversation_depth.value == pytest.approx(1.5)
