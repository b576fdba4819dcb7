"""Demo pictures a network would refuse, in drafts: the composer offers the copy that fits.

Morgenrot has a sticker with a transparent background as a PNG, which Instagram does not
take (JPEG only): its draft offers "Convert to JPEG for Instagram". Northwind has a trail
photo exported as a 3 MB PNG, over Bluesky's 2 MB: its draft offers a smaller copy. Nothing
is converted by the demo itself; that is the person's choice. Running it again changes
nothing.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageOps

from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import Post
from townsquare.demo.media import _write
from townsquare.media.actions import do_upload_media
from townsquare.media.models import MediaAsset
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership, Workspace
from townsquare.workspaces.roles import Role


@dataclass(frozen=True)
class DemoDraft:
    file_name: str
    alt_text: str
    text: str
    hashtags: tuple[str, ...]
    networks: tuple[str, ...]


DRAFTS: dict[str, DemoDraft] = {
    "de": DemoDraft(
        "sticker-herbstaktion.png",
        "Runder orangefarbener Sticker mit der Aufschrift „Herbstaktion: 2 für 1, "
        "Samstag“ auf durchsichtigem Hintergrund.",
        "Samstag ist Herbstaktion: zwei Tassen Filterkaffee zum Preis von einer, den ganzen "
        "Tag in allen Filialen. Bring jemanden mit, den du schon lange mal wieder sehen "
        "wolltest.",
        ("#Kaffee", "#Leipzig"),
        ("instagram", "bluesky", "mastodon"),
    ),
    "en": DemoDraft(
        "kinder-scout-edge.png",
        "Evening light on the gritstone edge of Kinder Scout, with a walker in a red jacket "
        "on the path and the valley in haze below.",
        "Trail of the month: Kinder Scout via Grindsbrook Clough. 13 km, 600 m up, a short "
        "scramble near the top and the best views in the Dark Peak. Route, parking and "
        "where to eat afterwards are in our guide.",
        ("#hiking", "#PeakDistrict"),
        ("bluesky", "x", "mastodon"),
    ),
}


def sticker() -> bytes:
    """A round sticker on a transparent background: what PNG is for, and JPEG cannot hold."""
    size = 1080
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.ellipse((60, 60, size - 60, size - 60), fill=(232, 112, 32, 255))
    pen.ellipse((100, 100, size - 100, size - 100), outline=(255, 244, 230, 255), width=10)
    _write(pen, size // 2, 330, "Herbstaktion\n2 für 1\nSamstag", (255, 250, 244), 96)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def trail_photo() -> bytes:
    """A photo-like picture (gradient, ridges, film grain) saved as PNG: about 3 MB."""
    width, height = 1500, 1000
    gradient = Image.linear_gradient("L").resize((width, height))
    image = ImageOps.colorize(gradient, black=(240, 190, 120), white=(70, 60, 50)).convert("RGB")
    pen = ImageDraw.Draw(image)
    for i, peak in enumerate((380, 300, 420, 340)):
        left = i * 420 - 120
        pen.polygon(
            [(left, height), (left + 330, height - peak), (left + 660, height)], fill=(52, 44, 38)
        )
    pen.rectangle((760, 640, 776, 690), fill=(200, 30, 30))  # the walker's red jacket
    rng = random.Random(7)
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    image = Image.blend(image, Image.merge("RGB", (grain, grain, grain)), 0.12)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


PICTURES = {"de": sticker, "en": trail_photo}


def seed_composer(workspaces: Iterable[Workspace]) -> None:
    for workspace in workspaces:
        draft = DRAFTS.get(workspace.language)
        owner = (
            Membership.objects.filter(workspace=workspace, role=Role.OWNER)
            .select_related("workspace", "user")
            .first()
        )
        if draft is None or owner is None:
            continue
        if Post.objects.filter(workspace=workspace, master_text=draft.text).exists():
            continue
        asset = MediaAsset.objects.filter(
            workspace=workspace, original_name=draft.file_name
        ).first()
        if asset is None:
            asset, _created = do_upload_media(
                owner,
                ContentFile(PICTURES[workspace.language](), name=draft.file_name),
                alt_text=draft.alt_text,
                tags=("demo",),
            )
        accounts = list(
            SocialAccount.objects.filter(
                workspace=workspace, network__in=draft.networks
            ).values_list("pk", flat=True)
        )
        if not accounts:
            continue
        do_save_post(
            owner,
            PostInput(
                text=draft.text,
                language=workspace.language,
                hashtags=draft.hashtags,
                media_ids=(asset.pk,),
            ),
            accounts,
        )
