"""Demo social media plans: one per demo workspace, with three versions in its history.

Names other seeders look up (the calendar seeds its posts by these names):

Morgenrot Kaffeerösterei (German, per du; LinkedIn per Sie)
  pillars:  "Röstkunst" (35 %), "Herkunft & Fairness" (25 %), "Rezepte & Zubereitung" (25 %),
            "Hinter den Kulissen" (15 %)
  audiences: "Kaffeeliebhaber in Leipzig", "Cafés und Gastronomie"
  campaign: "Jahresauftakt" (from 14 days before the demo was made to 45 days after)
Northwind Outdoor (English)
  pillars:  "Trail guides" (35 %), "Gear know-how" (25 %), "Community stories" (25 %),
            "Behind the scenes" (15 %)
  audiences: "Weekend hikers", "Outdoor beginners"
  campaign: "New Year launch" (the same dates)
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from townsquare.planning.access import campaign_plan, workspace_plan
from townsquare.planning.actions import do_replace_plan, do_save_goal, do_save_network
from townsquare.planning.models import Campaign, Pillar, Plan
from townsquare.workspaces.models import Membership, Workspace
from townsquare.workspaces.roles import Role

MORGENROT = "Morgenrot Kaffeerösterei"
NORTHWIND = "Northwind Outdoor"
PILLARS = {
    MORGENROT: (
        ("Röstkunst", 35, "#8b4513", "Wie wir rösten: Profile, Röstgrade, frische Chargen."),
        ("Herkunft & Fairness", 25, "#2e7d32", "Farmen, Direkthandel und faire Preise."),
        ("Rezepte & Zubereitung", 25, "#1565c0", "Von der Siebträgermaschine bis zur Kanne."),
        ("Hinter den Kulissen", 15, "#6a1b9a", "Menschen aus der Rösterei und dem Laden."),
    ),
    NORTHWIND: (
        ("Trail guides", 35, "#2e7d32", "Routes in the Peak District and beyond."),
        ("Gear know-how", 25, "#1565c0", "Care, repair and choosing the right kit."),
        ("Community stories", 25, "#ef6c00", "Our customers' trips, shared with permission."),
        ("Behind the scenes", 15, "#6a1b9a", "The workshop in Manchester and the team."),
    ),
}
CAMPAIGNS = {MORGENROT: "Jahresauftakt", NORTHWIND: "New Year launch"}
# The demo plans start on a Monday this many weeks back (calendar.py publishes six weeks
# of history).
HISTORY_WEEKS = 8


def _plan(workspace: Workspace, start: datetime.date) -> dict[str, Any]:
    year = start.year + 1 if start.month > 6 else start.year
    german = workspace.name == MORGENROT
    if german:
        networks = [
            {
                "network": "instagram",
                "rationale": "Hier sind unsere Stammkundinnen und -kunden; Bilder verkaufen "
                "Kaffee am besten.",
                "address": "du",
                "emoji_policy": "few",
                "max_emoji": 3,
                "posts_per_week": 4,
                "preferred_days": [0, 2, 4, 5],
                "preferred_times": ["08:30", "18:00"],
            },
            {
                "network": "linkedin_page",
                "rationale": "Gastronomie und Büros als Geschäftskunden gewinnen.",
                "address": "sie",
                "formality": "formal",
                "emoji_policy": "none",
                "max_hashtags": 3,
                "call_to_action": "Fordern Sie unser Angebot für Büros an.",
                "posts_per_week": 2,
                "preferred_days": [1, 2, 3],
                "preferred_times": ["09:00"],
            },
            {
                "network": "mastodon",
                "rationale": "Eine kleine, treue Gemeinschaft in Leipzig, die gern diskutiert.",
                "address": "du",
                "posts_per_week": 5,
                "preferred_days": [0, 1, 2, 3, 4],
                "preferred_times": ["12:00"],
            },
            {
                "network": "bluesky",
                "rationale": "Wächst schnell; wir testen, wer uns hier folgt.",
                "posts_per_week": 3,
                "preferred_days": [1, 3, 5],
                "preferred_times": ["17:30"],
            },
        ]
        audiences = [
            {
                "name": "Kaffeeliebhaber in Leipzig",
                "who": "25 bis 45 Jahre, kaufen Bohnen im Laden oder im Abo.",
                "cares_about": "Frische, Herkunft, Zubereitung zu Hause.",
                "networks": ["instagram", "mastodon", "bluesky"],
            },
            {
                "name": "Cafés und Gastronomie",
                "who": "Inhaberinnen und Einkäufer von Cafés, Restaurants und Büros.",
                "cares_about": "Verlässliche Lieferung, Schulung, Preis pro Tasse.",
                "networks": ["linkedin_page"],
            },
        ]
        summary = (
            "Morgenrot als Leipziger Rösterei bekannter machen und eine Gemeinschaft von "
            "Menschen aufbauen, die guten Kaffee zu Hause zubereiten."
        )
        goals = [
            (
                "follower_growth",
                "instagram",
                "1500",
                "4200",
                f"{year}-06-30",
                "Neue Follower auf Instagram bis zur Jahresmitte.",
            ),
            (
                "engagement_rate",
                "",
                "4.5",
                "3.1",
                f"{year}-09-30",
                "Durchschnitt über alle Netzwerke.",
            ),
            (
                "response_time",
                "",
                "4",
                "12",
                f"{year}-03-31",
                "Antwort auf Kommentare und Nachrichten innerhalb von vier Stunden.",
            ),
        ]
        campaign_summary = "Neue Jahresröstung, Abo-Rabatt im Januar."
    else:
        networks = [
            {
                "network": "x",
                "rationale": "Quick updates on trail conditions; the press follows us here.",
                "max_hashtags": 2,
                "posts_per_week": 5,
                "preferred_days": [0, 1, 2, 3, 4],
                "preferred_times": ["07:30", "12:30"],
            },
            {
                "network": "facebook_page",
                "rationale": "Our older customers and the local hiking clubs are here.",
                "formality": "neutral",
                "posts_per_week": 2,
                "preferred_days": [1, 3],
                "preferred_times": ["19:00"],
            },
            {
                "network": "youtube",
                "rationale": "Gear care videos keep being watched for years.",
                "call_to_action": "Subscribe for a new trail every fortnight.",
                "posts_per_week": 1,
                "preferred_days": [5],
                "preferred_times": ["10:00"],
            },
            {
                "network": "mastodon",
                "rationale": "A friendly crowd of outdoor people who like long threads.",
                "posts_per_week": 5,
                "preferred_days": [0, 1, 2, 3, 4],
                "preferred_times": ["08:00"],
            },
        ]
        audiences = [
            {
                "name": "Weekend hikers",
                "who": "30 to 55, live in Greater Manchester, hike twice a month.",
                "cares_about": "New routes, weather, kit that lasts.",
                "networks": ["x", "facebook_page", "mastodon"],
            },
            {
                "name": "Outdoor beginners",
                "who": "Students and young professionals trying their first hills.",
                "cares_about": "Safety, what to buy first, not spending too much.",
                "networks": ["youtube", "x"],
            },
        ]
        summary = (
            "Make Northwind the hiking brand of the North West and grow a community that "
            "shares its own trips."
        )
        goals = [
            (
                "follower_growth",
                "youtube",
                "2000",
                "850",
                f"{year}-06-30",
                "New subscribers on YouTube.",
            ),
            ("reach", "", "250000", "120000", f"{year}-09-30", "Monthly reach, all networks."),
            (
                "response_time",
                "",
                "6",
                "20",
                f"{year}-03-31",
                "Answer questions within six hours on weekdays.",
            ),
        ]
        campaign_summary = "Launch of the new winter jacket, a trail challenge in January."
    return {
        "summary": summary,
        # Before the six weeks of published history the calendar demo makes, so compliance
        # measures that history against the plan.
        "starts_on": (
            start - datetime.timedelta(days=start.weekday(), weeks=HISTORY_WEEKS)
        ).isoformat(),
        "networks": networks,
        "goals": [
            {
                "metric": metric,
                "network": network,
                "target": target,
                "baseline": baseline,
                "starts_on": start.isoformat(),
                "due_on": due,
                "note": note,
            }
            for metric, network, target, baseline, due, note in goals
        ],
        "audiences": audiences,
        "pillars": [
            {"name": name, "target_share": share, "colour": colour, "description": text}
            for name, share, colour, text in PILLARS.get(workspace.name, ())
        ],
        "campaigns": [
            {
                "name": CAMPAIGNS.get(workspace.name, "Campaign"),
                "description": campaign_summary,
                "starts_on": (start - datetime.timedelta(days=14)).isoformat(),
                "ends_on": (start + datetime.timedelta(days=45)).isoformat(),
                "colour": "#c62828",
            }
        ],
    }


def seed_tone(workspace: Workspace, style: dict[str, Any]) -> None:
    """The workspace's tone (the writing aids' seeder calls it before drafts are adapted)."""
    plan = workspace_plan(workspace)
    if plan.version:
        return
    Plan.objects.filter(pk=plan.pk).update(
        address=style.get("address", ""),
        emoji_policy=style.get("emoji_policy", ""),
        max_emoji=style.get("max_emoji"),
        hashtag_policy=style.get("hashtag_policy", ""),
        max_hashtags=style.get("max_hashtags", {}),
        avoid_words=style.get("banned_words", []),
    )


def seed_plan(workspaces: list[Workspace]) -> None:
    today = timezone.localdate()
    for workspace in workspaces:
        if workspace.name not in PILLARS or Pillar.objects.filter(workspace=workspace).exists():
            continue
        owner = (
            Membership.objects.filter(workspace=workspace, role=Role.OWNER)
            .select_related("user", "workspace")
            .order_by("pk")
            .first()
        )
        if owner is None:
            continue
        data = _plan(workspace, today)
        linkedin = next(
            (n for n in data["networks"] if n["posts_per_week"] == 2 and n["network"] != "youtube"),
            None,
        )
        # Version 1: the plan as first agreed.
        plan = do_replace_plan(owner, workspace_plan(workspace), data)
        # Version 2: one network gets a publication more per week.
        if linkedin is not None:
            entry = plan.networks.get(network=linkedin["network"])
            do_save_network(owner, plan, {**linkedin, "posts_per_week": 3}, entry)
        # Version 3: the first goal raised.
        goal = plan.goals.order_by("due_on", "pk").first()
        if goal is not None:
            first = data["goals"][0]
            raised = {**first, "target": str(int(float(first["target"]) * 1.2))}
            match = plan.goals.filter(metric=first["metric"]).first() or goal
            do_save_goal(owner, plan, raised, match)
        # The campaign's plan: what differs while it runs.
        campaign = Campaign.objects.get(workspace=workspace, name=CAMPAIGNS[workspace.name])
        do_replace_plan(
            owner,
            campaign_plan(campaign),
            {
                "summary": data["campaigns"][0]["description"],
                "starts_on": data["campaigns"][0]["starts_on"],
                "networks": [
                    {
                        **data["networks"][0],
                        "posts_per_week": data["networks"][0]["posts_per_week"] + 2,
                    }
                ],
            },
        )
