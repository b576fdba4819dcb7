"""Pictures and videos in the composer: what each network's preview shows, adding a file with
its alt text without leaving the composer, and converting a picture a network would refuse.

Attachments belong to the post, so a converted copy replaces the original for every account
of the post; its limits are those of the network that asked, narrowed to what the post's
other networks take as well (Instagram's JPEG within Bluesky's 2 MB), so fixing one network
never breaks another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from townsquare.content.service import account_rules, workspace_overrides
from townsquare.lib.errors import ActionError
from townsquare.media.actions import do_convert_media, do_update_media, do_upload_media
from townsquare.media.facts import label_of
from townsquare.media.fitting import combined, describe_steps, image_limits, offer_for
from townsquare.media.models import MediaAsset
from townsquare.media.processing import UploadLimits
from townsquare.networks.models import SocialAccount
from townsquare.networks.rules.model import NetworkRules
from townsquare.workspaces.models import Membership

# The library's own limits; a module constant so tests can make "too large" cheap.
UPLOAD_LIMITS = UploadLimits()
# How the networks lay out several pictures: a swipeable carousel or a grid.
CAROUSEL_NETWORKS = frozenset({"instagram", "linkedin_page", "linkedin_profile", "tiktok"})


@dataclass
class MediaNote:
    """What just happened to the post's media, shown beside the picker."""

    kind: str  # "success", "info" or "error"
    text: str


@dataclass
class MediaChange:
    media_ids: list[int]
    note: MediaNote | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _kind(asset: MediaAsset) -> str:
    return "gif" if asset.mime_type == "image/gif" else asset.kind


def card_media(
    assets: Sequence[MediaAsset], rules: NetworkRules, account: SocialAccount
) -> dict[str, Any]:
    """The pictures this network would show, in order, up to its limits; the rest counted."""
    shown, hidden = [], 0
    per_kind: dict[str, int] = {}
    limits_by_kind = rules.media_max_per_kind.value or {}
    alt_kinds = set(rules.alt_text_kinds.value or ())
    for asset in assets:
        kind = _kind(asset)
        fits = (
            kind in rules.media_kinds.value
            and len(shown) < rules.media_max.value
            and per_kind.get(kind, 0) < limits_by_kind.get(kind, rules.media_max.value)
        )
        if not fits:
            hidden += 1
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        offer = None
        if asset.kind == "image":
            offer = offer_for(
                asset.mime_type, asset.size_bytes, image_limits(rules, asset.mime_type)
            )
        shown.append(
            {
                "asset": asset,
                "alt_text": asset.alt_text,
                "alt_supported": bool(rules.alt_text_supported.value)
                and (not alt_kinds or kind in alt_kinds or asset.kind in alt_kinds),
                "offer": offer,
                "offer_label": offer.label(get_language() or "en") if offer else "",
                "format": label_of(asset.mime_type),
            }
        )
    return {
        "items": shown,
        "hidden": hidden,
        "limit": rules.media_max.value,
        "layout": "carousel" if account.network in CAROUSEL_NETWORKS else "grid",
    }


def upload_from_composer(
    membership: Membership, upload: Any, alt_text: str, media_ids: list[int]
) -> MediaChange:
    """Add the file to the library with its alt text and attach it after the others."""
    try:
        asset, created = do_upload_media(
            membership, upload, alt_text=alt_text, limits=UPLOAD_LIMITS
        )
    except ActionError as error:
        return MediaChange(
            media_ids, errors={"upload": f"{getattr(upload, 'name', '')}: {error.message}"}
        )
    note = MediaNote("success", _("%(name)s is attached.") % {"name": asset})
    if not created:
        if alt_text and not asset.alt_text:
            do_update_media(membership, asset, alt_text=alt_text)
        elif alt_text and alt_text != asset.alt_text:
            note = MediaNote(
                "info",
                _(
                    "%(name)s was already in the library and is attached with the alt text "
                    "it has there; change it in the media library if it should say something "
                    "else."
                )
                % {"name": asset},
            )
        else:
            note = MediaNote(
                "info", _("%(name)s was already in the library and is attached.") % {"name": asset}
            )
    elif not alt_text and asset.kind == "image":
        note = MediaNote(
            "info",
            _("%(name)s is attached. It has no alt text yet: add it in the media library.")
            % {"name": asset},
        )
    ids = [i for i in media_ids if i != asset.pk] + [asset.pk]
    return MediaChange(ids, note)


def convert_for_account(
    membership: Membership,
    asset: MediaAsset,
    account: SocialAccount,
    others: Sequence[SocialAccount],
    media_ids: list[int],
) -> MediaChange:
    """A copy of the picture the account's network takes (and the other networks of the post
    where they can), attached in place of the original."""
    overrides = workspace_overrides(membership.workspace)
    rules, _notes = account_rules(account, overrides)
    limits = image_limits(rules, asset.mime_type)
    if limits is None:
        return MediaChange(
            media_ids,
            MediaNote(
                "error",
                _("%(network)s takes no pictures; remove it from this post or choose a video.")
                % {"network": _(rules.display_name)},
            ),
        )
    other_limits = [
        image_limits(account_rules(other, overrides)[0], asset.mime_type)
        for other in others
        if other.pk != account.pk
    ]
    try:
        copy, steps = do_convert_media(membership, asset, combined(limits, other_limits))
    except ActionError as error:
        return MediaChange(media_ids, MediaNote("error", error.message))
    if copy.pk == asset.pk:
        return MediaChange(
            media_ids,
            MediaNote(
                "info",
                _("%(name)s already suits %(network)s.")
                % {"name": asset, "network": rules.display_name},
            ),
        )
    ids = [copy.pk if i == asset.pk else i for i in media_ids]
    ids = list(dict.fromkeys(ids))
    done = describe_steps(steps, get_language() or "en")
    text = _(
        "Townsquare made a copy of %(name)s for %(network)s: %(steps)s. The copy %(copy)s "
        "replaces the original in this post, for every network; the original stays in the "
        "media library."
    ) % {
        "name": asset,
        "network": rules.display_name,
        "steps": "; ".join(done) or _("re-encoded"),
        "copy": copy,
    }
    return MediaChange(ids, MediaNote("success", text))
