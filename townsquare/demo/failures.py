"""A demo post that failed: what a person sees when a network refuses a post.

Morgenrot's Mastodon login was revoked (see connections.py), so yesterday's post to it
failed. The network answered in English, as networks do; the post page, the publishing
overview, the notification and the e-mail say what happened in the reader's language, keyed
by the error's code, with the network's words as a detail. Running it again changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.notifications.models import Notification
from townsquare.notifications.notify import notify
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, utc_to_local
from townsquare.workspaces.models import Membership, Workspace

FAILED = {
    "Morgenrot Kaffeerösterei": (
        "mastodon",
        "Unser Adventskalender ist online: 24 Türchen, 24 Röstungen zum Probieren. Alle Infos "
        "und Bestellung: https://morgenrot.example/adventskalender",
        ("#Kaffee", "#Advent"),
        "reauth",
        "The access token was revoked",
    ),
}
HOURS_AGO = 20


def seed_failures(workspaces: list[Workspace]) -> None:
    for workspace in workspaces:
        spec = FAILED.get(workspace.name)
        owner = Membership.objects.filter(workspace=workspace, role="owner").first()
        if spec is None or owner is None:
            continue
        network, text, hashtags, code, answer = spec
        if Post.objects.filter(workspace=workspace, master_text=text).exists():
            continue
        account = SocialAccount.objects.filter(workspace=workspace, network=network).first()
        if account is None:
            continue
        _fail_demo(owner, account, text, hashtags, code, answer)


def _fail_demo(
    owner: Membership,
    account: SocialAccount,
    text: str,
    hashtags: tuple[str, ...],
    code: str,
    answer: str,
) -> None:
    workspace = owner.workspace
    due = timezone.now() - timedelta(hours=HOURS_AGO)
    # One transaction: a running scheduler never sees the post as due and sends it.
    with transaction.atomic():
        post = do_save_post(
            owner,
            PostInput(text=text, language=workspace.language, hashtags=hashtags),
            [account.pk],
        )
        try:
            do_schedule_post(owner, post, None)
        except ActionError:
            transaction.set_rollback(True)
            return
        Publication.objects.filter(post=post).update(
            status=Status.FAILED,
            due_at=due,
            run_at=None,
            local_due=utc_to_local(due, workspace.time_zone).isoformat(timespec="minutes"),
            attempt_count=1,
            error_code=code,
            error_message=answer,
        )
        pub = Publication.objects.get(post=post)
        notify(
            workspace,
            kind="publication_failed",
            title=f"A post to {account} failed",
            body=answer,
            url=reverse("content_post", kwargs={"workspace": workspace.slug, "post_id": post.pk}),
            email=False,
            payload={
                "publication": pub.pk,
                "post": post.pk,
                "account": account.handle,
                "network": account.network,
                "status": pub.status,
                "error_code": code,
            },
        )
        Notification.objects.filter(kind="publication_failed", data__publication=pub.pk).update(
            created_at=due
        )
