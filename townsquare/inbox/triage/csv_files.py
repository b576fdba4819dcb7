"""Reading and writing the CSV files of the triage command line, with errors a person can act
on: which file, which row, what is wrong. Nothing is written unless everything was read."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FIELD_CHARS = 100_000


class CsvInputError(ValueError):
    """A CSV file that cannot be used as it is; the message says why."""


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CsvInputError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB")
        raw = path.read_bytes()
    except OSError as error:
        raise CsvInputError(f"{path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvInputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise CsvInputError(f"{path}: the file is empty")
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        rows = []
        for row in reader:
            if None in row.values() or None in row:
                raise CsvInputError(
                    f"{path}, line {reader.line_num}: the row has "
                    f"{'fewer' if None in row.values() else 'more'} columns than the header"
                )
            rows.append(row)
    except csv.Error as error:
        message = str(error)
        if "field larger than field limit" in message:
            message = f"a field is longer than {MAX_FIELD_CHARS:,} characters"
        raise CsvInputError(f"{path}, line {reader.line_num}: {message}") from None
    finally:
        csv.field_size_limit(previous_limit)
    return header, rows


def _require(path: Path, header: Sequence[str], columns: Sequence[str]) -> None:
    missing = [column for column in columns if column not in header]
    if missing:
        found = ", ".join(header) or "none"
        raise CsvInputError(
            f"{path}: needs the column(s) {', '.join(missing)} in its header row (found: {found})"
        )


def read_labelled(path: Path, task: str | None = None) -> list[tuple[str, str]]:
    """(text, label) pairs of a text,label CSV; with a `task` column, only that task's rows."""
    header, rows = _read_rows(path)
    _require(path, header, ("text", "label"))
    if task is not None and "task" in header:
        rows = [row for row in rows if row["task"].strip() == task]
    pairs = [(row["text"], row["label"].strip()) for row in rows if row["label"].strip()]
    if not pairs:
        raise CsvInputError(f"{path}: no rows with a text and a label")
    return pairs


def read_texts(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV that has a `text` column."""
    header, rows = _read_rows(path)
    _require(path, header, ("text",))
    return header, rows


def write_rows(path: Path, header: Sequence[str], rows: Sequence[dict[str, str]]) -> None:
    """Write through a temporary file in the same folder, so a failure leaves no half file."""
    folder = path.parent if str(path.parent) else Path()
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".triage-", suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(header), extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
