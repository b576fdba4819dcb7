"""Demo media: a few pictures drawn with Pillow at run time, uploaded through the same action
as any other file, with alt texts and tags in the workspace's language. Running it again
changes nothing."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont, ImageOps

from townsquare.media.actions import do_create_folder, do_upload_media
from townsquare.media.models import MediaAsset, MediaFolder
from townsquare.workspaces.models import Membership, Workspace
from townsquare.workspaces.roles import Role

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class DemoPicture:
    file_name: str
    headline: str
    top: RGB
    bottom: RGB
    motif: str  # "beans", "mountains", "cups" or "list"
    alt_text: str
    tags: tuple[str, ...]
    folder: str
    size: tuple[int, int] = (1080, 1350)  # 4:5, what Instagram shows largest


PICTURES: dict[str, tuple[DemoPicture, ...]] = {
    "de": (
        DemoPicture(
            "neue-roestung-yirgacheffe.jpg",
            "Neue Röstung:\nÄthiopien Yirgacheffe",
            (92, 58, 38),
            (28, 17, 12),
            "beans",
            "Verlauf von Milchkaffeebraun zu Espressoschwarz mit Kaffeebohnen am unteren "
            "Rand und der Aufschrift „Neue Röstung: Äthiopien Yirgacheffe“.",
            ("röstung", "äthiopien", "neuheit"),
            "Röstungen",
        ),
        DemoPicture(
            "latte-art-workshop.jpg",
            "Latte-Art-Workshop\nSamstag, 10 Uhr",
            (233, 214, 188),
            (176, 124, 82),
            "cups",
            "Cremefarbener Hintergrund mit drei Kaffeetassen von oben und der Einladung "
            "„Latte-Art-Workshop, Samstag, 10 Uhr“.",
            ("workshop", "veranstaltung"),
            "Veranstaltungen",
        ),
    ),
    "en": (
        DemoPicture(
            "autumn-trail-guide.jpg",
            "Autumn trail guide",
            (120, 160, 80),
            (24, 60, 36),
            "mountains",
            "A gradient from moss green to deep forest green behind a row of dark mountain "
            "peaks, with the title 'Autumn trail guide'.",
            ("autumn", "trails", "guide"),
            "Guides",
            (1200, 675),
        ),
        DemoPicture(
            "three-day-pack-list.jpg",
            "Pack list:\n3-day hike",
            (96, 125, 139),
            (38, 50, 56),
            "list",
            "Slate-blue card with a ticked checklist and the heading 'Pack list: 3-day hike'.",
            ("checklist", "hiking"),
            "Guides",
        ),
    ),
}


# Fonts with German letters found on most systems (Pillow searches the system font folders).
SYSTEM_FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "NotoSans-Regular.ttf")
# Pillow's own font has no umlauts: without a system font they are drawn as letter + dots.
UMLAUTS = {"Ä": "A", "Ö": "O", "Ü": "U", "ä": "a", "ö": "o", "ü": "u"}
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int) -> tuple[Font, bool]:
    """(font, whether it has umlauts)"""
    for name in SYSTEM_FONTS:
        try:
            return ImageFont.truetype(name, size), True
        except OSError:
            continue
    return ImageFont.load_default(size=size), False


def _write(pen: ImageDraw.ImageDraw, centre_x: int, top: int, text: str, fill: RGB, size: int):
    font, has_umlauts = _font(size)
    line_height = round(size * 1.3)
    for row, line in enumerate(text.splitlines()):
        plain = line if has_umlauts else "".join(UMLAUTS.get(c, c) for c in line)
        plain = plain if has_umlauts else plain.replace("ß", "ss")
        left = centre_x - pen.textlength(plain, font=font) / 2
        y = top + row * line_height
        pen.text((left, y), plain, font=font, fill=fill)
        if has_umlauts:
            continue
        for index, char in enumerate(line):
            if char not in UMLAUTS:
                continue
            x0 = left + pen.textlength(plain[:index], font=font)
            glyph_left, glyph_top, glyph_right, _bottom = font.getbbox(plain[index])
            dot = max(3, size // 14)
            above = y + glyph_top - dot * 2.5
            width = glyph_right - glyph_left
            for cx in (x0 + glyph_left + width * 0.28, x0 + glyph_left + width * 0.72):
                pen.ellipse((cx - dot, above - dot, cx + dot, above + dot), fill=fill)


def draw(picture: DemoPicture) -> bytes:
    width, height = picture.size
    gradient = Image.linear_gradient("L").resize((width, height))
    image = ImageOps.colorize(gradient, black=picture.top, white=picture.bottom).convert("RGB")
    pen = ImageDraw.Draw(image)
    light = (250, 244, 236)
    if picture.motif == "beans":
        for i in range(7):
            x, y = 90 + i * 140, height - 260 + (i % 2) * 60
            pen.ellipse((x, y, x + 110, y + 150), fill=(60, 36, 24), outline=(20, 12, 8), width=4)
            pen.arc((x + 30, y + 10, x + 80, y + 140), 260, 100, fill=(20, 12, 8), width=6)
    elif picture.motif == "mountains":
        for i, peak in enumerate((260, 180, 320, 220)):
            left = i * 320 - 80
            pen.polygon(
                [(left, height), (left + 240, height - peak - 140), (left + 480, height)],
                fill=(16, 40, 24),
            )
    elif picture.motif == "cups":
        for i in range(3):
            cx, cy = 250 + i * 290, height - 330
            pen.ellipse((cx - 110, cy - 110, cx + 110, cy + 110), fill=light)
            pen.ellipse((cx - 80, cy - 80, cx + 80, cy + 80), fill=(150, 98, 60))
    else:
        for i in range(5):
            y = 560 + i * 110
            pen.rectangle((140, y, 200, y + 60), outline=light, width=6)
            if i < 3:
                pen.line((150, y + 30, 168, y + 50, 195, y + 8), fill=light, width=8)
            pen.line((240, y + 30, width - 160, y + 30), fill=light, width=6)
    top = 110 if picture.motif == "list" else height // 3
    _write(pen, width // 2, top, picture.headline, light, max(48, width // 14))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=88)  # photos go out as JPEG everywhere
    return out.getvalue()


def _folder(owner: Membership, name: str) -> MediaFolder:
    existing = MediaFolder.objects.filter(workspace=owner.workspace, parent=None, name=name).first()
    return existing or do_create_folder(owner, name=name)


def seed_media(workspaces: Iterable[Workspace]) -> int:
    """Add the demo pictures to each workspace (by its language); returns how many were new."""
    added = 0
    for workspace in workspaces:
        owner = (
            Membership.objects.filter(workspace=workspace, role=Role.OWNER)
            .select_related("workspace", "user")
            .first()
        )
        if owner is None:
            continue
        for picture in PICTURES.get(workspace.language, ()):
            # By name too: another Pillow version may draw a byte-different picture.
            if MediaAsset.objects.filter(
                workspace=workspace, original_name=picture.file_name
            ).exists():
                continue
            _asset, created = do_upload_media(
                owner,
                ContentFile(draw(picture), name=picture.file_name),
                alt_text=picture.alt_text,
                tags=picture.tags,
                folder=_folder(owner, picture.folder),
            )
            added += created
    return added
