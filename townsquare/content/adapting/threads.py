"""Fitting a text into a network's limit: a numbered thread, or one shortened post.

The network's length function is the expensive part (a weighted or grapheme counter runs
over every character), so it is never called for every prefix. The whole text is counted
once; its characters-per-unit ratio (then each part's own) predicts where the next cut
lands, and usually one measurement confirms it; otherwise a gallop from the guess and a
bisection over the whitespace runs find the cut in a few more calls on text the size of
one part. The search assumes that a longer prefix never counts less than a shorter one.
The finished parts are measured (unless the counter promises to add up), and if a
counter breaks the assumptions the split is redone measuring every candidate, so parts
are never invalid.

Thread numbering is `" i/n"` appended to each part and counted in its length. Stripping
exactly that suffix from every part and joining the parts with `joints` (the whitespace
the text was split on; "" where a word had to be broken) gives the original text back.

A part never starts with a hashtag (see `boundaries.layout_of`), so hashtags share a post
with words; only a run of hashtags longer than a whole part is broken between its tags.
A thread longer than the network allows is not cut: every part is kept, and the caller
reports that the text is too long for a thread there.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from townsquare.content.adapting.boundaries import Layout, grapheme_boundaries, layout_of
from townsquare.content.adapting.model import THREAD_NUMBERING_SEPARATOR
from townsquare.content.adapting.search import LengthFunction, farthest
from townsquare.content.adapting.shortening import shorten


class LimitTooSmall(ValueError):
    """Not even one character (plus the numbering) fits into a part."""


@dataclass(frozen=True, slots=True)
class ThreadSplit:
    """Parts ready to publish, the whitespace between them, and their counted lengths.

    `broken_words` counts the splits made inside a word; `dropped` is text that did not
    fit into a single post when `max_parts` is 1 (empty otherwise: a thread keeps all of
    its text); `whole` is the count of the whole text.
    """

    parts: tuple[str, ...]
    joints: tuple[str, ...]
    lengths: tuple[int, ...]
    broken_words: int = 0
    dropped: str = ""
    whole: int = 0


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
    counted: int | None = None,
    adds_up: bool = False,
) -> ThreadSplit:
    """Split `text` into numbered parts of at most `max_length`, as counted by `length`.

    Preference order for each cut: a sentence end (or line break), then any whitespace
    not in front of a hashtag, then whitespace in front of a hashtag, then a grapheme
    boundary inside an over-long word, then (only for a single grapheme longer than a
    part) a code point boundary. With `max_parts`, sentences give way to densely packed
    words when that makes the thread short enough; a thread that is still longer keeps
    all its parts (`ThreadSplit.parts` then has more than `max_parts`; nothing is cut).
    `max_parts=1` means one post: the text is shortened instead.
    `counted` is length(text) when the caller already knows it.

    With `adds_up` the counter promises length(a + " " + b) <= length(a) + length(" " + b)
    (see `TargetProfile.length_adds_up`). Then a long text is not counted as a whole
    first: its parts are measured anyway, and their sum tells whether it fits; finished
    parts are not measured again either. That halves the counting for long texts.
    """
    whole = counted
    if whole is None and not (adds_up and len(text) > 2 * max_length):
        whole = length(text)
    if whole is not None and whole <= max_length:
        return ThreadSplit(parts=(text,), joints=(), lengths=(whole,), whole=whole)
    if max_parts == 1:
        cut = shorten(text, max_length, length, counted=whole)
        whole = length(text) if whole is None else whole
        return ThreadSplit((cut.text,), (), (cut.length,), dropped=cut.dropped, whole=whole)
    # Without a count of the whole, start from one character per unit and learn.
    ratio = len(text) / max(whole, 1) if whole is not None else 1.0
    planner = _Planner(layout_of(text, True), max_length, length, ratio)
    digits = 1
    prefer_sentences = True
    while True:
        plan = planner.plan(digits, prefer_sentences)
        total = len(plan.cuts)
        if len(str(total)) > digits:
            digits = len(str(total))  # " 9/9" reserved too little room for " 10/12"
            continue
        if (
            max_parts is not None
            and total > max_parts
            and prefer_sentences
            and planner.dense_could_fit(plan, max_parts, digits)
        ):
            prefer_sentences = False
            continue
        if whole is None:
            summed = planner.summed_length(plan)
            if summed is None or summed <= max_length:
                # The parts cannot tell (or say it may fit after all): count it whole.
                whole = length(text)
                if whole <= max_length:
                    return ThreadSplit((text,), (), (whole,), whole=whole)
            else:
                whole = summed
        result = planner.finish(plan, measure_parts=not adds_up, whole=whole)
        if planner.strict or all(count <= max_length for count in result.lengths):
            return result
        planner.strict = True  # the counter does not add up: measure every candidate


@dataclass(slots=True)
class _Plan:
    cuts: list[tuple[int, int, int]]  # (content start, content end, next content start)


class _Planner:
    """Chooses the cuts of one text for one limit and counter.

    Content is measured without its numbering, and the numbering's own length is added:
    counters add up across a space, which the numbering starts with, so this is exact in
    practice and lets a measurement serve whatever the thread's final size turns out to
    be. The finished parts are measured whole; if a counter does not add up after all,
    the plan is redone in strict mode, measuring every candidate with its numbering.
    """

    def __init__(
        self, layout: Layout, max_length: int, length: LengthFunction, chars_per_unit: float
    ) -> None:
        self.layout = layout
        self.max_length = max_length
        self.length = length
        self.chars_per_unit = chars_per_unit
        self.strict = False
        self._measured: dict[tuple[int, int], int] = {}

    def plan(self, digits: int, prefer_sentences: bool) -> _Plan:
        text = self.layout.text
        placeholder_total = int("9" * digits)
        # The widest numbering of this many digits sets the room for every part.
        room = self.max_length - self._suffix_length(
            numbering(placeholder_total, placeholder_total)
        )
        cuts: list[tuple[int, int, int]] = []
        position = 0
        while True:
            index = len(cuts) + 1
            suffix = numbering(min(index, placeholder_total), placeholder_total)
            # Measuring the whole rest costs a pass over it; only near the end is it worth it.
            rest_estimate = (len(text) - position) / self.chars_per_unit
            near_end = self.strict or rest_estimate <= room * 1.5 + 10
            if near_end and self._fits(position, len(text), suffix, room):
                cuts.append((position, len(text), len(text)))
                return _Plan(cuts)
            cuts.append(self._next_cut(position, suffix, room, prefer_sentences))
            position = cuts[-1][2]

    def dense_could_fit(self, plan: _Plan, max_parts: int, digits: int) -> bool:
        """Whether packing words densely might bring the thread down to `max_parts`.

        Not when the text needs far more parts than that even if every part were filled
        to the last unit: then planning again would only take time, and the text is too
        long for a thread on this network either way. The whitespace where parts meet is
        not in any part, hence the slack.
        """
        summed = self.summed_length(plan)
        if summed is None:
            return True
        widest = int("9" * digits)
        room = self.max_length - self._suffix_length(numbering(widest, widest))
        return summed <= 1.25 * max_parts * max(room, 1)

    def summed_length(self, plan: _Plan) -> int | None:
        """The whole text's count as the sum of its measured pieces, if all were measured."""
        if self.strict:
            return None
        text = self.layout.text
        total = 0
        for start, end, next_start in plan.cuts:
            known = self._measured.get((start, end))
            if known is None:
                return None
            total += known + (
                _piece_length(self.length, text[end:next_start]) if next_start > end else 0
            )
        return total

    def finish(self, plan: _Plan, measure_parts: bool, whole: int) -> ThreadSplit:
        text = self.layout.text
        total = len(plan.cuts)
        parts: list[str] = []
        joints: list[str] = []
        lengths: list[int] = []
        broken = 0
        for index, (start, end, next_start) in enumerate(plan.cuts, start=1):
            content = text[start:end]
            known = self._measured.get((start, end))
            suffix = numbering(index, total) if total > 1 else ""
            parts.append(content + suffix)
            if measure_parts or self.strict or known is None:
                lengths.append(self.length(content + suffix))
            else:
                lengths.append(known + self._suffix_length(suffix))
            if index < total:
                joints.append(text[end:next_start])
                broken += end == next_start
        return ThreadSplit(tuple(parts), tuple(joints), tuple(lengths), broken, whole=whole)

    def _suffix_length(self, suffix: str) -> int:
        return _piece_length(self.length, suffix) if suffix else 0

    def _content_length(self, start: int, end: int) -> int:
        key = (start, end)
        known = self._measured.get(key)
        if known is None:
            known = self.length(self.layout.text[start:end])
            self._measured[key] = known
        return known

    def _fits(self, start: int, end: int, suffix: str, room: int) -> bool:
        if self.strict:
            return self.length(self.layout.text[start:end] + suffix) <= self.max_length
        return self._content_length(start, end) <= room

    def _next_cut(
        self, position: int, suffix: str, room: int, prefer_sentences: bool
    ) -> tuple[int, int, int]:
        layout = self.layout
        starts = layout.run_starts
        first = layout.first_run_after(position)
        guess = layout.first_run_after(position + int(room * self.chars_per_unit)) - 1

        def fits(run: int) -> bool:
            return self._fits(position, starts[run], suffix, room)

        def surely_too_long(run: int, fitting: int) -> bool:
            # Skip measuring a candidate the estimate puts clearly over the limit: at
            # worst the part ends one word early, never too late.
            if self.strict:
                return False
            extra = (starts[run] - starts[fitting]) / self.chars_per_unit
            return self._content_length(position, starts[fitting]) + extra > room + 2

        chosen = None
        if prefer_sentences:
            chosen = self._sentence_cut(first, guess, room, fits, surely_too_long)
        if chosen is None:
            chosen = farthest(first, len(starts), fits, guess, surely_too_long)
        if chosen is None:
            word_end = starts[first] if first < len(starts) else len(layout.text)
            held = self._held_cut(position, word_end, suffix, room)
            if held is not None:
                return held
            hard = self._hard_cut(position, word_end, suffix, room)
            return (position, hard, hard)
        self._learn_ratio(position, starts[chosen])
        return (position, starts[chosen], layout.run_ends[chosen])

    def _learn_ratio(self, start: int, end: int) -> None:
        """Guess the next cut from this part's characters per unit, not the whole text's."""
        units = self._measured.get((start, end))
        if units and end - start >= 20:
            self.chars_per_unit = (end - start) / units

    def _sentence_cut(
        self,
        first: int,
        guess: int,
        room: int,
        fits: Callable[[int], bool],
        surely_too_long: Callable[[int, int], bool],
    ) -> int | None:
        """The farthest sentence end that fits, if the part should end at one.

        A part ends after a sentence only if the next sentence can then stand alone in a
        part; if it must be broken by words anyway, filling this part up wastes less
        room. That is an estimate: a preference, never a limit.
        """
        layout = self.layout
        sentence = layout.last_sentence_run(first, guess + 1)
        for _ in range(3):
            if sentence is None or not self._stands_alone(sentence, room):
                return None
            if fits(sentence):
                following = layout.next_sentence_run(sentence)
                while (
                    following is not None
                    and not surely_too_long(following, sentence)
                    and self._stands_alone(following, room)
                    and fits(following)
                ):
                    sentence, following = following, layout.next_sentence_run(following)
                return sentence
            sentence = layout.last_sentence_run(first, sentence - 1)
        return None

    def _stands_alone(self, sentence: int, room: int) -> bool:
        """Whether the sentence after this sentence end is estimated to fit in a part."""
        layout = self.layout
        following = layout.next_sentence_run(sentence)
        following_end = layout.run_starts[following] if following is not None else len(layout.text)
        return (following_end - layout.run_ends[sentence]) / self.chars_per_unit <= room

    def _held_cut(
        self, start: int, word_end: int, suffix: str, room: int
    ) -> tuple[int, int, int] | None:
        """The farthest whitespace in front of a hashtag that fits, when hashtags and the
        word they belong to are longer than one part together: better a post that starts
        with a hashtag than a word or a tag broken in two."""
        held_starts, held_ends = self.layout.held_starts, self.layout.held_ends
        low, high = bisect_right(held_starts, start), bisect_left(held_starts, word_end)
        best = farthest(low, high, lambda i: self._fits(start, held_starts[i], suffix, room))
        if best is None:
            return None
        return (start, held_starts[best], held_ends[best])

    def _hard_cut(self, start: int, word_end: int, suffix: str, room: int) -> int:
        """Break an over-long word: at a grapheme boundary, else at a code point."""
        text = self.layout.text
        boundaries = grapheme_boundaries(text, start, word_end)
        best = farthest(
            0, len(boundaries), lambda i: self._fits(start, boundaries[i], suffix, room)
        )
        if best is not None:
            return boundaries[best]
        # A single grapheme longer than a part (hundreds of combining marks): code points.
        cut = farthest(start + 1, word_end, lambda end: self._fits(start, end, suffix, room))
        if cut is None:
            raise LimitTooSmall("the limit leaves no room for one character and the numbering")
        return cut


@lru_cache(maxsize=1024)
def _piece_length(length: LengthFunction, piece: str) -> int:
    """The count of a numbering such as " 3/7" or a joint such as "\\n\\n": the same few
    recur in every thread, so each is counted once."""
    return length(piece)
