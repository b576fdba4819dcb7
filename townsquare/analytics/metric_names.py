"""The canonical metric names Townsquare keeps, whatever a network calls them.

Pure: no Django. Each network's own names are translated to these by a versioned metric map
(metric_maps.py), so that a network renaming or replacing a metric keeps history comparable.
A metric a network does not report is stored as "unknown" (NULL), never as 0.
"""

from __future__ import annotations

# Counters of one post, as of the moment they were read (cumulative since publication).
POST_METRICS: tuple[str, ...] = (
    "impressions",  # times the post was shown (X, LinkedIn; Meta before 2025)
    "views",  # times the post was viewed (Meta and Threads "views", video views)
    "reach",  # distinct people who saw it
    "likes",  # likes, favourites, reactions
    "reposts",  # reposts, boosts, shares
    "replies",  # replies and comments
    "quotes",  # quote posts
    "saves",  # bookmarks and saves
    "link_clicks",  # clicks on the post's link
)

# Counters of one account for one day: followers, following and posts are totals on that
# day; impressions, views, reach, profile visits and link clicks are that day's counts.
ACCOUNT_METRICS: tuple[str, ...] = (
    "followers",
    "following",
    "posts",
    "impressions",
    "views",
    "reach",
    "profile_visits",
    "link_clicks",
)

# The interactions that count as engagement with a post (the numerator of the engagement
# rate; see kpis for the per-network definitions of the denominator).
ENGAGEMENT_METRICS: tuple[str, ...] = (
    "likes",
    "reposts",
    "replies",
    "quotes",
    "saves",
    "link_clicks",
)
