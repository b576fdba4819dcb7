"""Plans get a start: existing plans start on the day they were created (their first
version, else their last change), so compliance no longer counts the weeks before them."""

from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone


def start_on_creation_day(apps, schema_editor):
    Plan = apps.get_model("planning", "Plan")
    first_versions = dict(
        apps.get_model("planning", "PlanVersion")
        .objects.values("plan_id")
        .annotate(first=Min("created_at"))
        .values_list("plan_id", "first")
    )
    for plan in Plan.objects.all().only("pk", "updated_at"):
        created = first_versions.get(plan.pk) or plan.updated_at
        if created is not None:
            Plan.objects.filter(pk=plan.pk).update(starts_on=timezone.localdate(created))


class Migration(migrations.Migration):
    dependencies = [("planning", "0003_style_into_plan")]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="starts_on",
            field=models.DateField(
                default=timezone.localdate, verbose_name="the plan starts on"
            ),
        ),
        migrations.RunPython(start_on_creation_day, migrations.RunPython.noop),
    ]
