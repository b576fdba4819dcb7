"""A dashboard table made ready for the page: its rows with their links, the largest number
(for the heatmap's shades), and the chart drawn from it where one is drawn."""

from __future__ import annotations

import re
from dataclasses import dataclass

from townsquare.analytics.tables import Cell, Table

DATED = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    link: str = ""
    # Each cell with its column's heading: a narrow screen shows a wide table's rows as
    # cards ("Likes 40"), the heading written beside each value.
    labels: tuple[str, ...] = ()

    @property
    def pairs(self) -> tuple[tuple[str, Cell], ...]:
        return tuple(zip(self.labels, self.cells, strict=False))

    @property
    def dated(self) -> bool:
        """Whether the row is named by a day or a moment ("2026-11-25 14:31"), which a
        narrow column must not break at its hyphens."""
        return bool(self.cells) and bool(DATED.match(str(self.cells[0])))


# Tables with more columns than this become cards on a phone instead of scrolling sideways.
NARROW_COLUMNS = 5


@dataclass(frozen=True)
class Figure:
    table: Table
    rows: tuple[Row, ...]
    maximum: float
    svg: str = ""

    @property
    def wide(self) -> bool:
        return len(self.table.columns) > NARROW_COLUMNS


def figure(table: Table, svg: str = "") -> Figure:
    links = table.links or ("",) * len(table.rows)
    numbers = [cell for row in table.rows for cell in row[1:] if isinstance(cell, int | float)]
    return Figure(
        table=table,
        rows=tuple(
            Row(row, link, table.columns) for row, link in zip(table.rows, links, strict=False)
        ),
        maximum=float(max(numbers)) if numbers else 0.0,
        svg=svg,
    )


SPARK_WIDTH = 120
SPARK_HEIGHT = 28


def sparkline_svg(values: tuple[float | None, ...]) -> str:
    """A tile's small line of its daily values (gaps where unknown); empty with fewer than
    two known values. Decorative: the tile states the figure in words beside it."""
    known = [v for v in values if v is not None]
    if len(known) < 2 or len(values) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = SPARK_WIDTH / (len(values) - 1)
    paths, current = [], []
    for index, value in enumerate(values):
        if value is None:
            if len(current) > 1:
                paths.append(current)
            current = []
            continue
        y = SPARK_HEIGHT - 2 - (value - low) / span * (SPARK_HEIGHT - 4)
        current.append(f"{index * step:.1f},{y:.1f}")
    if len(current) > 1:
        paths.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="currentColor" '
        'stroke-width="1.5" stroke-linejoin="round"/>'
        for points in paths
    )
    return (
        f'<svg class="an-spark-svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" focusable="false">{lines}</svg>'
    )
