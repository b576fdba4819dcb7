"""A post with pictures or videos for a network that downloads them (Instagram, Threads,
Facebook Pages: networks/catalog.py FETCH_MEDIA_BY_URL) is refused before it is scheduled
when SITE_URL is not an address the internet can reach (media/public_urls.py holds the
rule). Sending would fail anyway, hours later and unattended; now the person scheduling
reads why, and what to do, at once. Text-only posts, accounts posted by reminder (a
person posts the files by hand) and the demo's connections (their network answers in
Townsquare itself and downloads nothing) need no public address and are not refused.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from townsquare.content.models import Post, Variant
from townsquare.lib.errors import ActionError
from townsquare.media.public_urls import NOT_PUBLIC_CODE, public_site_problem
from townsquare.networks.catalog import FETCH_MEDIA_BY_URL
from townsquare.networks.demo_transport import demo_account_ids
from townsquare.networks.models import SocialAccount


def fetches_media_by_url(account: SocialAccount) -> bool:
    """Townsquare itself publishes for this account, on a network that downloads files (a
    demo connection's network answers inside Townsquare and downloads nothing)."""
    return (
        account.network in FETCH_MEDIA_BY_URL
        and account.publishes_automatically
        and not demo_account_ids([account])
    )


def refuse_unreachable_media(post: Post, variants: Iterable[Variant]) -> None:
    """ActionError `site_url_not_public` naming the accounts and the reason, if the post's
    files would have to be downloaded from an address the internet cannot reach."""
    problem = public_site_problem()
    if problem is None:
        return  # the usual case: no query
    accounts = [v.account for v in variants if fetches_media_by_url(v.account)]
    if not accounts or not post.attachments.exists():
        return
    raise ActionError(
        _(
            "The post's pictures and videos would be downloaded by %(accounts)s from "
            "Townsquare's own address, and SITE_URL is not one the internet can reach: "
            "%(problem)s Ask the operator to serve Townsquare at a public https address and "
            "set SITE_URL to it, or take these accounts (or the files) off the post."
        )
        % {"accounts": ", ".join(str(account) for account in accounts), "problem": problem},
        code=NOT_PUBLIC_CODE,
        status=409,
    )
