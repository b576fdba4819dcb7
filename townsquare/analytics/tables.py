"""The figures of a dashboard as tables: each chart is drawn from one, shown as it is in the
table view, and downloaded as CSV, so the three always hold the same numbers.

Pure: no Django. A cell holds text, a number, or None for "not reported by the network"
(shown as a dash, written as an empty CSV field: never as 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

Cell = str | int | float | None

# A moment in a table: local wall time to the minute, the zone named on the page ("days in
# Europe/Berlin"); spreadsheets read it as a date and time in any language.
LOCAL_MINUTE = "%Y-%m-%d %H:%M"

# How a table is drawn: a line per numeric column over the first (a day); bars per row;
# shares stacked per row; a grid of the numeric cells; or no chart, only the table.
CHART_KINDS = ("line", "bars", "stacked", "heatmap", "none")


@dataclass(frozen=True)
class Table:
    key: str  # names it in addresses (?table=key&format=csv) and file names
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: str = "none"
    note: str = ""
    # Addresses for the first cell of each row (a post's page), same length as rows or empty.
    links: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.rows

    def numeric_columns(self) -> tuple[int, ...]:
        """The columns after the first whose cells are all numbers or unknown."""
        return tuple(
            index
            for index in range(1, len(self.columns))
            if all(row[index] is None or isinstance(row[index], int | float) for row in self.rows)
        )


def csv_cell(value: Cell) -> str:
    """A cell as CSV text: unknown is empty; floats with a dot and at most 4 decimals; a
    text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_rows(table: Table) -> list[list[str]]:
    return [list(table.columns), *([csv_cell(cell) for cell in row] for row in table.rows)]


def file_name(table: Table, workspace_slug: str, first: date, last: date) -> str:
    return f"{workspace_slug}-{table.key}-{first.isoformat()}-{last.isoformat()}.csv"
