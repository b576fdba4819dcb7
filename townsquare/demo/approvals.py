"""Demo data for the approvals: both demo workspaces approve posts before they go out (one
approver; the German one asks the client too), with posts waiting: one written by a
contributor, one sent back with changes requested, and a comment mentioning the demo user.
Idempotent: posts are found again by their text, settings are set once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from townsquare.approvals.comment_actions import do_add_comment
from townsquare.approvals.models import ApprovalSettings, PostReview
from townsquare.approvals.review_actions import do_request_changes, do_submit_for_review
from townsquare.approvals.settings_actions import do_update_settings
from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.models import Membership, Workspace

# (author's e-mail, text, proposed in days at hour, what happens: "wait" | "changes")
POSTS: dict[str, tuple[tuple[str, str, int, int, str], ...]] = {
    "de": (
        (
            "jonas.berger@morgenrot.example",
            "Neu in der Rösterei: unser Äthiopien Yirgacheffe, hell geröstet, mit Noten von "
            "Bergamotte und Aprikose. Ab Freitag im Laden in Leipzig und im Onlineshop.",
            2,
            10,
            "wait",
        ),
        (
            "lena.vogt@morgenrot.example",
            "Adventsaktion: Zu jeder Bestellung über 30 € legen wir eine Probierpackung "
            "Weihnachtsröstung bei. Nur solange der Vorrat reicht!",
            3,
            17,
            "changes",
        ),
    ),
    "en": (
        (
            "priya.shah@northwind.example",
            "Winter kit check: before your next hike, pack a spare pair of socks, a head "
            "torch and a foil blanket. Small things that make a cold day safe.",
            2,
            9,
            "wait",
        ),
    ),
}
CHANGES = {
    "de": "Bitte die Aktion bis 24.12. befristen und „Probierpackung“ mit 50 g konkret nennen.",
    "en": "Could we add a link to the winter checklist on our site?",
}
MENTIONS = {
    "de": "@[Sam Demo] kannst du das bis morgen freigeben? Der Laden braucht den Termin.",
    "en": "@[Sam Demo] the photo for this one is in the media library, if you want to check.",
}


def _proposed(workspace: Workspace, days: int, hour: int) -> datetime:
    local = utc_to_local(timezone.now(), workspace.time_zone)
    return (local + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _owner(workspace: Workspace) -> Membership | None:
    return (
        Membership.objects.filter(workspace=workspace, role="owner")
        .select_related("user", "workspace")
        .order_by("id")
        .first()
    )


@transaction.atomic
def _seed(workspace: Workspace) -> None:
    owner = _owner(workspace)
    if owner is None:
        return
    if not ApprovalSettings.objects.filter(workspace=workspace).exists():
        do_update_settings(
            owner,
            mode="one",
            client_approval=workspace.language == "de",
            link_days=7,
        )
    accounts = list(SocialAccount.objects.filter(workspace=workspace).order_by("id")[:2])
    if not accounts:
        return
    language = "de" if workspace.language == "de" else "en"
    first_post = None
    for email, text, days, hour, fate in POSTS[language]:
        author = (
            Membership.objects.filter(workspace=workspace, user__email=email)
            .select_related("user", "workspace")
            .first()
        )
        if author is None:
            continue
        post = Post.objects.filter(workspace=workspace, master_text=text).first()
        if post is None:
            post = do_save_post(
                author, PostInput(text=text, language=language), [a.pk for a in accounts]
            )
        first_post = first_post or post
        if PostReview.objects.filter(post=post).exclude(state="draft").exists():
            continue
        do_submit_for_review(author, post, _proposed(workspace, days, hour))
        if fate == "changes":
            do_request_changes(owner, post, CHANGES[language])
    if first_post is not None and not first_post.comments.exists():
        commenter = (
            Membership.objects.filter(workspace=workspace)
            .exclude(user=owner.user)
            .exclude(role="viewer")
            .select_related("user", "workspace")
            .order_by("id")
            .first()
        )
        if commenter is not None:
            do_add_comment(commenter, first_post, MENTIONS[language])


def seed_approvals(workspaces: list[Workspace]) -> None:
    for workspace in workspaces:
        _seed(workspace)
