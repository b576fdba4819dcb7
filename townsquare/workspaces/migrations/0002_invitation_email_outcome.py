from django.db import migrations, models


def earlier_invitations_were_sent(apps, schema_editor):
    # Before this, the e-mail went out with the request that made the invitation.
    invitations = apps.get_model("workspaces", "Invitation")
    invitations.objects.filter(email_sent_at__isnull=True).update(
        email_sent_at=models.F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="email_failed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="email_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(earlier_invitations_were_sent, migrations.RunPython.noop),
    ]
