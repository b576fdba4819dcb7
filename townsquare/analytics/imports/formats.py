"""The analytics exports Townsquare reads, recognised by their header row.

Pure: no Django. Column names are compared normalised (lower case, letters and digits only,
see bulk.parsing.normalise_header), so "Post id", "Post ID" and "post_id" are one column.
Where the layouts come from:
- X, "Content" export of account analytics (2024 and later): Post id, Date ("Fri, Apr 26,
  2024"), Post text, Post Link, Impressions, Likes, Engagements, Bookmarks, Shares, New
  follows, Replies, Reposts, Profile visits, Detail Expands, URL Clicks, ...
- X, the earlier "Tweet activity" export: Tweet id, Tweet permalink, Tweet text, time
  ("2026-08-15 13:12:39 +0000"), impressions, engagements, engagement rate, retweets,
  replies, likes, user profile clicks, url clicks, ...
- Meta Business Suite per-post exports, UTF-8 with a byte order mark, "Publish time" as
  "MM/DD/YYYY HH:MM" in the exporting person's zone: Facebook ("Post ID", "Page ID", "Page
  name", Title, Description, ..., Views or, before 2025, Impressions, Reach, Reactions,
  Comments, Shares, "Link Clicks"...) and Instagram ("Post ID", "Account ID", "Account
  username", ..., Views, Reach, Likes, Shares, Follows, Comments, Saves).
- LinkedIn page analytics, "All posts" sheet of the content export saved as CSV (LinkedIn
  exports a spreadsheet): Post title, Post link, Post type, ..., Created date
  ("MM/DD/YYYY"), Impressions, Clicks, Likes, Comments, Reposts, ... This layout is taken
  from LinkedIn's help and has not been checked against a real file here: columns are
  matched by name, and one that is missing is reported, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from townsquare.bulk.parsing import normalise_header


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str  # the network's own name for the export (not translated: it is a product name)
    networks: tuple[str, ...]  # which account networks the export belongs to
    id_column: str
    time_column: str
    time_formats: tuple[str, ...]  # strptime formats, tried in order
    text_columns: tuple[str, ...] = ()
    url_column: str = ""
    # Normalised header -> canonical metric (metric_names.POST_METRICS).
    metrics: dict[str, str] = field(default_factory=dict)
    # Normalised headers that must all be there for the file to be this export.
    signature: tuple[str, ...] = ()
    # The id is the last part of the link (LinkedIn's export carries no id column).
    id_from_url: bool = False

    def columns(self) -> tuple[str, ...]:
        return (self.id_column, self.time_column, *self.text_columns, self.url_column)


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(
        key="x_content",
        label="X – Account analytics, Content",
        networks=("x",),
        id_column="postid",
        time_column="date",
        time_formats=("%a, %b %d, %Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S %z"),
        text_columns=("posttext",),
        url_column="postlink",
        metrics={
            "impressions": "impressions",
            "likes": "likes",
            "reposts": "reposts",
            "replies": "replies",
            "bookmarks": "saves",
            "urlclicks": "link_clicks",
        },
        signature=("postid", "date"),
    ),
    ExportFormat(
        key="x_tweet_activity",
        label="X – Tweet activity",
        networks=("x",),
        id_column="tweetid",
        time_column="time",
        time_formats=("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d"),
        text_columns=("tweettext",),
        url_column="tweetpermalink",
        metrics={
            "impressions": "impressions",
            "likes": "likes",
            "retweets": "reposts",
            "replies": "replies",
            "urlclicks": "link_clicks",
        },
        signature=("tweetid", "time"),
    ),
    ExportFormat(
        key="meta_facebook",
        label="Meta Business Suite – Facebook posts",
        networks=("facebook_page",),
        id_column="postid",
        time_column="publishtime",
        time_formats=("%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%z"),
        text_columns=("title", "description"),
        url_column="permalink",
        metrics={
            "views": "views",
            "impressions": "impressions",
            "reach": "reach",
            "reactions": "likes",
            "comments": "replies",
            "shares": "reposts",
            "linkclicks": "link_clicks",
        },
        signature=("postid", "pageid", "publishtime"),
    ),
    ExportFormat(
        key="meta_instagram",
        label="Meta Business Suite – Instagram posts",
        networks=("instagram",),
        id_column="postid",
        time_column="publishtime",
        time_formats=("%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%z"),
        text_columns=("description",),
        url_column="permalink",
        metrics={
            "views": "views",
            "impressions": "impressions",
            "reach": "reach",
            "likes": "likes",
            "comments": "replies",
            "shares": "reposts",
            "saves": "saves",
        },
        signature=("postid", "accountid", "publishtime"),
    ),
    ExportFormat(
        key="linkedin_posts",
        label="LinkedIn – Page analytics, All posts",
        networks=("linkedin_page", "linkedin_profile"),
        id_column="postlink",
        time_column="createddate",
        time_formats=("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%Y %H:%M"),
        text_columns=("posttitle",),
        url_column="postlink",
        metrics={
            "impressions": "impressions",
            "likes": "likes",
            "comments": "replies",
            "reposts": "reposts",
        },
        signature=("postlink", "createddate"),
        id_from_url=True,
    ),
)

FORMATS_BY_KEY = {export.key: export for export in FORMATS}


def detect(headers: tuple[str, ...]) -> ExportFormat | None:
    """The export whose signature columns are all among `headers` (the most specific first)."""
    present = {normalise_header(header) for header in headers}
    matching = [export for export in FORMATS if set(export.signature) <= present]
    if not matching:
        return None
    return max(matching, key=lambda export: len(export.signature))


def formats_for(network: str) -> tuple[ExportFormat, ...]:
    return tuple(export for export in FORMATS if network in export.networks)
