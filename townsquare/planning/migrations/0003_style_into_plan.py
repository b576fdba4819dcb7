"""The workspace's style settings become the tone of its social media plan."""

from django.db import migrations

TONE = ("address", "emoji_policy", "max_emoji", "hashtag_policy")


def _snapshot(plan):
    return {
        "summary": plan.summary,
        "time_zone": plan.time_zone,
        "campaign": None,
        "tone": {
            "address": plan.address,
            "formality": plan.formality,
            "emoji_policy": plan.emoji_policy,
            "max_emoji": plan.max_emoji,
            "hashtag_policy": plan.hashtag_policy,
            "max_hashtags": dict(plan.max_hashtags),
            "call_to_action": plan.call_to_action,
            "avoid_words": list(plan.avoid_words),
            "prefer_words": list(plan.prefer_words),
        },
        "networks": [],
        "goals": [],
        "audiences": [],
        "pillars": [],
        "campaigns": [],
    }


def style_into_plan(apps, schema_editor):
    StyleSettings = apps.get_model("content", "StyleSettings")
    Plan = apps.get_model("planning", "Plan")
    PlanVersion = apps.get_model("planning", "PlanVersion")
    for style in StyleSettings.objects.all():
        plan = Plan.objects.filter(workspace_id=style.workspace_id, campaign__isnull=True).first()
        if plan is None:
            plan = Plan(workspace_id=style.workspace_id)
        for name in TONE:
            setattr(plan, name, getattr(style, name))
        plan.max_hashtags = dict(style.max_hashtags or {})
        plan.avoid_words = list(style.banned_words or [])
        plan.version = (plan.version or 0) + 1
        plan.save()
        PlanVersion.objects.create(plan=plan, number=plan.version, snapshot=_snapshot(plan))


def plan_into_style(apps, schema_editor):
    StyleSettings = apps.get_model("content", "StyleSettings")
    Plan = apps.get_model("planning", "Plan")
    for plan in Plan.objects.filter(campaign__isnull=True):
        StyleSettings.objects.update_or_create(
            workspace_id=plan.workspace_id,
            defaults={
                "address": plan.address or "any",
                "emoji_policy": plan.emoji_policy or "free",
                "max_emoji": 3 if plan.max_emoji is None else plan.max_emoji,
                "hashtag_policy": plan.hashtag_policy or "keep_inline",
                "max_hashtags": dict(plan.max_hashtags),
                "banned_words": list(plan.avoid_words),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0002_plan_tone"),
        ("content", "0005_post_audience_post_campaign_post_pillar"),
    ]

    operations = [migrations.RunPython(style_into_plan, plan_into_style)]
