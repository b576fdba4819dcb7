"""The example file offered on the import page, made for the workspace it is downloaded
from: its own accounts, campaign and pillar, times in the coming days in its zone, and
rows in German and English (one without a time, which goes to the queue)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from townsquare.bulk.export import _account_name, to_csv
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.models import Workspace


def example_rows(workspace: Workspace) -> list[dict[str, str]]:
    accounts = list(SocialAccount.objects.filter(workspace=workspace).order_by("pk")[:2])
    handles: dict[str, int] = {}
    for handle in SocialAccount.objects.filter(workspace=workspace).values_list(
        "handle", flat=True
    ):
        key = handle.strip().casefold().lstrip("@")
        handles[key] = handles.get(key, 0) + 1
    names = [_account_name(a, handles) for a in accounts] or ["@your_account"]
    campaign = Campaign.objects.filter(workspace=workspace, archived_at=None).first()
    pillar = Pillar.objects.filter(workspace=workspace).first()
    today = utc_to_local(timezone.now(), workspace.time_zone).date()

    def at(days: int, clock: str) -> str:
        return f"{(today + timedelta(days=days)).isoformat()} {clock}"

    blank = {"link": "", "hashtags": "", "media": "", "campaign": "", "pillar": "", "audience": ""}
    return [
        {
            **blank,
            "accounts": "|".join(names),
            "time": at(2, "09:00"),
            "text": "Frisch geröstet: Unsere Herbstmischung ist ab heute in allen Filialen "
            "erhältlich. Kommen Sie vorbei und probieren Sie!",
            "language": "de",
            "link": "https://example.com/herbst",
            "hashtags": "#Kaffee #Herbst",
            "campaign": campaign.name if campaign else "",
            "pillar": pillar.name if pillar else "",
        },
        {
            **blank,
            "accounts": names[0],
            "time": at(3, "12:30"),
            "text": "Our autumn blend is here: roasted slowly, with notes of chocolate and "
            "hazelnut. Which one is your favourite?",
            "language": "en",
            "hashtags": "#coffee",
        },
        {
            **blank,
            "accounts": names[-1],
            "time": "",
            "text": "Wussten Sie schon? Unsere Bohnen kommen direkt von drei Kooperativen "
            "in Äthiopien und Peru. (Ohne Zeit: der Beitrag kommt in die Warteschlange.)",
            "language": "de",
        },
    ]


def example_csv(workspace: Workspace) -> str:
    return to_csv(example_rows(workspace))
