"""The layout of a text (its whitespace runs and which of them end a sentence or a line)
equals the plain reading of it, whatever the text."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

from hypothesis import example, given, settings
from hypothesis import strategies as st

from townsquare.content.adapting import boundaries
from townsquare.content.adapting.boundaries import layout_of

_LINE_BREAK = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _plain_layout(text: str) -> tuple[list[int], list[int], list[int]]:
    """Every line-break character looked up in the runs one by one."""
    pieces = boundaries._SPLIT_RE.split(text)
    offsets = list(accumulate(map(len, pieces)))
    starts, ends = offsets[0:-1:2], offsets[1::2]
    if starts and pieces[0] == "":
        del starts[0], ends[0]
    if starts and pieces[-1] == "":
        starts.pop()
        ends.pop()
    sentence_starts: set[int] = set()
    for position, char in enumerate(text):
        if char in _LINE_BREAK:
            run = bisect_right(starts, position) - 1
            if run >= 0 and position < ends[run]:
                sentence_starts.add(starts[run])
    for match in boundaries._SENTENCE_END_RE.finditer(text):
        run_start, run_end = match.span(1)
        if run_end == len(text) or not text[run_end].islower():
            sentence_starts.add(run_start)
    runs = [bisect_left(starts, start) for start in sorted(sentence_starts)]
    sentence_runs = [
        run
        for run, start in zip(runs, sorted(sentence_starts), strict=True)
        if run < len(starts) and starts[run] == start
    ]
    return starts, ends, sentence_runs


_pieces = st.sampled_from(
    ["Hallo", "welt", "z.", "B.", "ca.", "Nr.", "24.", ".", "!", "?", "…", "“", ")", " ", "  ",
     "\n", "\n\n", " \n ", "\t", "\r\n", "\u00a0", "\u3000", "\u2028", "\x85", "🎉", "\ufe0f",
     "Ende", "neu", "e.g.", "usw.", "A", "ä", "。", "！"]
)  # fmt: skip


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(_pieces, max_size=40).map("".join))
@example("\n\nText.\n")
@example("Ende. \n neu")
def test_the_layout_equals_reading_every_line_break(text: str) -> None:
    layout = layout_of.__wrapped__(text)
    starts, ends, sentence_runs = _plain_layout(text)
    assert layout.run_starts == starts
    assert layout.run_ends == ends
    assert layout.sentence_runs == sentence_runs
