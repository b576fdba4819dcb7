"""An export's rows as posts with counters, and each unreadable row as an error naming its
row and column.

Pure: no Django. A row with a problem is left out and reported; the others are kept, so one
bad line never loses a whole file. Counts are whole numbers: thousands separators of either
language ("1,234", "1.234", "1 234") are read, decimals and negative numbers are errors, and
an empty cell, "N/A" or "-" is "not reported" (kept as unknown, never as 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from townsquare.analytics.imports.formats import ExportFormat
from townsquare.bulk.parsing import Table, normalise_header

MAX_TEXT = 300
NOT_REPORTED = {"", "n/a", "na", "-", "–", "—", "none", "null"}
_GROUPED = re.compile(r"^\d{1,3}([,.\u00a0\u202f ]\d{3})+$")
_PLAIN = re.compile(r"^\d+$")
_ID = re.compile(r"^[A-Za-z0-9_:.\-]{1,255}$")


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str  # the header as written in the file ("" for the row as a whole)
    code: str  # missing_id | bad_id | bad_time | bad_number | extra_cells | duplicate_id
    value: str = ""


@dataclass(frozen=True)
class ImportedPost:
    row: int
    network_post_id: str
    published_at: datetime  # aware, UTC
    text: str
    url: str
    counters: dict[str, int | None]  # canonical metric -> count (None: not reported)
    raw: dict[str, str] = field(default_factory=dict)  # the metric cells as written


@dataclass(frozen=True)
class ReadExport:
    export: ExportFormat
    posts: tuple[ImportedPost, ...]
    errors: tuple[RowError, ...]
    missing_columns: tuple[str, ...]  # expected metric columns the file does not have


def read_rows(table: Table, export: ExportFormat, zone: ZoneInfo) -> ReadExport:
    """The table's rows as posts; times without an offset are read in `zone`."""
    index = {normalise_header(header): i for i, header in enumerate(table.headers)}
    metric_columns = {name: index[name] for name in export.metrics if name in index}
    missing = tuple(name for name in export.metrics if name not in index)
    posts: list[ImportedPost] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for row in table.rows:
        if row.shape_problem:
            errors.append(RowError(row.number, "", "extra_cells"))
            continue
        post, problems = _read_row(row.number, row.cells, table.headers, index, export, zone)
        if post is not None and post.network_post_id in seen:
            problems.append(
                RowError(
                    row.number,
                    table.headers[index[export.id_column]],
                    "duplicate_id",
                    post.network_post_id,
                )
            )
        if problems or post is None:
            errors.extend(problems)
            continue
        post = _with_counters(post, row.cells, table.headers, metric_columns, export, errors)
        if post is not None:
            seen.add(post.network_post_id)
            posts.append(post)
    return ReadExport(export, tuple(posts), tuple(errors), missing)


def _read_row(
    number: int,
    cells: tuple[str, ...],
    headers: tuple[str, ...],
    index: dict[str, int],
    export: ExportFormat,
    zone: ZoneInfo,
) -> tuple[ImportedPost | None, list[RowError]]:
    problems: list[RowError] = []
    id_header = headers[index[export.id_column]]
    raw_id = cells[index[export.id_column]].strip()
    network_post_id = _id_from_url(raw_id) if export.id_from_url else raw_id
    if not raw_id:
        problems.append(RowError(number, id_header, "missing_id"))
    elif not _ID.match(network_post_id):
        problems.append(RowError(number, id_header, "bad_id", raw_id[:80]))
    time_cell = cells[index[export.time_column]].strip()
    published_at = parse_time(time_cell, export.time_formats, zone)
    if published_at is None:
        problems.append(
            RowError(number, headers[index[export.time_column]], "bad_time", time_cell[:80])
        )
    if problems or published_at is None:
        return None, problems
    text = next(
        (cells[index[c]].strip() for c in export.text_columns if c in index and cells[index[c]]),
        "",
    )
    url = cells[index[export.url_column]].strip() if export.url_column in index else ""
    post = ImportedPost(
        row=number,
        network_post_id=network_post_id,
        published_at=published_at,
        text=" ".join(text.split())[:MAX_TEXT],
        url=url if url.startswith(("https://", "http://")) else "",
        counters={},
    )
    return post, problems


def _with_counters(
    post: ImportedPost,
    cells: tuple[str, ...],
    headers: tuple[str, ...],
    metric_columns: dict[str, int],
    export: ExportFormat,
    errors: list[RowError],
) -> ImportedPost | None:
    counters: dict[str, int | None] = {}
    raw: dict[str, str] = {}
    bad = False
    for name, column in metric_columns.items():
        cell = cells[column].strip()
        raw[headers[column]] = cell
        value = parse_count(cell)
        if value is _UNREADABLE:
            errors.append(RowError(post.row, headers[column], "bad_number", cell[:40]))
            bad = True
            continue
        metric = export.metrics[name]
        # Two columns of one metric (Facebook's "Views" and older "Impressions" map apart;
        # this only guards a file that repeats a column): the first reported value wins.
        if counters.get(metric) is None:
            counters[metric] = value  # type: ignore[assignment]
    if bad:
        return None
    return ImportedPost(
        post.row, post.network_post_id, post.published_at, post.text, post.url, counters, raw
    )


class _Unreadable:
    pass


_UNREADABLE = _Unreadable()


def parse_count(cell: str) -> int | _Unreadable | None:
    """A whole, non-negative count; None when the cell says "not reported"."""
    value = cell.strip()
    if value.casefold() in NOT_REPORTED:
        return None
    if _PLAIN.match(value):
        return int(value)
    if _GROUPED.match(value):
        return int(re.sub(r"\D", "", value))
    # A spreadsheet that saved a count as "12.0" still means 12.
    if re.fullmatch(r"\d+[.,]0+", value):
        return int(re.split(r"[.,]", value)[0])
    return _UNREADABLE


def parse_time(cell: str, formats: tuple[str, ...], zone: ZoneInfo) -> datetime | None:
    if not cell:
        return None
    for pattern in formats:
        try:
            parsed = datetime.strptime(cell, pattern)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(UTC)
    return None


def _id_from_url(url: str) -> str:
    """LinkedIn's post link ends in the post's URN: .../urn:li:activity:7123.../ or a
    feed/update/urn:li:share:... path."""
    match = re.search(r"urn:li:(?:activity|share|ugcPost):\d+", url)
    if match:
        return match.group(0)
    return url.rstrip("/").rsplit("/", 1)[-1]
