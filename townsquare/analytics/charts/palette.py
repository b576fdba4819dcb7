"""Colours that colour-blind readers tell apart and that survive a black-and-white printer.

Pure: no Django. Series colours are Okabe and Ito's palette (distinguishable with every
common colour-vision deficiency), ordered so that neighbours also differ in lightness; lines
additionally differ by marker shape, and stacked segments by a hatching pattern, so a grey
print still tells them apart. The heatmap uses one hue from light to dark (lightness alone
carries the value); empty cells are hatched, never a colour of the scale.
"""

from __future__ import annotations

from townsquare.analytics.charts.svg import num

SERIES = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: faint on white)
)
MARKERS = ("circle", "square", "triangle", "diamond")
INK = "#1b1f24"
MUTED = "#545d68"
GRID = "#d0d7de"
AXIS = "#8c959f"
EMPTY = "#ffffff"

# Sequential blues (light to dark), after ColorBrewer "Blues": monotonic in lightness.
SEQUENTIAL = (
    "#eff3ff",
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
)

# Hatching laid over stacked segments: the first plain, the next ones distinct in grey.
PATTERNS = ("", "diagonal", "dots", "horizontal", "cross", "vertical", "back-diagonal", "grid")


def series_colour(index: int) -> str:
    return SERIES[index % len(SERIES)]


def pattern_id(index: int, prefix: str) -> str:
    name = PATTERNS[index % len(PATTERNS)]
    return f"{prefix}-{name}" if name else ""


def pattern_defs(prefix: str, count: int) -> str:
    """<pattern> definitions for the first `count` segments (white strokes over the colour)."""
    shapes = {
        "diagonal": '<path d="M0,8 L8,0" stroke="#fff" stroke-width="1.5"/>',
        "dots": '<circle cx="4" cy="4" r="1.4" fill="#fff"/>',
        "horizontal": '<path d="M0,4 L8,4" stroke="#fff" stroke-width="1.5"/>',
        "cross": '<path d="M0,8 L8,0 M0,0 L8,8" stroke="#fff" stroke-width="1.2"/>',
        "vertical": '<path d="M4,0 L4,8" stroke="#fff" stroke-width="1.5"/>',
        "back-diagonal": '<path d="M0,0 L8,8" stroke="#fff" stroke-width="1.5"/>',
        "grid": '<path d="M0,4 L8,4 M4,0 L4,8" stroke="#fff" stroke-width="1"/>',
    }
    used = {PATTERNS[i % len(PATTERNS)] for i in range(count)} - {""}
    return "".join(
        f'<pattern id="{prefix}-{name}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f"{shapes[name]}</pattern>"
        for name in PATTERNS
        if name in used
    )


def empty_pattern(prefix: str) -> str:
    """Grey hatching on white: a cell without data, unlike any value on the scale."""
    return (
        f'<pattern id="{prefix}-empty" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#fff"/>'
        f'<path d="M0,6 L6,0" stroke="#8c959f" stroke-width="1"/></pattern>'
    )


def sequential(fraction: float) -> str:
    """The ramp's colour for a value at `fraction` (0..1) of the largest."""
    clamped = min(1.0, max(0.0, fraction))
    return SEQUENTIAL[min(len(SEQUENTIAL) - 1, int(clamped * (len(SEQUENTIAL) - 1) + 0.5))]


def ink_on(fill: str) -> str:
    """Black or white text, whichever reads on the fill."""
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"


def _polygon(points: list[tuple[float, float]], colour: str) -> str:
    joined = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return f'<polygon points="{joined}" fill="{colour}"/>'


def marker(shape: str, x: float, y: float, colour: str, size: float = 3.5) -> str:
    """A point of a line; its shape tells the series apart where colour cannot (print)."""
    if shape == "square":
        return (
            f'<rect x="{num(x - size)}" y="{num(y - size)}" width="{num(2 * size)}" '
            f'height="{num(2 * size)}" fill="{colour}"/>'
        )
    if shape == "triangle":
        tall, wide = size * 1.2, size * 1.1
        return _polygon([(x, y - tall), (x + wide, y + size), (x - wide, y + size)], colour)
    if shape == "diamond":
        reach = size * 1.3
        return _polygon([(x, y - reach), (x + reach, y), (x, y + reach), (x - reach, y)], colour)
    return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(size)}" fill="{colour}"/>'
