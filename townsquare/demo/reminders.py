"""Demo posts to post by hand: what a newcomer sees for networks Townsquare cannot post to.

Morgenrot's Instagram and LinkedIn post was due two hours ago and nobody has marked it as
posted, so the dashboard counts it as overdue; its Threads post was due twenty minutes ago
and waits. Northwind's post to X and its Facebook page waits as well. Each went through the
real scheduling and reminder code (the times are moved into the past afterwards, as if the
scheduler had reminded people then); the demo sends no email. Running it again changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.media.models import MediaAsset
from townsquare.networks.models import SocialAccount
from townsquare.notifications.models import Notification
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.reminders import KIND, claim_due_reminders, remind
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.models import Membership, Workspace


@dataclass(frozen=True)
class DemoReminder:
    text: str
    hashtags: tuple[str, ...]
    networks: tuple[str, ...]
    minutes_ago: int
    with_picture: bool = True


REMINDERS: dict[str, tuple[DemoReminder, ...]] = {
    "Morgenrot Kaffeerösterei": (
        DemoReminder(
            "Latte-Art-Kurs am Samstag: Unsere Baristas zeigen dir Herz, Tulpe und Rosette, "
            "und danach trinkst du deine Übungstassen selbst. Zwei Stunden, sechs Plätze, "
            "Anmeldung im Laden oder per Nachricht.",
            ("#Kaffee", "#Leipzig", "#LatteArt"),
            ("instagram", "linkedin_page"),
            minutes_ago=120,
        ),
        DemoReminder(
            "Heute ab 15 Uhr: frischer Kirschkuchen zum Filterkaffee. Solange er reicht!",
            ("#Leipzig",),
            ("threads",),
            minutes_ago=20,
            with_picture=False,
        ),
    ),
    "Northwind Outdoor": (
        DemoReminder(
            "Weekend forecast for the Peak District: dry on Saturday, wind and rain from "
            "Sunday lunchtime. Plan the long walk for Saturday and pack a proper waterproof "
            "either way.",
            ("#hiking", "#PeakDistrict"),
            ("x", "facebook_page"),
            minutes_ago=25,
        ),
    ),
}


def seed_reminders(workspaces: list[Workspace]) -> None:
    for workspace in workspaces:
        owner = Membership.objects.filter(workspace=workspace, role="owner").first()
        if owner is None:
            continue
        for spec in REMINDERS.get(workspace.name, ()):
            if Post.objects.filter(workspace=workspace, master_text=spec.text).exists():
                continue
            _remind_demo(owner, spec)


def _remind_demo(owner: Membership, spec: DemoReminder) -> None:
    workspace = owner.workspace
    accounts = list(
        SocialAccount.objects.filter(workspace=workspace, network__in=spec.networks).values_list(
            "pk", flat=True
        )
    )
    if not accounts:
        return
    picture = (
        MediaAsset.objects.filter(workspace=workspace, kind="image").order_by("pk").first()
        if spec.with_picture
        else None
    )
    post = do_save_post(
        owner,
        PostInput(
            text=spec.text,
            language=workspace.language,
            hashtags=spec.hashtags,
            media_ids=(picture.pk,) if picture else (),
        ),
        accounts,
    )
    try:
        do_schedule_post(owner, post, None)
    except ActionError:
        return  # a variant with a problem stays a draft, as it would for anyone
    due = timezone.now() - timedelta(minutes=spec.minutes_ago)
    Publication.objects.filter(post=post).update(
        due_at=due,
        run_at=due,
        local_due=utc_to_local(due, workspace.time_zone).isoformat(timespec="minutes"),
    )
    for pub_id in claim_due_reminders(now=due):
        remind(pub_id, email=False)
        # Told when it was due, as the scheduler would have.
        Notification.objects.filter(kind=KIND, data__publication=pub_id).update(created_at=due)
