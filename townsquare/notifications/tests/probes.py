from townsquare.notifications.models import Notification
from townsquare.testing.tenancy import probe_kwarg


@probe_kwarg("notification_id")
def foreign_notification(world):
    notification, _ = Notification.objects.get_or_create(
        workspace=world.foreign,
        recipient=world.foreign_owner,
        kind="publication_failed",
        defaults={"title": "Nur für B"},
    )
    return notification.pk
