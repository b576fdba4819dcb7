"""The Prometheus text exposition format (version 0.0.4), written by hand.

Pure: no Django. Families are gauges, counters or histograms with labelled samples; names
follow Prometheus conventions (a `townsquare_` prefix, base units such as seconds, `_total`
for counters), and label values are escaped as the format requires.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


@dataclass(frozen=True)
class Sample:
    value: float
    labels: Mapping[str, str] = field(default_factory=dict)
    suffix: str = ""  # "_bucket", "_sum", "_count" for histograms


@dataclass(frozen=True)
class Family:
    name: str
    kind: str  # gauge | counter | histogram
    help: str
    samples: Sequence[Sample]

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"not a Prometheus metric name: {self.name!r}")
        if self.kind not in ("gauge", "counter", "histogram"):
            raise ValueError(f"unsupported metric type: {self.kind!r}")


def histogram(
    name: str, help_text: str, values: Iterable[float], buckets: Sequence[float]
) -> Family:
    """A histogram family from observed values: cumulative buckets, +Inf, sum and count."""
    observed = sorted(values)
    samples: list[Sample] = []
    for bound in buckets:
        count = sum(1 for value in observed if value <= bound)
        samples.append(Sample(count, {"le": _number(bound)}, "_bucket"))
    samples.append(Sample(len(observed), {"le": "+Inf"}, "_bucket"))
    samples.append(Sample(sum(observed), {}, "_sum"))
    samples.append(Sample(len(observed), {}, "_count"))
    return Family(name, "histogram", help_text, samples)


def render(families: Iterable[Family]) -> str:
    lines: list[str] = []
    for family in families:
        lines.append(f"# HELP {family.name} {_escape_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        for sample in family.samples:
            lines.append(
                f"{family.name}{sample.suffix}{_labels(sample.labels)} {_number(sample.value)}"
            )
    return "\n".join(lines) + "\n"


def _labels(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    parts = []
    for key, value in labels.items():
        if not _LABEL.match(key) or key.startswith("__"):
            raise ValueError(f"not a Prometheus label name: {key!r}")
        parts.append(f'{key}="{_escape_label(str(value))}"')
    return "{" + ",".join(parts) + "}"


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))
