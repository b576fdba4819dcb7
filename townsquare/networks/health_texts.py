"""Why a scheduled post would fail because of its account, in words, keyed by the codes of
`health.problem_for_post`. Translated when read: the post page, the dashboard, and the
notification (in the app and by e-mail) each show them in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PROBLEMS: dict[str, Promise] = {
    "not_connected": _(
        "The account has not been connected yet, so Townsquare cannot publish to it."
    ),
    "unreadable": _(
        "The account's stored login cannot be read with the configured encryption keys."
    ),
    "needs_reconnect": _("The network no longer accepts the account's login."),
    "version_retired": _(
        "LinkedIn no longer serves the API version this installation uses; the operator "
        "has to update LINKEDIN_API_VERSION."
    ),
    "graph_version_retired": _(
        "Meta no longer serves the Graph API version this installation uses; the operator "
        "has to update META_GRAPH_API_VERSION."
    ),
    "expired": _("The account's access has expired."),
    "expires_before_post": _("The account's access expires before this post is due."),
    # Not the account's login: the installation's address (media/public_urls.py).
    "site_url_not_public": _(
        "The network downloads this post's pictures and videos from Townsquare's address, "
        "and SITE_URL is not a public https address the internet can reach."
    ),
}


def problem_text(code: str) -> str:
    """The sentence for `code` in the active language; "" for a code without one."""
    text = PROBLEMS.get(code)
    return str(text) if text is not None else ""
