"""The real PDS as the oracle of Townsquare's Bluesky counter.

300 texts near the limits (300 grapheme clusters, 3000 UTF-8 bytes), built from the pieces
that counters get wrong: emoji ZWJ sequences, flags, skin tones, keycaps, combining marks,
CJK and Hangul, right-to-left scripts, Indic conjuncts, CR LF, URLs and mentions. For every
one, Townsquare's verdict (`validate_variant` under the Bluesky rules) must be what the PDS
does with the post: accept it or refuse it.
"""

from __future__ import annotations

import random

import pytest

from townsquare.content.validate import VariantInput, validate_variant
from townsquare.networks.base import Rejected, VariantToPublish
from townsquare.networks.bluesky.connector import BlueskyPublisher
from townsquare.networks.credentials import credentials_for
from townsquare.networks.rules.loader import rules_for

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]

CASES = 300
# Pieces meant as one grapheme cluster each (what a person sees as one character).
CLUSTERS = [
    "a",
    "ß",
    "👩\u200d👩\u200d👧\u200d👦",  # family: ZWJ sequence, 25 bytes
    "🏳\ufe0f\u200d🌈",  # rainbow flag
    "🧑🏽\u200d🚀",  # astronaut with skin tone
    "🇩🇪",  # regional indicator pair
    "🇯🇵",
    "👍🏿",
    "1\ufe0f\u20e3",  # keycap
    "❤\ufe0f",
    "e\u0301",  # combining acute
    "a\u0308\u0323",  # two combining marks
    "z" + "\u0336\u0334\u0335\u0337\u0338" * 2,  # "zalgo": ten marks on one letter
    "漢",
    "字",
    "한",
    "\u1100\u1161\u11a8",  # Hangul jamo L V T: one syllable
    "ש",
    "ع\u064e",  # Arabic letter with a haraka
    "\u200f",  # right-to-left mark: a cluster of its own
    "क्ष",  # Devanagari conjunct (virama between consonants)
    "\r\n",
    "\n",
    " ",
]
WORDS = [
    "https://example.com/kaffee?sorte=äthiopien&röstung=hell",
    "example.org/pfad",
    "#Kaffee",
    "#Röstfrisch",
]


def generate(rng: random.Random, mention: str) -> str:
    """A text whose length lands near a limit, one way or the other."""
    mode = rng.random()
    pieces: list[str] = []
    if mode < 0.15:
        # Byte limit: heavy clusters only, around 3000 bytes.
        heavy = rng.choice(["👩\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "z" + "\u0336" * 9])
        size = len(heavy.encode())
        count = 3000 // size + rng.choice([-1, 0, 0, 1])
        return heavy * max(count, 1)
    target = rng.choice([298, 299, 300, 300, 301, 302, 305, 260])
    palette = rng.sample(CLUSTERS, k=rng.randint(1, 5))
    length = 0
    while length < target:
        roll = rng.random()
        if roll < 0.05:
            piece = rng.choice([*WORDS, mention])
            step = len(piece)  # every character of these is one cluster
        else:
            piece, step = rng.choice(palette), 1
        if length + step > target:
            piece, step = "a", 1
        pieces.append(piece)
        length += step
    text = "".join(pieces)
    # Leading and trailing whitespace stay as written: the PDS counts them too.
    return text


def test_townsquares_bluesky_verdict_is_the_pds_verdict_for_300_edge_cases(account, them):
    rules = rules_for("bluesky")
    connector = BlueskyPublisher()
    creds = credentials_for(account)
    rng = random.Random(20261126)
    texts = [generate(rng, f"@{them.handle}") for _ in range(CASES)]
    disagreements = []
    accepted = refused = 0
    for number, text in enumerate(texts):
        problems = validate_variant(VariantInput(text=text), rules)
        ours_ok = not [p for p in problems if p.severity == "error"]
        variant = VariantToPublish(
            variant_id=number, account_id=account.pk, network="bluesky", parts=(text,)
        )
        try:
            connector.publish(creds, variant, f"oracle-{number}")
            pds_ok = True
            accepted += 1
        except Rejected as error:
            pds_ok = False
            refused += 1
            reason = error.message
        if ours_ok != pds_ok:
            disagreements.append(
                (
                    number,
                    "Townsquare accepts" if ours_ok else "Townsquare refuses",
                    "" if pds_ok else reason,
                    [p.code for p in problems],
                    text[:80],
                )
            )
    assert accepted > 50 and refused > 50, (accepted, refused)
    assert disagreements == []
