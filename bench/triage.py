"""Benchmark: the inbox's triage on public labelled social-media data.

    python -m bench.triage [--only complaints,suggestions] [--speed-sample 2000]

For each dataset folder in ../shared/datasets/triage/ (skipped when absent):
(a) the shipped default model, zero-shot, its labels mapped to the dataset's where a mapping
makes sense; (b) the same pipeline (embeddings + n-grams + rule flags + logistic regression)
trained on the dataset's train split and scored on dev, or by k-fold cross-validation on train
where there is no dev split (as the anchors in that folder's README did). Both are printed in
the anchor's metric beside the anchor. Then messages per second per core for the whole triage
(language, three heads, reasons, urgency), measured as CPU time of this one process.

The datasets are for measuring only: nothing here is saved or shipped.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from townsquare.inbox.triage import TriageResult, train, triage_texts
from townsquare.inbox.triage.engine import predict_labels, scores
from townsquare.inbox.triage.features import extract

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "triage"
TARGET_PER_CORE = 500.0


def _map_binary(positive: str, field: str, value: str) -> Callable[[TriageResult], str]:
    def mapping(result: TriageResult) -> str:
        return positive if getattr(result, field).value == value else f"not_{positive}"

    return mapping


def _complaint(result: TriageResult) -> str:
    # The dataset's complaint is a breach of expectations, often asked: "why is my order late?"
    # A question voiced negatively counts as one, as the annotators counted it.
    category, sentiment = result.category.value, result.sentiment.value
    negative_question = category == "question" and sentiment == "negative"
    return "complaint" if category == "complaint" or negative_question else "not_complaint"


def _sentiment(result: TriageResult) -> str:
    value = result.sentiment.value
    return "neutral" if value == "undefined" else value


def _offensive(result: TriageResult) -> str:
    return "offensive" if result.spam.value == "abuse" else "other"


@dataclass(frozen=True)
class Dataset:
    name: str
    metric: str  # macro_f1 | accuracy | f1:<class>
    anchor: float | None
    anchor_source: str
    folds: int  # cross-validation folds on train when there is no dev split
    zero_shot: Callable[[TriageResult], str] | None
    zero_shot_note: str = ""
    zero_shot_skip_labels: tuple[str, ...] = ()


DATASET_TABLE = (
    Dataset(
        "complaints", "macro_f1", 0.882, "Jin & Aletras 2021, 10-fold CV", 10, _complaint,
        "complaint, or a question with negative sentiment",
    ),
    Dataset(
        "suggestions", "f1:suggestion", 0.781, "OleNet, SemEval-2019 T9", 0,
        _map_binary("suggestion", "category", "suggestion"),
    ),
    Dataset(
        "tweet_acts", "accuracy", 0.775, "BERT-Caps", 5, None,
        "skipped: 7 speech acts (statement, expression, request, threat...) have no "
        "counterpart among question/complaint/suggestion/praise/other",
    ),
    Dataset("sentiment_en", "macro_f1", 0.706, "XLM-T multilingual", 0, _sentiment),
    Dataset("sentiment_de", "macro_f1", 0.773, "XLM-T multilingual", 0, _sentiment),
    Dataset(
        "germeval2017", "accuracy", 0.807, "BERT on 20k train (micro-F1)", 5, _sentiment,
        "sentiment only, on the relevant rows (the model has no relevance label)",
        ("irrelevant",),
    ),
    Dataset("offensive_de", "macro_f1", 0.768, "GermEval 2018", 0, _offensive),
    Dataset(
        "praise_de", "f1:praise", None, "no published anchor", 5,
        _map_binary("praise", "category", "praise"),
    ),
)  # fmt: skip


def read_split(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(row["text"], row["label"]) for row in csv.DictReader(handle)]
    return [text for text, _ in rows], [label for _, label in rows]


def metric(name: str, gold: list[str], predicted: list[str]) -> float:
    report = scores(gold, predicted)
    if name.startswith("f1:"):
        per_class: dict[str, float] = report["per_class_f1"]  # type: ignore[assignment]
        return per_class.get(name[3:], 0.0)
    return float(report[name])  # type: ignore[arg-type]


def zero_shot(dataset: Dataset, texts: list[str], gold: list[str]) -> float:
    assert dataset.zero_shot is not None
    keep = [i for i, label in enumerate(gold) if label not in dataset.zero_shot_skip_labels]
    results = triage_texts([texts[i] for i in keep])
    predicted = [dataset.zero_shot(result) for result in results]
    return metric(dataset.metric, [gold[i] for i in keep], predicted)


def trained(dataset: Dataset, folder: Path) -> tuple[float, str]:
    train_texts, train_gold = read_split(folder / "train.csv")
    dev = folder / "dev.csv"
    if dev.exists():
        dev_texts, dev_gold = read_split(dev)
        features = extract(train_texts + dev_texts)
        n = len(train_texts)
        model = train(
            list(zip(train_texts, train_gold, strict=True)),
            features=features.take(range(n)),
            objective=dataset.metric,
        )
        on_dev = predict_labels(
            model, dev_texts, "category", features=features.take(range(n, len(features)))
        )
        return metric(dataset.metric, dev_gold, [label for label, _ in on_dev]), "dev"
    features = extract(train_texts)
    gold = np.array(train_gold)
    predicted = np.empty(len(gold), dtype=object)
    folds = StratifiedKFold(n_splits=dataset.folds, shuffle=True, random_state=0)
    for fit_rows, test_rows in folds.split(np.zeros(len(gold)), gold):
        examples = [(train_texts[i], train_gold[i]) for i in fit_rows]
        model = train(examples, features=features.take(fit_rows), objective=dataset.metric)
        labels = predict_labels(
            model, [train_texts[i] for i in test_rows], "category", features.take(test_rows)
        )
        predicted[test_rows] = [label for label, _ in labels]
    return metric(dataset.metric, train_gold, list(predicted)), f"{dataset.folds}-fold CV"


def speed(texts: list[str]) -> float:
    triage_texts(texts[:50])  # load the encoder and the model first
    started = time.process_time()
    for start in range(0, len(texts), 500):
        triage_texts(texts[start : start + 500])
    return len(texts) / (time.process_time() - started)


def _cell(value: float | None) -> str:
    return "   –  " if value is None else f"{value:6.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="Comma-separated dataset folders to run.")
    parser.add_argument("--speed-sample", type=int, default=2000)
    args = parser.parse_args()
    if not DATASETS.is_dir():
        print(f"No datasets at {DATASETS}: skipped.")
        return 0
    only = set(args.only.split(",")) if args.only else None
    print(f"Triage benchmark on {DATASETS} (cpus={os.cpu_count()}, load={os.getloadavg()[0]:.1f})")
    header = (
        f"{'dataset':<14} {'metric':<14} {'anchor':>6} {'(a) zero':>8} {'(b) own':>7}  protocol"
    )
    print(header)
    print("-" * len(header))
    sample: list[str] = []
    for dataset in DATASET_TABLE:
        folder = DATASETS / dataset.name
        if (only and dataset.name not in only) or not (folder / "train.csv").exists():
            continue
        started = time.perf_counter()
        texts, gold = read_split(folder / "train.csv")
        sample.extend(texts[: args.speed_sample // len(DATASET_TABLE) + 1])
        eval_texts, eval_gold = (
            read_split(folder / "dev.csv") if (folder / "dev.csv").exists() else (texts, gold)
        )
        a = zero_shot(dataset, eval_texts, eval_gold) if dataset.zero_shot else None
        b, protocol = trained(dataset, folder)
        mark = "" if dataset.anchor is None else (" beats" if b > dataset.anchor else " below")
        print(
            f"{dataset.name:<14} {dataset.metric:<14} {_cell(dataset.anchor)} {_cell(a):>8} "
            f"{_cell(b):>7}  {protocol}{mark} ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        if dataset.zero_shot_note:
            print(f"{'':<15}(a) {dataset.zero_shot_note}")
    if sample:
        per_core = speed(sample[: args.speed_sample])
        verdict = "meets" if per_core >= TARGET_PER_CORE else "misses"
        print(
            f"\nThroughput: {per_core:,.0f} messages/s per core (full triage, CPU time, "
            f"{min(len(sample), args.speed_sample):,} real messages); {verdict} the target of "
            f"{TARGET_PER_CORE:.0f}."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
