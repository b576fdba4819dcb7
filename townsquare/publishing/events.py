"""What happens when a publication fails or its outcome is unknown: people are told."""

from __future__ import annotations

from django.urls import reverse

from townsquare.notifications.notify import notify
from townsquare.publishing.models import Publication, PublishingSettings


def _tell(pub_id: int, kind: str, title: str) -> None:
    pub = Publication.objects.select_related("workspace", "account", "post__created_by").get(
        pk=pub_id
    )
    settings = PublishingSettings.objects.filter(workspace=pub.workspace).first()
    url = reverse("content_post", kwargs={"workspace": pub.workspace.slug, "post_id": pub.post_id})
    notify(
        pub.workspace,
        kind=kind,
        title=title.format(account=pub.account),
        body=pub.error_message,
        url=url,
        also=[pub.post.created_by],
        email=settings.notify_by_email if settings else True,
        webhook_url=settings.webhook_url if settings else "",
        payload={
            "publication": pub.pk,
            "post": pub.post_id,
            "account": pub.account.handle,
            "network": pub.account.network,
            "status": pub.status,
            "error_code": pub.error_code,
        },
    )


def publication_failed(pub_id: int) -> None:
    _tell(pub_id, "publication_failed", "A post to {account} failed")


def publication_unknown(pub_id: int) -> None:
    _tell(pub_id, "publication_unknown", "A post to {account} may or may not have gone out")
