"""Inbox triage: language, category, sentiment, spam/abuse and urgency of a message, each
with a confidence and the reasons that mattered. Pure: no Django; offline; CPU only.

Numeric libraries are held to one thread each (see features.embed and the limits below):
on a shared machine, several processes each starting a thread per core were 40 times slower.
"""

from townsquare.inbox.triage.engine import evaluate, predict_labels, train, triage_texts
from townsquare.inbox.triage.model import ModelFormatError, TriageModel
from townsquare.inbox.triage.result import Label, MessageContext, TriageResult, Urgency

__all__ = [
    "Label",
    "MessageContext",
    "ModelFormatError",
    "TriageModel",
    "TriageResult",
    "Urgency",
    "evaluate",
    "predict_labels",
    "train",
    "triage_texts",
]
