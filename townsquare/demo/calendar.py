"""Demo calendar: three months around today for each demo workspace.

Six weeks of history (published, with the time it went out) and six weeks ahead
(scheduled), tagged with the plan's pillars and, within its dates, the plan's campaign
(looked up by the names demo/planning.py documents; a name not found tags nothing), a few
notes, and the public holidays of the brand's home (Bavaria for Morgenrot, England for
Northwind). The first post marks the calendar as seeded, so a second run adds nothing.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from townsquare.calendars.models import CalendarNote, CalendarSettings
from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, local_to_utc, utc_to_local
from townsquare.workspaces.models import Membership, Workspace

MORGENROT = "Morgenrot Kaffeerösterei"
NORTHWIND = "Northwind Outdoor"

# Per workspace: networks its calendar posts go to, holidays, the campaign's name, and
# (pillar, text) pairs the calendar cycles through.
SPECS: dict[str, dict[str, object]] = {
    MORGENROT: {
        "networks": (("bluesky", "mastodon"), ("bluesky",), ("mastodon", "linkedin_page")),
        "holidays": ("DE", "BY"),
        "campaign": "Jahresauftakt",
        "posts": (
            (
                "Röstkunst",
                "Frisch aus dem Trommelröster: Brasilien Cerrado, mittel geröstet. Nussig, "
                "mild, ideal für den Vollautomaten.",
            ),
            (
                "Herkunft & Fairness",
                "Wir zahlen unseren Partnerfarmen in Huehuetenango 40 % über "
                "dem Fairtrade-Mindestpreis. Warum, erklären wir im Blog.",
            ),
            (
                "Rezepte & Zubereitung",
                "Cold Brew im Winter? Klar: 80 g grob gemahlen, 1 Liter "
                "Wasser, 16 Stunden in den Kühlschrank. Mit heißer Milch aufgießen.",
            ),
            (
                "Hinter den Kulissen",
                "Das ist Jana, unsere neue Röstmeisterin. Sie probiert jede "
                "Charge, bevor sie ins Regal kommt.",
            ),
            (
                "Röstkunst",
                "Warum hell geröstet nicht sauer heißt: ein kurzer Blick auf die "
                "Entwicklungszeit im Röster.",
            ),
            (
                "Rezepte & Zubereitung",
                "Die perfekte French Press: 60 g Kaffee pro Liter, vier "
                "Minuten ziehen lassen, langsam drücken.",
            ),
            (
                "Herkunft & Fairness",
                "Neue Ernte aus Äthiopien ist angekommen. 18 Säcke, "
                "direkt gehandelt, ab nächster Woche geröstet.",
            ),
            (
                "Hinter den Kulissen",
                "Samstag ist Tag der offenen Rösterei: Führungen um 11 und "
                "15 Uhr, Verkostung inklusive.",
            ),
        ),
        "notes": (
            (-10, "Newsletter Dezember verschickt"),
            (3, "Fotoshooting neue Sorten in der Rösterei"),
            (12, "Messe Kaffeekultur Leipzig (Stand B14)"),
        ),
    },
    NORTHWIND: {
        "networks": (("x", "bluesky"), ("bluesky", "mastodon"), ("facebook_page",)),
        "holidays": ("GB", "ENG"),
        "campaign": "New Year launch",
        "posts": (
            (
                "Trail guides",
                "Kinder Scout from Hayfield: 13 km, 500 m up, and the Downfall "
                "frozen if you are lucky. Route notes on our blog.",
            ),
            (
                "Gear know-how",
                "Wet boots? Stuff them with newspaper, keep them away from the "
                "radiator, and re-proof the leather once they are dry.",
            ),
            (
                "Community stories",
                "Priya and her dad walked the whole Pennine Way this autumn. "
                "Her photos made our week.",
            ),
            (
                "Behind the scenes",
                "The repair bench in our Manchester workshop fixed 212 "
                "zips this year. Bring yours in.",
            ),
            (
                "Trail guides",
                "Short days, big views: three winter walks under 8 km that finish before dark.",
            ),
            ("Gear know-how", "Layering explained in one picture: base, mid, shell. Skip cotton."),
            (
                "Community stories",
                "Your best summit photo of the year? Reply with it and tag the hill.",
            ),
            ("Behind the scenes", "Stocktake weekend: the shop opens at noon on Saturday."),
        ),
        "notes": (
            (-8, "Winter catalogue sent to print"),
            (5, "Film the gaiters video with the YouTube team"),
            (20, "Kendal Mountain Festival follow-up posts"),
        ),
    },
}
# Days relative to today, and the local time each post is (or was) due.
PAST_DAYS = 42
FUTURE_DAYS = 45
EVERY_DAYS = 3
TIMES = ((8, 30), (12, 15), (18, 0))


def seed_calendar(workspaces: list[Workspace]) -> None:
    for workspace in workspaces:
        spec = SPECS.get(workspace.name)
        owner = (
            Membership.objects.filter(workspace=workspace, role="owner")
            .select_related("user", "workspace")
            .first()
        )
        if spec is None or owner is None:
            continue
        _holidays(workspace, spec)
        _notes(workspace, owner, spec)
        _posts(workspace, owner, spec)


def _holidays(workspace: Workspace, spec: dict[str, object]) -> None:
    country, region = spec["holidays"]  # type: ignore[misc]
    CalendarSettings.objects.get_or_create(
        workspace=workspace,
        defaults={"show_holidays": True, "country": country, "subdivision": region},
    )


def _today(workspace: Workspace) -> date:
    return utc_to_local(timezone.now(), workspace.time_zone).date()


def _notes(workspace: Workspace, owner: Membership, spec: dict[str, object]) -> None:
    today = _today(workspace)
    for offset, text in spec["notes"]:  # type: ignore[attr-defined]
        if CalendarNote.objects.filter(workspace=workspace, text=text).exists():
            continue
        CalendarNote.objects.create(
            workspace=workspace, date=today + timedelta(days=offset), text=text, author=owner.user
        )


def _posts(workspace: Workspace, owner: Membership, spec: dict[str, object]) -> None:
    accounts = {a.network: a for a in SocialAccount.objects.filter(workspace=workspace)}
    pillars = {p.name: p for p in Pillar.objects.filter(workspace=workspace)}
    campaign = Campaign.objects.filter(workspace=workspace, name=spec["campaign"]).first()
    texts: tuple[tuple[str, str], ...] = spec["posts"]  # type: ignore[assignment]
    network_sets: tuple[tuple[str, ...], ...] = spec["networks"]  # type: ignore[assignment]
    # Seeded once: the first post is the mark (later runs, on later days, add nothing).
    if Post.objects.filter(workspace=workspace, master_text=texts[0][1]).exists():
        return
    today = _today(workspace)
    now_local = utc_to_local(timezone.now(), workspace.time_zone)
    for index, offset in enumerate(range(-PAST_DAYS, FUTURE_DAYS + 1, EVERY_DAYS)):
        pillar_name, base = texts[index % len(texts)]
        day = today + timedelta(days=offset)
        hour, minute = TIMES[index % len(TIMES)]
        wall = datetime(day.year, day.month, day.day, hour, minute)
        text = base
        targets = [accounts[n] for n in network_sets[index % len(network_sets)] if n in accounts]
        if not targets:
            continue
        in_campaign = campaign is not None and campaign.starts_on <= day <= campaign.ends_on
        with transaction.atomic():
            post = do_save_post(
                owner,
                PostInput(text=text, language=workspace.language),
                [a.pk for a in targets],
            )
            post.pillar = pillars.get(pillar_name)
            post.campaign = campaign if in_campaign else None
            post.save(update_fields=["pillar", "campaign"])
            if wall <= now_local:
                _published(post, wall, workspace.time_zone)
            else:
                # A refusal leaves it a draft: still a post to see, nothing lost.
                with contextlib.suppress(ActionError):
                    do_schedule_post(owner, post, wall)


def _published(post: Post, wall: datetime, zone: str) -> None:
    """History: the post went out at its time (a few seconds late, as real posts do)."""
    due = local_to_utc(wall, zone).utc
    for variant in post.variants.select_related("account"):
        Publication.objects.create(
            workspace=post.workspace,
            post=post,
            variant=variant,
            account=variant.account,
            status=Status.PUBLISHED,
            due_at=due,
            time_zone=zone,
            local_due=wall.isoformat(timespec="minutes"),
            published_at=due + timedelta(seconds=4),
            attempt_count=1,
        )
