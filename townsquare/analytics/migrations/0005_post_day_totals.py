"""Posts get their local day and hour of the week, and their daily totals a table kept by
the database's own triggers (models_rollup.py says why)."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import django.db.models.deletion
from django.db import migrations, models

COUNTERS = ("impressions", "views", "reach", "link_clicks")
KEY = ("account_id", "network", "local_day")


def _zone(name):
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_times(apps, schema_editor):
    """Existing posts: their local day and hour in their workspace's zone."""
    TrackedPost = apps.get_model("analytics", "TrackedPost")
    Workspace = apps.get_model("workspaces", "Workspace")
    PostLocalZone = apps.get_model("analytics", "PostLocalZone")
    for workspace in Workspace.objects.filter(tracked_posts__isnull=False).distinct():
        zone = _zone(workspace.time_zone)
        PostLocalZone.objects.create(workspace=workspace, time_zone=zone.key)
        batch = []
        for post in TrackedPost.objects.filter(workspace=workspace).only("pk", "published_at"):
            local = post.published_at.astimezone(zone)
            post.local_day, post.local_slot = local.date(), local.weekday() * 24 + local.hour
            batch.append(post)
            if len(batch) >= 2000:
                TrackedPost.objects.bulk_update(batch, ["local_day", "local_slot"])
                batch = []
        TrackedPost.objects.bulk_update(batch, ["local_day", "local_slot"])


# --- the triggers: one statement adds a post's counters to its day, one takes them away --------

SUM_COLUMNS = (
    "posts",
    "engagements",
    "engaged_with_impressions",
    *COUNTERS,
    *(f"{c}_known" for c in COUNTERS),
)


def _values(row):
    """The summed columns' values for one post (`row`: NEW or OLD)."""
    values = ["1", f"{row}.engagements",
              f"CASE WHEN {row}.impressions IS NULL THEN 0 ELSE {row}.engagements END"]
    values += [f"COALESCE({row}.{c}, 0)" for c in COUNTERS]
    values += [f"CASE WHEN {row}.{c} IS NULL THEN 0 ELSE 1 END" for c in COUNTERS]
    return values


def _add(table_prefix=""):
    columns = ", ".join(("workspace_id", *KEY, *SUM_COLUMNS))
    values = ", ".join(("NEW.workspace_id", *(f"NEW.{k}" for k in KEY), *_values("NEW")))
    updates = ", ".join(
        f"{c} = analytics_postdaytotal.{c} + excluded.{c}" for c in SUM_COLUMNS
    )
    return (
        f"INSERT INTO analytics_postdaytotal ({columns}) VALUES ({values}) "
        f"ON CONFLICT (local_day, account_id, network) DO UPDATE SET {updates}"
    )


def _take_away():
    where = " AND ".join(f"{k} = OLD.{k}" for k in KEY)
    sets = ", ".join(f"{c} = {c} - {v}" for c, v in zip(SUM_COLUMNS, _values("OLD")))
    return (
        f"UPDATE analytics_postdaytotal SET {sets} WHERE {where}; "
        f"DELETE FROM analytics_postdaytotal WHERE {where} AND posts <= 0"
    )


# Only a change of what the totals count moves them (not every new snapshot time).
WATCHED = ("local_day", "account_id", "network", "engagements", *COUNTERS)


def _changed(distinct):
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in WATCHED)


SQLITE = [
    "CREATE TRIGGER analytics_post_day_insert AFTER INSERT ON analytics_trackedpost "
    f"BEGIN {_add()}; END",
    "CREATE TRIGGER analytics_post_day_delete AFTER DELETE ON analytics_trackedpost "
    f"BEGIN {_take_away()}; END",
    "CREATE TRIGGER analytics_post_day_update AFTER UPDATE ON analytics_trackedpost "
    f"WHEN {_changed('IS NOT')} BEGIN {_take_away()}; {_add()}; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS analytics_post_day_insert",
    "DROP TRIGGER IF EXISTS analytics_post_day_delete",
    "DROP TRIGGER IF EXISTS analytics_post_day_update",
]
POSTGRESQL = [
    "CREATE FUNCTION analytics_post_day_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_take_away()}; END IF; "
    f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add()}; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER analytics_post_day_write AFTER INSERT OR DELETE ON analytics_trackedpost "
    "FOR EACH ROW EXECUTE FUNCTION analytics_post_day_change()",
    "CREATE TRIGGER analytics_post_day_update AFTER UPDATE ON analytics_trackedpost "
    f"FOR EACH ROW WHEN ({_changed('IS DISTINCT FROM')}) "
    "EXECUTE FUNCTION analytics_post_day_change()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS analytics_post_day_update ON analytics_trackedpost",
    "DROP TRIGGER IF EXISTS analytics_post_day_write ON analytics_trackedpost",
    "DROP FUNCTION IF EXISTS analytics_post_day_change()",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"No daily-total triggers for the {vendor} database")
    _run(schema_editor, SQLITE if vendor == "sqlite" else POSTGRESQL)
    # Existing posts summed once; from here on the triggers keep the totals.
    columns = ", ".join(("workspace_id", *KEY, *SUM_COLUMNS))
    sums = ", ".join(
        ["COUNT(*)", "SUM(engagements)",
         "SUM(CASE WHEN impressions IS NULL THEN 0 ELSE engagements END)"]
        + [f"COALESCE(SUM({c}), 0)" for c in COUNTERS]
        + [f"COUNT({c})" for c in COUNTERS]
    )
    schema_editor.execute(
        f"INSERT INTO analytics_postdaytotal ({columns}) "
        f"SELECT workspace_id, account_id, network, local_day, {sums} "
        "FROM analytics_trackedpost GROUP BY workspace_id, account_id, network, local_day",
        params=None,
    )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, SQLITE_DROP if vendor == "sqlite" else POSTGRESQL_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("analytics", "0004_dashboard_index"),
        ("networks", "0004_account_removal_keeps_history"),
        ("workspaces", "0002_invitation_email_outcome"),
    ]

    operations = [
        migrations.CreateModel(
            name="PostLocalZone",
            fields=[
                (
                    "workspace",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="post_local_zone",
                        serialize=False,
                        to="workspaces.workspace",
                    ),
                ),
                ("time_zone", models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name="trackedpost",
            name="local_day",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="trackedpost",
            name="local_slot",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(local_times, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="trackedpost",
            name="local_day",
            field=models.DateField(),
        ),
        migrations.AlterField(
            model_name="trackedpost",
            name="local_slot",
            field=models.PositiveSmallIntegerField(),
        ),
        migrations.AddIndex(
            model_name="trackedpost",
            index=models.Index(
                fields=["workspace", "engagements", "published_at", "id"],
                name="tracked_post_top",
            ),
        ),
        migrations.AddIndex(
            model_name="trackedpost",
            index=models.Index(
                fields=["workspace", "local_day", "network", "account", "local_slot", "engagements"],
                name="tracked_post_slots",
            ),
        ),
        migrations.CreateModel(
            name="PostDayTotal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("network", models.CharField(max_length=32)),
                ("local_day", models.DateField()),
                ("posts", models.IntegerField(default=0)),
                ("engagements", models.BigIntegerField(default=0)),
                ("engaged_with_impressions", models.BigIntegerField(default=0)),
                ("impressions", models.BigIntegerField(default=0)),
                ("impressions_known", models.IntegerField(default=0)),
                ("views", models.BigIntegerField(default=0)),
                ("views_known", models.IntegerField(default=0)),
                ("reach", models.BigIntegerField(default=0)),
                ("reach_known", models.IntegerField(default=0)),
                ("link_clicks", models.BigIntegerField(default=0)),
                ("link_clicks_known", models.IntegerField(default=0)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="post_day_totals",
                        to="networks.socialaccount",
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="post_day_totals",
                        to="workspaces.workspace",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=[
                            "workspace", "local_day", "network", "account", "posts", "engagements",
                            "engaged_with_impressions", "impressions", "views", "reach", "link_clicks",
                            "impressions_known", "views_known", "reach_known", "link_clicks_known",
                        ],
                        name="post_day_total_by_day",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("local_day", "account", "network"), name="one_post_day_total"
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
