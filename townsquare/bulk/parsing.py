"""Reading an import file into a table, and guessing which column holds which field.

Pure: no Django. A file is CSV (UTF-8 with or without a byte order mark, comma, semicolon
or tab between cells, a header row) or JSON (a list of objects). Everything that makes a
file unreadable is a `ParseError` with a stable code and the numbers the message needs;
bulk/messages.py words it in the reader's language.

Rows are numbered as a spreadsheet shows them: in a CSV file the header is row 1 and the
first post row 2; in a JSON file the first object is entry 1.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field

FIELDS: tuple[str, ...] = (
    "accounts",
    "time",
    "text",
    "language",
    "link",
    "hashtags",
    "media",
    "campaign",
    "pillar",
    "audience",
)
REQUIRED: tuple[str, ...] = ("accounts", "text")

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 50
MAX_HEADER_CHARS = 200

# Header names (normalised: lower case, letters and digits only) that name each field,
# in English and German.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "accounts": (
        "accounts",
        "account",
        "handles",
        "handle",
        "profiles",
        "profile",
        "channels",
        "channel",
        "konten",
        "konto",
        "profil",
        "kanal",
        "kanale",
        "kanaele",
        "socialaccounts",
    ),
    "time": (
        "time",
        "datetime",
        "date",
        "when",
        "scheduled",
        "scheduledat",
        "scheduledfor",
        "publishat",
        "publishon",
        "schedule",
        "zeit",
        "zeitpunkt",
        "datum",
        "uhrzeit",
        "termin",
        "geplant",
        "geplantfur",
        "veroffentlichung",
        "veroffentlichen",
        "veroffentlichungszeit",
    ),
    "text": (
        "text",
        "message",
        "content",
        "post",
        "body",
        "caption",
        "copy",
        "nachricht",
        "inhalt",
        "beitrag",
        "beitragstext",
        "posttext",
    ),
    "language": ("language", "lang", "locale", "sprache"),
    "link": ("link", "url", "linkurl", "weblink", "verweis"),
    "hashtags": ("hashtags", "hashtag", "tags", "schlagworter", "schlagworte"),
    "media": (
        "media",
        "medien",
        "mediaurls",
        "mediaids",
        "images",
        "image",
        "bilder",
        "bild",
        "attachments",
        "anhange",
        "anhang",
        "files",
        "dateien",
    ),
    "campaign": ("campaign", "kampagne"),
    "pillar": (
        "pillar",
        "contentpillar",
        "saule",
        "themensaule",
        "inhaltssaule",
        "contentsaule",
        "topic",
        "thema",
    ),
    "audience": ("audience", "targetaudience", "zielgruppe", "persona"),
}


class ParseError(Exception):
    """The file cannot be read as a table. `row` is the row (CSV) or entry (JSON) number."""

    def __init__(self, code: str, row: int | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.row = row
        self.params = params


@dataclass(frozen=True)
class Row:
    number: int
    cells: tuple[str, ...]
    # A problem with the row's shape (more cells than the header has): the row is
    # reported as an error, the rest of the file stays usable.
    shape_problem: dict[str, object] | None = None


@dataclass(frozen=True)
class Table:
    format: str  # "csv" or "json"
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    delimiter: str = ""
    notes: tuple[str, ...] = field(default=())


def parse_file(
    data: bytes, filename: str = "", max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Table:
    """A CSV or JSON file as a table; which one is told by the name, else by the content."""
    if len(data) > max_bytes:
        raise ParseError("file_too_large", size=len(data), max=max_bytes)
    text = _decode(data)
    if not text.strip():
        raise ParseError("empty_file")
    name = filename.lower()
    if name.endswith(".json") or (not name.endswith(".csv") and text.lstrip().startswith("[")):
        return parse_json(text)
    return parse_csv(text, max_rows)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError("not_utf8", line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ParseError("nul_character", line=line)
    return text


def detect_delimiter(text: str) -> str:
    """The separator the header line uses most, outside quotes: semicolon, tab or comma."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: (counts[c], c == ","))
    return best if counts[best] else ","


def parse_csv(text: str, max_rows: int = MAX_ROWS) -> Table:
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as error:
        raise ParseError(
            "broken_quoting", row=len(records) + 1, line=reader.line_num, detail=str(error)
        ) from None
    if not records or not any(c.strip() for c in records[0]):
        raise ParseError("no_header")
    headers = _headers(records[0])
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(c.strip() for c in record):
            continue  # a blank line, as spreadsheets leave at the end
        rows.append(_row(index, record, len(headers)))
    if len(rows) > max_rows:
        raise ParseError("too_many_rows", max=max_rows)
    if not rows:
        raise ParseError("no_rows")
    return Table("csv", headers, tuple(rows), delimiter=delimiter)


def _headers(cells: list[str]) -> tuple[str, ...]:
    # Trailing empty header cells (a spreadsheet's habit) are dropped.
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    if len(cells) > MAX_COLUMNS:
        raise ParseError("too_many_columns", count=len(cells), max=MAX_COLUMNS)
    return tuple(cell.strip()[:MAX_HEADER_CHARS] for cell in cells)


def _row(number: int, record: list[str], width: int) -> Row:
    extra = [c for c in record[width:] if c.strip()]
    cells = tuple((record + [""] * width)[:width])
    if extra:
        return Row(number, cells, {"code": "extra_cells", "count": len(record), "width": width})
    return Row(number, cells)


def parse_json(text: str) -> Table:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError("broken_json", line=error.lineno, detail=error.msg) from None
    except RecursionError:
        raise ParseError("broken_json", line=1, detail="nested too deeply") from None
    if not isinstance(value, list):
        raise ParseError("json_not_a_list")
    if not value:
        raise ParseError("no_rows")
    if len(value) > MAX_ROWS:
        raise ParseError("too_many_rows", max=MAX_ROWS)
    headers: list[str] = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            raise ParseError("json_entry_not_an_object", row=number)
        for key in entry:
            if key not in headers:
                headers.append(key)
                if len(headers) > MAX_COLUMNS:
                    raise ParseError("too_many_columns", count=len(headers), max=MAX_COLUMNS)
    rows = []
    for number, entry in enumerate(value, start=1):
        cells = []
        problem: dict[str, object] | None = None
        for key in headers:
            cell, bad = _json_cell(entry.get(key))
            cells.append(cell)
            if bad and problem is None:
                problem = {"code": "json_value", "column": key}
        rows.append(Row(number, tuple(cells), problem))
    return Table("json", tuple(h[:MAX_HEADER_CHARS] for h in headers), tuple(rows))


def _json_cell(value: object) -> tuple[str, bool]:
    """A JSON value as a cell: strings as they are, numbers as written, lists joined with
    "|"; an object (or a list holding one) cannot be a cell."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    if isinstance(value, str | int | float):
        return str(value), False
    if isinstance(value, list):
        items = [_json_cell(item) for item in value]
        if any(
            bad or isinstance(item, list | dict)
            for (_t, bad), item in zip(items, value, strict=True)
        ):
            return "", True
        return "|".join(text for text, _bad in items), False
    return "", True


def normalise_header(name: str) -> str:
    """ "Geplant für" -> "geplantfur", "Media URLs" -> "mediaurls"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if c.isascii()))


def guess_mapping(headers: tuple[str, ...] | list[str]) -> dict[str, int | None]:
    """Field -> column index, by the header's name in English or German; None: not found.
    A column is used for one field at most."""
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    taken: set[int] = set()
    names = [normalise_header(h) for h in headers]
    for name_field in FIELDS:
        for index, name in enumerate(names):
            if index not in taken and name in SYNONYMS[name_field]:
                mapping[name_field] = index
                taken.add(index)
                break
    return mapping
