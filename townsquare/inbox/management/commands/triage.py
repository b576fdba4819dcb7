"""`townsquare triage train|predict|evaluate|build-default`: the inbox's triage on CSV files,
so anyone can label a file or measure the model on their own data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from townsquare.inbox.triage import ModelFormatError, TriageModel, evaluate, train, triage_texts
from townsquare.inbox.triage.csv_files import (
    CsvInputError,
    read_labelled,
    read_texts,
    write_rows,
)
from townsquare.inbox.triage.default import DEFAULT_MODEL_PATH, build_default_model
from townsquare.inbox.triage.model import TASKS

MAX_MODEL_BYTES = 100 * 1024 * 1024
PREDICTED_COLUMNS = ("label", "confidence", "language")


def _load_model(path: Path | None) -> TriageModel | None:
    if path is None:
        return None
    try:
        if path.stat().st_size > MAX_MODEL_BYTES:
            raise CommandError(f"{path}: larger than any triage model")
        return TriageModel.from_bytes(path.read_bytes())
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror or error}") from None
    except ModelFormatError as error:
        raise CommandError(f"{path}: {error}") from None


class Command(BaseCommand):
    help = "Train, apply and measure the inbox's triage model on CSV files."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        task_help = f"Which label the file holds: {', '.join(TASKS)} (default: category)."

        fit = sub.add_parser("train", help="Train a model from a text,label CSV file.")
        fit.add_argument("file", type=Path, help="CSV with the columns text and label.")
        fit.add_argument("--out", type=Path, required=True, help="Where to write the model.")
        fit.add_argument("--task", choices=TASKS, default="category", help=task_help)
        fit.add_argument(
            "--on-default",
            action="store_true",
            help="Train on top of the shipped model (keeps its other labels and uses its "
            "judgement as a starting point) instead of from nothing.",
        )

        label = sub.add_parser(
            "predict", help="Label the `text` column of a CSV (adds label, confidence, language)."
        )
        label.add_argument("input", type=Path, help="CSV with a text column.")
        label.add_argument("output", type=Path, help="Where to write the labelled CSV.")
        label.add_argument("--model", type=Path, help="A trained model; default: the shipped one.")
        label.add_argument("--task", choices=TASKS, default="category", help=task_help)

        measure = sub.add_parser(
            "evaluate",
            help="Train on one text,label CSV and print accuracy, macro-F1 and per-class F1 "
            "on another.",
        )
        measure.add_argument("--train", type=Path, required=True, dest="train_file")
        measure.add_argument("--test", type=Path, required=True, dest="test_file")
        measure.add_argument("--task", choices=TASKS, default="category", help=task_help)

        rebuild = sub.add_parser(
            "build-default", help="Rebuild the shipped model from the project's own examples."
        )
        rebuild.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "train":
                self._train(options)
            elif action == "predict":
                self._predict(options)
            elif action == "evaluate":
                self._evaluate(options)
            else:
                self._build_default(options)
        except CsvInputError as error:
            raise CommandError(str(error)) from None
        except ValueError as error:  # e.g. a single label in the training file
            raise CommandError(str(error)) from None

    def _write_model(self, model: TriageModel, path: Path) -> None:
        try:
            path.write_bytes(model.to_bytes())
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None
        self.stdout.write(f"Wrote {model.version} ({len(model.to_bytes()):,} bytes) to {path}")

    def _train(self, options: dict[str, Any]) -> None:
        examples = read_labelled(options["file"], task=options["task"])
        base = _load_model(DEFAULT_MODEL_PATH) if options["on_default"] else None
        model = train(examples, base=base, task=options["task"])
        self._write_model(model, options["out"])

    def _predict(self, options: dict[str, Any]) -> None:
        model = _load_model(options["model"])
        header, rows = read_texts(options["input"])
        results = triage_texts([row["text"] for row in rows], model=model)
        task = options["task"]
        for row, result in zip(rows, results, strict=True):
            label = getattr(result, task)
            row["label"] = label.value
            row["confidence"] = f"{label.confidence:.3f}"
            row["language"] = result.language.value
        columns = [column for column in header if column not in PREDICTED_COLUMNS]
        write_rows(options["output"], [*columns, *PREDICTED_COLUMNS], rows)
        self.stdout.write(f"Labelled {len(rows):,} rows into {options['output']}")

    def _evaluate(self, options: dict[str, Any]) -> None:
        task = options["task"]
        training = read_labelled(options["train_file"], task=task)
        testing = read_labelled(options["test_file"], task=task)
        report = evaluate(train(training, task=task), testing, task)
        self.stdout.write(
            f"{task}: trained on {len(training):,}, tested on {report['examples']:,} examples"
        )
        self.stdout.write(f"accuracy  {report['accuracy']:.3f}")
        self.stdout.write(f"macro-F1  {report['macro_f1']:.3f}")
        per_class: dict[str, float] = report["per_class_f1"]  # type: ignore[assignment]
        for name, value in per_class.items():
            self.stdout.write(f"  F1 {name:<20} {value:.3f}")

    def _build_default(self, options: dict[str, Any]) -> None:
        self._write_model(build_default_model(), options["out"])
