"""What a publication's error code means, in the language of whoever reads it.

A publication keeps `error_code` and `error_message`. The message was written once, by a
worker: a network's own words (connectors raise their errors in English, as the networks
answer), or Townsquare's sentence in the workspace's language. People read it later, each in
their own language: so the post page, the publishing overview, notifications and e-mails
show the sentence for the code, translated when it is read, and keep the stored text as a
detail ("The network said: ...") where it adds something.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Codes raised by the networks' connectors: the stored text is the network's own answer.
NETWORK_CODES: dict[str, Promise] = {
    "rejected": _("The network refused the post."),
    "reauth": _(
        "The network no longer accepts Townsquare's access to this account: connect it again "
        "in Settings > Accounts, then schedule the post again."
    ),
    "empty": _("There was nothing to publish: this version of the post has no text."),
    "bad_id": _("The network does not know this post."),
    "bad_parent": _("The post this one answers cannot be found on the network."),
    "parent_missing": _("The post this one answers no longer exists."),
    "media_missing": _("A file of this post is missing from the media library."),
    "media_kinds_mixed": _("The network takes either one video or pictures in a post, not both."),
    "too_many_videos": _("The network takes only one video per post."),
    "unsupported_media": _("The network does not take this kind of file."),
    "video_not_mp4": _(
        "The network takes videos only as MP4: convert the video and attach it again."
    ),
    "video_too_large": _("The video is larger than the network takes."),
    "image_unusable": _("A picture of this post could not be prepared for the network."),
    "duplicate": _(
        "The network refuses a post with the same text as one the account published recently."
    ),
    # The codes of the LinkedIn, Facebook Page, Instagram and Threads connectors.
    "not_found": _("The network does not know this post."),
    "forbidden": _("The network does not allow this account to do this."),
    "no_threads": _("The network has no threads: publish the text as one post."),
    "no_replies": _("On this network a post cannot answer another post."),
    "no_delete": _("The network does not let Townsquare delete posts on this account."),
    "link_limit": _("The post has more links than the network takes."),
    "too_many_media": _("The post has more files than the network takes."),
    "carousel_size": _("The network takes a carousel only with a number of items it allows."),
    "media_mix": _("The network takes pictures, one video or one document in a post, not a mix."),
    "media_kind": _("The network does not take this kind of file."),
    "media_required": _("The network needs a picture or a video for this post."),
    "media_error": _("The network could not process a file of this post."),
    "media_refused": _("The network could not process a file of this post."),
    "video_failed": _("The network could not process the video."),
    "media_unreachable": _(
        "The network could not download a file of this post from Townsquare's public address."
    ),
    "no_public_url": _(
        "The network fetches the post's files from Townsquare's public address, and this "
        "installation has none the internet can reach (SITE_URL)."
    ),
    "no_public_media_url": _(
        "The network fetches the post's files from Townsquare's public address, and this "
        "installation has none the internet can reach (SITE_URL)."
    ),
    # Private answers to Facebook and Instagram comments (meta/private_replies.py).
    "private_reply_kind": _(
        "Only a comment on Facebook or Instagram can be answered privately; answer "
        "publicly instead."
    ),
    "private_reply_closed": _(
        "The 7 days for a private answer are over; only a public answer is possible."
    ),
}
# Codes of Townsquare itself: the stored text was written in the workspace's language and
# may carry figures (how late, how many attempts) or the rules that were broken.
OWN_CODES: dict[str, Promise] = {
    "held_late": _("Held: it could not go out on time, and the workspace holds late posts."),
    "invalid": _("The post no longer meets the network's rules."),
    "gave_up": _("The network kept asking Townsquare to wait, so it stopped trying."),
    "retrying": _("The network asked Townsquare to wait; it tries again shortly."),
    "outcome_unknown": _("The network did not confirm the post, so it may or may not be online."),
    "worker_lost": _("Townsquare stopped while sending the post, so it may or may not be online."),
    "variant_removed": _("This account was taken off the post, so it is not sent there."),
    "account_removed": _("The account was removed from the workspace."),
    "not_posted": _("Marked as not posted."),
    "credentials_missing": _("Townsquare holds no login for this account, so nothing was sent."),
    "credentials_unreadable": _(
        "The stored login of this account cannot be read, so nothing was sent."
    ),
    "no_connector": _("Townsquare cannot publish to this network by itself; nothing was sent."),
    # Refused before sending (media/public_urls.py): the network downloads the files itself.
    "site_url_not_public": _(
        "The network downloads the post's pictures and videos from Townsquare's address, and "
        "SITE_URL is not a public https address the internet can reach; nothing was sent."
    ),
}
REFUSED = _("The network refused the post.")
UNEXPLAINED = _("Something went wrong while publishing.")


@dataclass(frozen=True, slots=True)
class ErrorText:
    """`message`: Townsquare's sentence in the active language. `detail`: the stored text
    when it adds something; `from_network`: the detail is the network's own answer."""

    message: str
    detail: str = ""
    from_network: bool = False


def _template(code: str) -> tuple[Promise, bool]:
    if code in NETWORK_CODES:
        return NETWORK_CODES[code], True
    if code in OWN_CODES:
        return OWN_CODES[code], False
    # A refusal by HTTP status (http_422) or a Matrix error code (m_too_large): the network's
    # words are the only specifics there are.
    if code.startswith(("http_", "m_")):
        return REFUSED, True
    return UNEXPLAINED, True


def error_text(code: str, stored: str = "") -> ErrorText | None:
    """What to show for a publication's error, in the active language; None when there is
    nothing to show (no code and no message)."""
    code, stored = (code or "").strip(), (stored or "").strip()
    if not code and not stored:
        return None
    template, from_network = _template(code)
    message = str(template)
    detail = "" if stored == message else stored
    return ErrorText(message=message, detail=detail, from_network=from_network and bool(detail))


def error_text_lines(code: str, stored: str = "") -> str:
    """The same as plain text (notifications, e-mails): the sentence, then the detail."""
    text = error_text(code, stored)
    if text is None:
        return ""
    if not text.detail:
        return text.message
    label = gettext("The network said:") if text.from_network else gettext("Details:")
    return f"{text.message}\n{label} {text.detail}"
