"""The model Townsquare ships: trained only on the project's own handwritten examples.

Choice: a trained artefact is shipped (triage_data/default_model.npz, a few MB) rather than
trained at first use. Training takes several seconds and needs the examples and scikit-learn's
solver; loading takes a fraction of that, and every process of an installation then labels
alike. `townsquare triage build-default` rebuilds it; training is deterministic (fixed solver,
no sampling, fixed file bytes), and a test checks that a rebuild predicts the same.
"""

from __future__ import annotations

import csv
import threading
from pathlib import Path

from townsquare.inbox.triage.model import TASKS, TriageModel

DATA_DIR = Path(__file__).resolve().parent.parent / "triage_data"
DEFAULT_MODEL_PATH = DATA_DIR / "default_model.npz"
EXAMPLE_FILES = (DATA_DIR / "examples_de.csv", DATA_DIR / "examples_en.csv")

_lock = threading.Lock()
_default: TriageModel | None = None


def load_examples(paths: tuple[Path, ...] = EXAMPLE_FILES) -> dict[str, list[tuple[str, str]]]:
    """(text, label) pairs per task from the text,task,label files."""
    examples: dict[str, list[tuple[str, str]]] = {task: [] for task in TASKS}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                examples[row["task"]].append((row["text"], row["label"]))
    return examples


def build_default_model() -> TriageModel:
    # Imported here: the engine imports this module for the lazy default.
    from townsquare.inbox.triage.engine import train

    model: TriageModel | None = None
    for task, examples in load_examples().items():
        model = train(examples, base=model, task=task, stack_on_base=False)
    assert model is not None
    return model


def default_model() -> TriageModel:
    """The shipped model, loaded once per process (built from the examples if missing)."""
    global _default
    with _lock:
        if _default is None:
            if DEFAULT_MODEL_PATH.exists():
                _default = TriageModel.from_bytes(DEFAULT_MODEL_PATH.read_bytes())
            else:
                _default = build_default_model()
        return _default
