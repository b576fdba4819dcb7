"""`townsquare post validate FILE`: adapt and validate a master text for every network.

FILE is a plain UTF-8 text (the master message) or a JSON object with the fields of the API
(`text`, `language`, `link_url`, `hashtags`, `content_warning`, `networks`, `media`). Pure:
works without a database, so it can run in a content pipeline before anything is imported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from townsquare.content.adapt import ContactBook, MasterPost, StyleSettings, adapt_post
from townsquare.content.profiles import target_profile
from townsquare.content.validate import MediaInput, VariantInput, validate_variant
from townsquare.networks.rules.loader import load_rules

MAX_FILE_BYTES = 2_000_000


class InputError(ValueError):
    """The file cannot be read as a post; the message says why and where."""


@dataclass(frozen=True)
class PostFile:
    master: MasterPost
    content_warning: str
    networks: tuple[str, ...]
    media: tuple[MediaInput, ...]


def read_post_file(path: Path, networks: tuple[str, ...] = ()) -> PostFile:
    known = load_rules()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(
            f"{path}: {len(raw):,} bytes; a post file may have up to {MAX_FILE_BYTES:,}."
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not valid UTF-8 (byte {error.start}: {raw[error.start : error.start + 4]!r})."
        ) from None
    data: dict[str, Any] = {"text": text}
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise InputError(f'{path}: expected a JSON object with a "text" string.')
    chosen = tuple(networks or data.get("networks") or known)
    unknown = [n for n in chosen if n not in known]
    if unknown:
        raise InputError(f"Unknown network(s): {', '.join(unknown)}. Known: {', '.join(known)}.")
    try:
        media = tuple(MediaInput(**item) for item in data.get("media", []))
        master = MasterPost(
            text=data["text"],
            language="de" if data.get("language") == "de" else "en",
            link_url=data.get("link_url") or None,
            hashtags=tuple(data.get("hashtags", [])),
        )
    except TypeError as error:
        raise InputError(f"{path}: {error}") from None
    return PostFile(master, str(data.get("content_warning", "")), chosen, media)


@dataclass(frozen=True)
class NetworkReport:
    network: str
    parts: tuple[str, ...]
    lengths: tuple[int, ...]
    max_length: int
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    changes: tuple[str, ...]


def validate_post_file(post: PostFile, language: str = "en") -> list[NetworkReport]:
    rules = load_rules()
    targets = [
        target_profile(rules[n], n, content_warning=post.content_warning) for n in post.networks
    ]
    variants = adapt_post(post.master, targets, StyleSettings(), ContactBook())
    german = language == "de"
    reports = []
    for network, variant in zip(post.networks, variants, strict=True):
        network_rules = rules[network]
        cw = post.content_warning if network_rules.content_warning_supported.value else ""
        problems = validate_variant(
            VariantInput(
                text=variant.text,
                parts=variant.parts if len(variant.parts) > 1 else (),
                content_warning=cw,
                media=post.media,
                link_url=variant.link_card_url or post.master.link_url or "",
            ),
            network_rules,
        )

        def say(item: Any) -> str:
            return f"{item.code}: {item.message_de if german else item.message_en}"

        reports.append(
            NetworkReport(
                network=network,
                parts=variant.parts,
                lengths=variant.lengths,
                max_length=variant.max_length,
                errors=tuple(say(p) for p in problems if p.severity == "error"),
                warnings=tuple(say(p) for p in problems if p.severity != "error")
                + tuple(say(w) for w in variant.warnings),
                changes=tuple(say(c) for c in variant.changes),
            )
        )
    return reports


def format_reports(reports: list[NetworkReport], show_text: bool = False) -> str:
    lines = []
    for report in reports:
        status = "ERROR" if report.errors else "ok"
        counts = ", ".join(f"{n}/{report.max_length}" for n in report.lengths)
        parts = f", {len(report.parts)} parts" if len(report.parts) > 1 else ""
        lines.append(f"{report.network:<17} {status:<5} {counts}{parts}")
        lines += [f"    error   {e}" for e in report.errors]
        lines += [f"    warning {w}" for w in report.warnings]
        lines += [f"    changed {c}" for c in report.changes]
        if show_text:
            for index, part in enumerate(report.parts, start=1):
                lines.append(f"    --- {index}/{len(report.parts)}")
                lines += [f"    {line}" for line in part.splitlines()]
    failed = sum(1 for r in reports if r.errors)
    lines.append(f"{len(reports) - failed} of {len(reports)} networks ready, {failed} with errors.")
    return "\n".join(lines)
