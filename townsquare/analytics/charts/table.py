"""A chart's data as a table: what the "Table" view shows and the CSV download carries.

Pure: no Django. The cells are the chart's numbers already formatted for the reader's
language, so the table, the CSV and the chart say the same. An empty cell means the network
did not report the value (the page shows a dash).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ChartTable:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # The column that names each row (a date, a post, a weekday): a <th scope="row">.
    header_column: int = 0


def safe_cell(text: str) -> str:
    """A cell a spreadsheet does not run as a formula: a leading ' before = + - @."""
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def to_csv(table: ChartTable) -> str:
    """RFC 4180: comma-separated, CRLF line ends, quoted where needed, no byte-order mark;
    every cell neutralised against formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
