"""Writing SVG by hand, safely: every text escaped, every number finite. Pure: no Django.

A chart is an <svg> with a viewBox and no fixed size, so it takes its container's width and
keeps its proportions (no sideways scrolling on a phone); role="img" with a <title> and a
<desc> that summarises the data, so a screen reader announces the chart as one picture with
its meaning. Fonts are the system's (no external font, no script).
"""

from __future__ import annotations

import hashlib
import re

FONT_SIZE = 13
SMALL_FONT_SIZE = 11
# The average width of a character of the system's sans-serif, in font sizes: used to keep
# labels inside their space (an estimate: no font metrics without a browser).
CHAR_WIDTH = 0.58
ELLIPSIS = "\u2026"

# Characters XML 1.0 does not allow at all (a label pasted from elsewhere may carry them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def esc(text: object) -> str:
    """Text for an SVG attribute or element: & < > " ' escaped, characters XML refuses removed."""
    cleaned = _NOT_XML.sub("", str(text))
    return (
        cleaned.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def truncate(text: str, max_chars: int) -> str:
    """The text shortened to max_chars with an ellipsis; whitespace runs made one space."""
    flat = " ".join(str(text).split())
    if max_chars < 2:
        return flat[:1]
    return flat if len(flat) <= max_chars else flat[: max_chars - 1].rstrip() + ELLIPSIS


def chars_fitting(width: float, font_size: float = FONT_SIZE) -> int:
    return max(1, int(width / (font_size * CHAR_WIDTH)))


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    return len(text) * font_size * CHAR_WIDTH


def num(value: float) -> str:
    """A coordinate: at most two decimals, no exponent, never NaN (a broken number is 0)."""
    if value != value or value in (float("inf"), float("-inf")):
        value = 0.0
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: float = FONT_SIZE,
    css: str = "",
    fill: str = "#1b1f24",
    weight: str = "",
) -> str:
    extra = f' class="{esc(css)}"' if css else ""
    extra += f' font-weight="{esc(weight)}"' if weight else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}" font-size="{num(size)}" '
        f'fill="{fill}"{extra}>{esc(content)}</text>'
    )


def axis_label(x: float, y: float, content: str, width: float, fill: str) -> str:
    """A label centred under its tick, moved inwards where it would leave the picture."""
    half = text_width(content, SMALL_FONT_SIZE) / 2
    anchor = "middle"
    if x - half < 2:
        x, anchor = 2, "start"
    elif x + half > width - 2:
        x, anchor = width - 2, "end"
    return text(x, y, content, anchor=anchor, size=SMALL_FONT_SIZE, fill=fill)


def line(
    x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, **extra: str
) -> str:
    attrs = "".join(f' {name.replace("_", "-")}="{esc(value)}"' for name, value in extra.items())
    return (
        f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
        f'stroke="{stroke}" stroke-width="{num(width)}"{attrs}/>'
    )


def rect(x: float, y: float, width: float, height: float, fill: str, **extra: str) -> str:
    attrs = "".join(f' {name.replace("_", "-")}="{esc(value)}"' for name, value in extra.items())
    return (
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(0.0, width))}" '
        f'height="{num(max(0.0, height))}" fill="{fill}"{attrs}/>'
    )


def tooltip(content: str) -> str:
    """A <title> inside a shape: the value shown when pointing at it."""
    return f"<title>{esc(content)}</title>"


def document(
    width: float,
    height: float,
    title: str,
    description: str,
    body: str,
    *,
    kind: str,
    defs: str = "",
    chart_id: str = "",
) -> str:
    """The whole <svg>: sized by its viewBox, announced as one image with title and summary.

    The title and description need ids unique on the page; unless given, they are derived
    from the chart's content (the same chart twice on a page is the same picture).
    """
    if not chart_id:
        digest = hashlib.sha256(f"{title}\x00{description}\x00{body}".encode()).hexdigest()
        chart_id = f"chart-{digest[:10]}"
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'class="ts-chart ts-chart-{esc(kind)}" role="img" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc" preserveAspectRatio="xMidYMid meet" '
        f'font-family="system-ui, -apple-system, &quot;Segoe UI&quot;, Roboto, sans-serif">'
        f'<title id="{safe_id}-title">{esc(title)}</title>'
        f'<desc id="{safe_id}-desc">{esc(description)}</desc>'
        f"{f'<defs>{defs}</defs>' if defs else ''}"
        f"{body}</svg>"
    )
