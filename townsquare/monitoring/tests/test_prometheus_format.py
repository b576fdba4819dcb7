"""The exposition text follows the Prometheus format: HELP/TYPE lines, escaped labels,
cumulative histogram buckets."""

from __future__ import annotations

import math

import pytest

from townsquare.monitoring.prometheus import Family, Sample, histogram, render


def test_gauges_are_written_with_help_type_and_labels():
    text = render([Family("townsquare_x", "gauge", "Some x.", [Sample(3, {"state": "ok"})])])
    assert (
        text
        == '# HELP townsquare_x Some x.\n# TYPE townsquare_x gauge\ntownsquare_x{state="ok"} 3\n'
    )


def test_label_values_are_escaped():
    text = render([Family("t", "gauge", "h", [Sample(1, {"v": 'a"b\\c\nd'})])])
    assert 't{v="a\\"b\\\\c\\nd"} 1' in text


def test_histogram_buckets_are_cumulative_and_end_at_infinity():
    family = histogram("t_seconds", "h", [0.5, 2, 2, 10, 100], [1, 5, 60])
    text = render([family])
    assert 't_seconds_bucket{le="1"} 1' in text
    assert 't_seconds_bucket{le="5"} 3' in text
    assert 't_seconds_bucket{le="60"} 4' in text
    assert 't_seconds_bucket{le="+Inf"} 5' in text
    assert "t_seconds_sum 114.5" in text
    assert "t_seconds_count 5" in text


def test_special_values_are_spelled_as_prometheus_reads_them():
    text = render([Family("t", "gauge", "h", [Sample(math.inf), Sample(math.nan), Sample(0.25)])])
    assert "t +Inf" in text and "t NaN" in text and "t 0.25" in text


@pytest.mark.parametrize("name", ["1abc", "with-dash", ""])
def test_bad_metric_names_are_refused(name):
    with pytest.raises(ValueError, match="metric name"):
        Family(name, "gauge", "h", [])


def test_bad_label_names_are_refused():
    with pytest.raises(ValueError, match="label name"):
        render([Family("t", "gauge", "h", [Sample(1, {"bad-name": "x"})])])
