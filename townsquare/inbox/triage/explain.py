"""Why a head chose its label: the rule flags and the words that pushed toward it.

A feature's push is its value times how much more the chosen class weighs it than the
classes do on average, so "pushed toward complaint" means the same in every head.
"""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp

from townsquare.inbox.triage.features import EMBEDDING_SIZE, TextFeatures
from townsquare.inbox.triage.model import Head
from townsquare.inbox.triage.result import gettext_noop
from townsquare.inbox.triage.rules import FLAG_CODES, FLAG_REASONS

WORD_REASON = gettext_noop('word "%(term)s"')
_WORD_REASON = re.compile(r'^word "(?P<term>.*)"$', re.DOTALL)
MAX_FLAGS = 3
MAX_WORDS = 3
MIN_PUSH = 0.02
# Words that push a decision without explaining it to a person.
_UNTELLING = frozenset(
    str.split(
        "? ! a an the and or of to in on for is are was it i my me you your we our this that "
        "der die das den dem des ein eine einen einem und oder ist sind war ich mein meine "
        "du ihr wir es im in an auf für zu mit von bei"
    )
)


def reasons_for(
    head: Head, features: TextFeatures, words: sp.csr_matrix, row: int, class_index: int
) -> tuple[str, ...]:
    reasons: list[str] = []
    flag_coef = head.dense_coef[:, EMBEDDING_SIZE : EMBEDDING_SIZE + len(FLAG_CODES)]
    flag_push = features.flags[row] * (flag_coef[class_index] - flag_coef.mean(axis=0))
    for index in np.argsort(-flag_push)[:MAX_FLAGS]:
        if flag_push[index] > MIN_PUSH:
            reasons.append(FLAG_REASONS[FLAG_CODES[index]])
    start, end = words.indptr[row], words.indptr[row + 1]
    indices, values = words.indices[start:end], words.data[start:end]
    if len(indices):
        coef = head.word_coef[indices]
        push = values * (coef[:, class_index] - coef.mean(axis=1))
        terms = features.terms_of(row)
        chosen: list[str] = []
        for position in np.argsort(-push):
            term = terms.get(int(indices[position]))
            if push[position] <= MIN_PUSH or len(chosen) == MAX_WORDS:
                break
            if not term or all(word in _UNTELLING for word in term.split()):
                continue
            if any(term in other.split() or other in term.split(" ") for other in chosen):
                continue  # "schon" adds nothing beside "schon wieder"
            chosen.append(term)
        reasons.extend(WORD_REASON % {"term": term} for term in chosen)
    if not reasons:
        reasons.append(gettext_noop("the message as a whole (sentence meaning)"))
    return tuple(reasons)


def reason_message(reason: str) -> tuple[str, dict[str, str]]:
    """A stored reason as (message id, parameters) for a page to translate:
    `gettext(message) % parameters`. Reasons are kept in English, the same for everyone."""
    word = _WORD_REASON.match(reason)
    if word:
        return WORD_REASON, {"term": word["term"]}
    return reason, {}
