"""A small, fully known history for the reader tests (figures worked out by hand in the
comments), and a second workspace whose data must never show up in the first one's.

Period under test: March 2026 in Berlin; its previous period is 29 January - 28 February.
The clocks went forward on Sunday 29 March 2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.models import AccountSnapshot, TrackedPost
from townsquare.compliance.tests.factories import account, plan, publication
from townsquare.inbox.models import Contact, Conversation, InboxSettings, Message
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Goal, Pillar
from townsquare.workspaces.models import Workspace

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass
class World:
    masto: SocialAccount
    x: SocialAccount
    pillar: Pillar
    campaign: Campaign
    other_account: SocialAccount


def tracked(
    acct: SocialAccount, key: str, at: datetime, engagements: int, **counters
) -> TrackedPost:
    pillar = counters.pop("pillar", None)
    campaign = counters.pop("campaign", None)
    pub = publication(acct, at, "published", pillar=pillar, campaign=campaign)
    return TrackedPost.objects.create(
        workspace=acct.workspace,
        account=acct,
        network=acct.network,
        network_post_id=key,
        publication=pub,
        published_at=at,
        likes=engagements,
        engagements=engagements,
        metrics_at=at + timedelta(days=1),
        **counters,
    )


def day_snapshots(acct: SocialAccount, first: date, last: date, **per_day) -> None:
    """One snapshot a day; each keyword is a function of the day's number from `first`."""
    day, n = first, 0
    while day <= last:
        AccountSnapshot.objects.create(
            workspace=acct.workspace,
            account=acct,
            day=day,
            taken_at=datetime(day.year, day.month, day.day, 23, tzinfo=UTC),
            **{name: f(n) for name, f in per_day.items()},
        )
        day += timedelta(days=1)
        n += 1


def talk(
    acct: SocialAccount,
    handle: str,
    at: datetime,
    *,
    sentiment: str = "neutral",
    answer_after: int | None = None,
    by=None,
    spam: str = "ok",
) -> Conversation:
    contact, _ = Contact.objects.get_or_create(
        workspace=acct.workspace,
        network=acct.network,
        handle=handle,
        defaults={"first_seen_at": at, "last_seen_at": at},
    )
    answered = at + timedelta(minutes=answer_after) if answer_after is not None else None
    conversation = Conversation.objects.create(
        workspace=acct.workspace,
        account=acct,
        network_conversation_id=f"{handle}-{at:%Y%m%d%H%M}",
        contact=contact,
        first_message_at=at,
        last_message_at=answered or at,
        first_responded_at=answered,
        sentiment=sentiment,
        is_spam=spam != "ok",
    )
    Message.objects.create(
        workspace=acct.workspace,
        conversation=conversation,
        account=acct,
        network_message_id=f"in-{conversation.pk}",
        kind="mention",
        contact=contact,
        author_handle=handle,
        text="Frage zur Lieferung",
        created_at=at,
        sentiment=sentiment,
        spam=spam,
    )
    if answered is not None:
        Message.objects.create(
            workspace=acct.workspace,
            conversation=conversation,
            account=acct,
            network_message_id=f"out-{conversation.pk}",
            kind="outbound",
            author_handle=acct.handle,
            text="Danke, wir kümmern uns.",
            created_at=answered,
            sent_by=by,
        )
    return conversation


def build(workspace_a: Workspace, workspace_b: Workspace, alice, bob) -> World:
    masto = account(workspace_a, "mastodon")
    x = account(workspace_a, "x")
    pillar = Pillar.objects.create(workspace=workspace_a, name="Röstung", target_share=50)
    campaign = Campaign.objects.create(
        workspace=workspace_a,
        name="Frühling",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 4, 30),
    )
    # Mastodon followers: 100 on 20 January, one more each day: 108 on 28 January,
    # 139 on 28 February, 170 on 31 March. Mastodon reports no impressions.
    day_snapshots(masto, date(2026, 1, 20), date(2026, 3, 31), followers=lambda n: 100 + n)
    # X only since March: 1000 followers on 1 March, 10 more a day (1300 on 31 March),
    # 50 impressions a day (1550 in March).
    day_snapshots(
        x,
        date(2026, 3, 1),
        date(2026, 3, 31),
        followers=lambda n: 1000 + 10 * n,
        impressions=lambda n: 50,
    )
    # Mastodon posts in March: 10 + 20 + 30 engagements. The first is at 00:30 on 2 March
    # in Berlin; the other two both at 09:30 local time, either side of the change of clocks.
    tracked(masto, "m1", utc(2026, 3, 1, 23, 30), 10, pillar=pillar, campaign=campaign)
    tracked(masto, "m2", utc(2026, 3, 27, 8, 30), 20)
    tracked(masto, "m3", utc(2026, 3, 30, 7, 30), 30)
    tracked(masto, "m0", utc(2026, 2, 10, 12, 0), 5)  # previous period
    # X posts in March: 45 engagements on 1500 impressions, and one without impressions.
    tracked(x, "x1", utc(2026, 3, 10, 12, 0), 30, impressions=1000, pillar=pillar)
    tracked(x, "x2", utc(2026, 3, 11, 12, 0), 15, impressions=500)
    tracked(x, "x3", utc(2026, 3, 12, 12, 0), 100)
    InboxSettings.objects.create(
        workspace=workspace_a,
        business_hours={d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    )
    # Lena writes on Monday 2 March at 11:00 local time (answered by Bob after 30 minutes)
    # and on 20 March (not answered): two weeks. Max writes on Saturday 7 March (answered by
    # Alice after two hours). Ida wrote in February (answered by Bob after an hour). A spam
    # message counts nowhere.
    talk(masto, "@lena", utc(2026, 3, 2, 10, 0), sentiment="negative", answer_after=30, by=bob)
    talk(masto, "@lena", utc(2026, 3, 20, 10, 0))
    talk(masto, "@max", utc(2026, 3, 7, 10, 0), sentiment="positive", answer_after=120, by=alice)
    talk(masto, "@ida", utc(2026, 2, 10, 10, 0), sentiment="positive", answer_after=60, by=bob)
    talk(masto, "@spam", utc(2026, 3, 5, 10, 0), sentiment="negative", spam="spam")
    # The plan: one Mastodon post a week; two goals.
    the_plan = plan(workspace_a, {"mastodon": 1})
    Goal.objects.create(
        plan=the_plan,
        metric="follower_growth",
        target=100,
        starts_on=date(2026, 3, 1),
        due_on=date(2026, 6, 30),
    )
    Goal.objects.create(
        plan=the_plan,
        metric="publications",
        network="mastodon",
        target=10,
        starts_on=date(2026, 3, 1),
        due_on=date(2026, 6, 30),
    )
    # Another workspace, with figures that would stand out.
    other = account(workspace_b, "mastodon")
    day_snapshots(other, date(2026, 1, 1), date(2026, 3, 31), followers=lambda n: 99_999)
    tracked(other, "b1", utc(2026, 3, 2, 10, 0), 777, impressions=5000)
    talk(other, "@lena", utc(2026, 3, 3, 10, 0), sentiment="positive", answer_after=1)
    return World(masto=masto, x=x, pillar=pillar, campaign=campaign, other_account=other)
