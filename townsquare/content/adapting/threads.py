"""Fitting a text into a network's limit: a numbered thread, or one shortened post.

The network's length function is the expensive part (a weighted or grapheme counter runs
over every character), so it is never called for every prefix. The whole text is counted
once; its characters-per-unit ratio predicts where each cut lands; a gallop from that
guess and a bisection over the whitespace runs find the exact cut in a handful of calls
on text the size of one part. The search assumes that a longer prefix never counts less
than a shorter one. Every part is measured at the end, and if a counter breaks the
assumption the split is redone checking every choice, so parts are never invalid.

Thread numbering is `" i/n"` appended to each part and counted in its length. Stripping
exactly that suffix from every part and joining the parts with `joints` (the whitespace
the text was split on; "" where a word had to be broken) gives the original text back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from townsquare.content.adapting.boundaries import Layout, grapheme_boundaries, layout_of
from townsquare.content.adapting.model import THREAD_NUMBERING_SEPARATOR

LengthFunction = Callable[[str], int]
ELLIPSIS = "…"
# Left dangling in front of an ellipsis these read as a mistake: "Wir rösten, …".
_DANGLING_BEFORE_ELLIPSIS = ",;:-–—/ \t"


class LimitTooSmall(ValueError):
    """Not even one character (plus the numbering) fits into a part."""


@dataclass(frozen=True, slots=True)
class ThreadSplit:
    """Parts ready to publish, the whitespace between them, and their counted lengths.

    `broken_words` counts the splits made inside a word; `dropped` is text that did not
    fit into `max_parts` parts (empty when everything fits, the usual case).
    """

    parts: tuple[str, ...]
    joints: tuple[str, ...]
    lengths: tuple[int, ...]
    broken_words: int = 0
    dropped: str = ""


@dataclass(frozen=True, slots=True)
class Shortened:
    """A text cut to fit: how it was cut (`sentence`, `word`, `grapheme`) and what was lost."""

    text: str
    length: int
    cut: str
    dropped: str


def numbering(index: int, total: int) -> str:
    return f"{THREAD_NUMBERING_SEPARATOR}{index}/{total}"


def rejoin_thread(parts: tuple[str, ...], joints: tuple[str, ...]) -> str:
    """The text a thread was split from: numbering stripped, parts joined by their joints."""
    if len(parts) <= 1:
        return parts[0] if parts else ""
    if len(joints) != len(parts) - 1:
        raise ValueError("a thread of n parts has n - 1 joints")
    total = len(parts)
    pieces: list[str] = []
    for index, part in enumerate(parts, start=1):
        suffix = numbering(index, total)
        if not part.endswith(suffix):
            raise ValueError(f"part {index} does not end with its numbering {suffix!r}")
        pieces.append(part[: -len(suffix)])
        if index < total:
            pieces.append(joints[index - 1])
    return "".join(pieces)


def split_thread(
    text: str,
    max_length: int,
    length: LengthFunction,
    max_parts: int | None = None,
) -> ThreadSplit:
    """Split `text` into numbered parts of at most `max_length`, as counted by `length`.

    Preference order for each cut: a sentence end (or line break), then any whitespace,
    then a grapheme boundary inside an over-long word, then (only for a single grapheme
    longer than a part) a code point boundary. With `max_parts`, sentences give way to
    densely packed words first; what still does not fit is cut from the last part.
    """
    whole = length(text)
    if whole <= max_length:
        return ThreadSplit(parts=(text,), joints=(), lengths=(whole,))
    if max_parts == 1:
        cut = shorten(text, max_length, length)
        return ThreadSplit(parts=(cut.text,), joints=(), lengths=(cut.length,), dropped=cut.dropped)
    planner = _Planner(layout_of(text), max_length, length, len(text) / max(whole, 1))
    digits = 1
    prefer_sentences = True
    while True:
        plan = planner.plan(digits, prefer_sentences, max_parts)
        total = len(plan.cuts)
        if len(str(total)) > digits:
            digits = len(str(total))  # " 9/9" reserved too little room for " 10/12"
            continue
        if max_parts is not None and total > max_parts and prefer_sentences:
            prefer_sentences = False
            continue
        result = _finish(planner.layout.text, plan, length)
        if planner.strict or all(count <= max_length for count in result.lengths):
            return result
        planner.strict = True  # the counter is not monotone: verify every choice


@dataclass(slots=True)
class _Plan:
    cuts: list[tuple[int, int, int]]  # (content start, content end, next content start)
    shortened_last: str | None = None  # the last part's content when the rest was cut
    dropped: str = ""


class _Planner:
    """Chooses the cuts of one text for one limit and counter."""

    def __init__(
        self, layout: Layout, max_length: int, length: LengthFunction, chars_per_unit: float
    ) -> None:
        self.layout = layout
        self.max_length = max_length
        self.length = length
        self.chars_per_unit = chars_per_unit
        self.strict = False

    def plan(self, digits: int, prefer_sentences: bool, max_parts: int | None) -> _Plan:
        text = self.layout.text
        placeholder_total = int("9" * digits)
        cuts: list[tuple[int, int, int]] = []
        position = 0
        while True:
            index = len(cuts) + 1
            suffix = numbering(min(index, placeholder_total), placeholder_total)
            if self._fits(position, len(text), suffix):
                cuts.append((position, len(text), len(text)))
                return _Plan(cuts)
            if max_parts is not None and not prefer_sentences and index == max_parts:
                # The last allowed part: shorten the rest instead of starting another part.
                rest = shorten(text[position:], self.max_length, self.length, tail=suffix)
                cuts.append((position, len(text), len(text)))
                return _Plan(cuts, rest.text[: -len(suffix)], rest.dropped)
            cuts.append(self._next_cut(position, suffix, prefer_sentences))
            position = cuts[-1][2]

    def _fits(self, start: int, end: int, suffix: str) -> bool:
        return self.length(self.layout.text[start:end] + suffix) <= self.max_length

    def _estimated_units(self, start: int, end: int, suffix: str) -> float:
        return (end - start) / self.chars_per_unit + len(suffix)

    def _next_cut(self, position: int, suffix: str, prefer_sentences: bool) -> tuple[int, int, int]:
        layout = self.layout
        starts = layout.run_starts
        first = layout.first_run_after(position)
        budget = (self.max_length - len(suffix)) * self.chars_per_unit
        guess = layout.first_run_after(position + int(budget)) - 1
        best = farthest(
            first, len(starts), lambda run: self._fits(position, starts[run], suffix), guess
        )
        if best is None:
            word_end = starts[first] if first < len(starts) else len(layout.text)
            hard = self._hard_cut(position, word_end, suffix)
            return (position, hard, hard)
        chosen = best
        if prefer_sentences:
            sentence = layout.last_sentence_run(first, best - 1)
            if sentence is not None and self._keep_sentence_whole(position, sentence, suffix):
                chosen = sentence
        return (position, starts[chosen], layout.runs[chosen][1])

    def _keep_sentence_whole(self, position: int, sentence: int, suffix: str) -> bool:
        """End the part after a sentence only if the next sentence can stand alone.

        If the next sentence must be broken by words anyway, filling this part up wastes
        less room. An estimate decides: it is a preference, not a limit.
        """
        layout = self.layout
        following = layout.next_sentence_run(sentence)
        following_end = layout.run_starts[following] if following is not None else len(layout.text)
        if self._estimated_units(layout.runs[sentence][1], following_end, suffix) > self.max_length:
            return False
        return not self.strict or self._fits(position, layout.run_starts[sentence], suffix)

    def _hard_cut(self, start: int, word_end: int, suffix: str) -> int:
        """Break an over-long word: at a grapheme boundary, else at a code point."""
        text = self.layout.text
        boundaries = grapheme_boundaries(text, start, word_end)
        best = farthest(0, len(boundaries), lambda i: self._fits(start, boundaries[i], suffix))
        if best is not None:
            return boundaries[best]
        # A single grapheme longer than a part (hundreds of combining marks): code points.
        cut = farthest(start + 1, word_end, lambda end: self._fits(start, end, suffix))
        if cut is None:
            raise LimitTooSmall("the limit leaves no room for one character and the numbering")
        return cut


def farthest(
    low: int, high: int, fits: Callable[[int], bool], guess: int | None = None
) -> int | None:
    """The largest i in [low, high) with fits(i), galloping from `guess`, then bisecting.

    Assumes fits is true up to some index and false after it. Only indices where fits
    was actually true are ever returned.
    """
    if low >= high:
        return None
    probe = low if guess is None else min(max(guess, low), high - 1)
    good: int | None = None
    bad = high
    step = 1
    if fits(probe):
        good = probe
        while good + step < high:
            if fits(good + step):
                good += step
                step *= 2
            else:
                bad = good + step
                break
    else:
        bad = probe
        while good is None:
            probe = max(bad - step, low)
            if probe == bad:
                return None
            if fits(probe):
                good = probe
            else:
                bad = probe
                step *= 2
    while bad - good > 1:
        middle = (good + bad) // 2
        if fits(middle):
            good = middle
        else:
            bad = middle
    return good


def _finish(text: str, plan: _Plan, length: LengthFunction) -> ThreadSplit:
    total = len(plan.cuts)
    parts: list[str] = []
    joints: list[str] = []
    lengths: list[int] = []
    broken = 0
    for index, (start, end, next_start) in enumerate(plan.cuts, start=1):
        content = text[start:end]
        if index == total and plan.shortened_last is not None:
            content = plan.shortened_last
        part = content + numbering(index, total) if total > 1 else content
        parts.append(part)
        lengths.append(length(part))
        if index < total:
            joints.append(text[end:next_start])
            broken += end == next_start
    return ThreadSplit(tuple(parts), tuple(joints), tuple(lengths), broken, plan.dropped)


def shorten(text: str, max_length: int, length: LengthFunction, tail: str = "") -> Shortened:
    """Cut `text` so that `cut + tail` fits: at a sentence end, else a word plus an ellipsis.

    A sentence cut is preferred when it keeps at least half of the limit; otherwise the
    word cut keeps more of the message and is the better trade for an ellipsis.
    """
    whole = length(text + tail)
    if whole <= max_length:
        return Shortened(text + tail, whole, "", "")
    layout = layout_of(text)
    starts = layout.run_starts

    def word_cut(run: int) -> str:
        return text[: starts[run]].rstrip(_DANGLING_BEFORE_ELLIPSIS) + ELLIPSIS

    chars_per_unit = len(text + tail) / max(whole, 1)
    guess = layout.first_run_after(int(max_length * chars_per_unit)) - 1
    word_best = farthest(
        0, len(starts), lambda run: length(word_cut(run) + tail) <= max_length, guess
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
        if kept <= max_length and (kept * 2 >= max_length or word_best is None):
            return Shortened(kept_text, kept, "sentence", text[layout.runs[sentence][1] :])
    if word_best is not None:
        kept_text = word_cut(word_best) + tail
        return Shortened(kept_text, length(kept_text), "word", text[layout.runs[word_best][1] :])
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
