"""Webhook addresses hold secrets: delivery results and the audit log keep them masked from
now on, and this masks what they stored before."""

from django.db import migrations

SETTINGS_ACTION = "publishing_settings.update"


def mask_stored_addresses(apps, schema_editor):
    from townsquare.notifications.webhooks import masked

    deliveries = apps.get_model("notifications", "WebhookDelivery")
    for delivery in deliveries.objects.only("pk", "url").iterator():
        hidden = masked(delivery.url)
        if hidden != delivery.url:
            deliveries.objects.filter(pk=delivery.pk).update(url=hidden)
    events = apps.get_model("audit", "AuditEvent")
    for event in events.objects.filter(action=SETTINGS_ACTION).iterator():
        changed = False
        for side in ("before", "after"):
            values = getattr(event, side)
            if isinstance(values, dict) and values.get("webhook_url"):
                hidden = masked(str(values["webhook_url"]))
                if hidden != values["webhook_url"]:
                    setattr(event, side, {**values, "webhook_url": hidden})
                    changed = True
        if changed:
            event.save(update_fields=["before", "after"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_data_and_webhook_deliveries"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(mask_stored_addresses, migrations.RunPython.noop)]
