"""Shortening a text for a network without threads: at a sentence end, or a word and "…"."""

from __future__ import annotations

from dataclasses import dataclass

from townsquare.content.adapting.boundaries import grapheme_boundaries, layout_of
from townsquare.content.adapting.search import LengthFunction, farthest

ELLIPSIS = "…"
# Left dangling in front of an ellipsis these read as a mistake: "Wir rösten, …".
_DANGLING_BEFORE_ELLIPSIS = ",;:-–—/ \t"


@dataclass(frozen=True, slots=True)
class Shortened:
    """A text cut to fit: how it was cut (`sentence`, `word`, `grapheme`) and what was lost."""

    text: str
    length: int
    cut: str
    dropped: str


def shorten(
    text: str,
    max_length: int,
    length: LengthFunction,
    tail: str = "",
    counted: int | None = None,
) -> Shortened:
    """Cut `text` so that `cut + tail` fits: at a sentence end, else a word plus an ellipsis.

    A sentence cut is preferred when it keeps at least half of the limit; otherwise the
    word cut keeps more of the message and is the better trade for an ellipsis.
    `counted` is length(text + tail) when the caller already knows it.
    """
    whole = length(text + tail) if counted is None else counted
    if whole <= max_length:
        return Shortened(text + tail, whole, "", "")
    layout = layout_of(text)
    starts, ends = layout.run_starts, layout.run_ends
    chars_per_unit = len(text + tail) / max(whole, 1)

    def word_cut(run: int) -> str:
        return text[: starts[run]].rstrip(_DANGLING_BEFORE_ELLIPSIS) + ELLIPSIS + tail

    measured: dict[int, int] = {}

    def word_cut_length(run: int) -> int:
        if run not in measured:
            measured[run] = length(word_cut(run))
        return measured[run]

    def surely_too_long(run: int, fitting: int) -> bool:
        extra = (starts[run] - starts[fitting]) / chars_per_unit
        return word_cut_length(fitting) + extra > max_length + 2

    guess = layout.first_run_after(int(max_length * chars_per_unit)) - 1
    word_best = farthest(
        0,
        len(starts),
        lambda run: word_cut_length(run) <= max_length,
        guess,
        surely_too_long,
    )
    after_word = -1 if word_best is None else word_best
    sentence: int | None = None
    # A sentence cut needs no ellipsis, so the run right after the word cut may still fit.
    if after_word + 1 < len(starts) and layout.ends_sentence(after_word + 1):
        candidate = text[: starts[after_word + 1]] + tail
        if length(candidate) <= max_length:
            sentence = after_word + 1
    if sentence is None and after_word >= 0:
        sentence = layout.last_sentence_run(0, after_word)
    if sentence is not None:
        kept_text = text[: starts[sentence]] + tail
        kept = length(kept_text)
        # Also when the word cut would end at this very sentence: "Ende.…" helps no one.
        ends_at_word_cut = word_best is None or sentence >= word_best
        if kept <= max_length and (kept * 2 >= max_length or ends_at_word_cut):
            return Shortened(kept_text, kept, "sentence", text[ends[sentence] :])
    if word_best is not None:
        kept_text = word_cut(word_best)
        return Shortened(kept_text, word_cut_length(word_best), "word", text[ends[word_best] :])
    first_word_end = starts[0] if starts else len(text)
    boundaries = grapheme_boundaries(text, 0, first_word_end)
    grapheme_best = farthest(
        0, len(boundaries), lambda i: length(text[: boundaries[i]] + ELLIPSIS + tail) <= max_length
    )
    if grapheme_best is not None:
        end = boundaries[grapheme_best]
        kept_text = text[:end] + ELLIPSIS + tail
        return Shortened(kept_text, length(kept_text), "grapheme", text[end:])
    # Nothing of the text fits next to the tail; keep the tail, which the caller needs.
    return Shortened(tail, length(tail), "grapheme", text)
