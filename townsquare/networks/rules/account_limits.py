"""Turn limits a network reports at connect time into account overrides for `effective_rules`.

Connectors fetch the documents; these pure functions read them. Missing or malformed fields
are skipped (the researched default then stays in force) rather than failing a connection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_IMAGE_PREFIX = "image/"
_VIDEO_PREFIX = "video/"


def _positive_int(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def _section(document: Mapping[str, Any], *path: str) -> Mapping[str, Any]:
    node: object = document
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else {}


def mastodon_instance_overrides(instance: Mapping[str, Any]) -> dict[str, object]:
    """Overrides from a Mastodon `GET /api/v2/instance` response (its `configuration`)."""
    statuses = _section(instance, "configuration", "statuses")
    media = _section(instance, "configuration", "media_attachments")
    overrides: dict[str, object] = {}
    for rule, value in (
        ("text_max", statuses.get("max_characters")),
        ("url_weight", statuses.get("characters_reserved_per_url")),
        ("media_max", statuses.get("max_media_attachments")),
        ("image_max_bytes", media.get("image_size_limit")),
        ("video_max_bytes", media.get("video_size_limit")),
        ("alt_text_max", media.get("description_limit")),
    ):
        if (number := _positive_int(value)) is not None:
            overrides[rule] = number
    mime_types = media.get("supported_mime_types")
    if isinstance(mime_types, list) and all(isinstance(mime, str) for mime in mime_types):
        images = [mime.lower() for mime in mime_types if mime.lower().startswith(_IMAGE_PREFIX)]
        videos = [mime.lower() for mime in mime_types if mime.lower().startswith(_VIDEO_PREFIX)]
        if images:
            overrides["image_types"] = images
        if videos:
            overrides["video_types"] = videos
    return overrides


def matrix_media_config_overrides(config: Mapping[str, Any]) -> dict[str, object]:
    """Overrides from `GET /_matrix/client/v1/media/config` (`m.upload.size` in bytes)."""
    size = _positive_int(config.get("m.upload.size"))
    if size is None:
        return {}
    return {
        name: size
        for name in ("image_max_bytes", "gif_max_bytes", "video_max_bytes", "document_max_bytes")
    }
