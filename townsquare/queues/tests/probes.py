from datetime import time

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.queues.models import Series, SeriesOccurrence, Slot
from townsquare.testing.tenancy import probe_kwarg


def _foreign_account(world):
    account, _ = SocialAccount.objects.get_or_create(
        workspace=world.foreign, network="x", handle="@probe"
    )
    return account


@probe_kwarg("slot_id")
def foreign_slot(world):
    slot, _ = Slot.objects.get_or_create(
        workspace=world.foreign, account=_foreign_account(world), weekday=0, time=time(9, 0)
    )
    return slot.pk


def _foreign_occurrence(world):
    post, _ = Post.objects.get_or_create(
        workspace=world.foreign, master_text="Nur für B (Serie)", defaults={"language": "de"}
    )
    series, _ = Series.objects.get_or_create(
        workspace=world.foreign,
        rrule="FREQ=WEEKLY;COUNT=2",
        defaults={"first_local": "2030-01-07T09:00", "time_zone": "Europe/London"},
    )
    occurrence, _ = SeriesOccurrence.objects.get_or_create(
        series=series, post=post, defaults={"index": 0, "local_time": "2030-01-07T09:00"}
    )
    return occurrence


@probe_kwarg("series_id")
def foreign_series(world):
    return _foreign_occurrence(world).series_id


@probe_kwarg("occurrence_id")
def foreign_occurrence(world):
    return _foreign_occurrence(world).pk
