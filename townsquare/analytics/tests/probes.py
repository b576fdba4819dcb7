"""Objects of the foreign workspace for the tenancy and query probes (analytics routes)."""

from django.utils import timezone

from townsquare.analytics.models import PostSnapshot, TrackedPost
from townsquare.networks.models import SocialAccount
from townsquare.testing.tenancy import probe_kwarg


@probe_kwarg("tracked_post_id")
def foreign_tracked_post(world):
    account, _ = SocialAccount.objects.get_or_create(
        workspace=world.foreign, network="mastodon", handle="@probe@example.social"
    )
    now = timezone.now()
    post, created = TrackedPost.objects.get_or_create(
        account=account,
        network_post_id="probe-post",
        defaults={
            "workspace": world.foreign,
            "network": "mastodon",
            "published_at": now,
            "text_excerpt": "Nur für B",
            "likes": 3,
            "engagements": 3,
            "metrics_at": now,
        },
    )
    if created:
        PostSnapshot.objects.create(post=post, taken_at=now, likes=3)
    return post.pk


@probe_kwarg("schedule_id")
def foreign_report_schedule(world):
    from townsquare.analytics.models import ReportSchedule

    schedule = ReportSchedule.objects.filter(workspace=world.foreign).first()
    if schedule is None:
        schedule = ReportSchedule.objects.create(
            workspace=world.foreign, frequency="weekly", next_send_at=timezone.now()
        )
    return schedule.pk
