"""twitter-text's own conformance cases, read from shared/ beside the repository at run time.

The files are not part of this repository; without them these tests are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from townsquare.networks.rules.urls import extract_urls
from townsquare.networks.rules.x_weighted import X_CONFIG_V2, X_CONFIG_V3, parse_x_text

CONFORMANCE_DIR = (
    Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "twitter-text"
)

# validate.yml: the v2 section runs with emoji parsing off, the others with config v3.
WEIGHTED_SECTIONS = {
    "WeightedTweetsCounterTest": X_CONFIG_V2,
    "WeightedTweetsWithDiscountedEmojiCounterTest": X_CONFIG_V3,
    "UnicodeDirectionalMarkerCounterTest": X_CONFIG_V3,
}
URL_LIST_SECTIONS = ("urls", "tco_urls_with_params")
URL_INDEX_SECTIONS = ("urls_with_indices", "urls_with_directional_markers")


def _tests(name: str) -> dict[str, list[dict[str, Any]]]:
    path = CONFORMANCE_DIR / name
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]  # type: ignore[no-any-return]


def _cases(name: str, sections: tuple[str, ...]) -> list[Any]:
    tests = _tests(name)
    return [
        pytest.param(section, case, id=f"{section}: {case['description']}")
        for section in sections
        for case in tests.get(section, [])
    ]


def _skip_without_files() -> None:
    if not CONFORMANCE_DIR.is_dir():
        pytest.skip(f"twitter-text conformance files not found at {CONFORMANCE_DIR}")


WEIGHTED_CASES = _cases("validate.yml", tuple(WEIGHTED_SECTIONS))
URL_CASES = _cases("extract.yml", URL_LIST_SECTIONS + URL_INDEX_SECTIONS)


def test_the_suite_has_44_weighted_cases_and_108_url_extraction_cases() -> None:
    _skip_without_files()
    assert len(WEIGHTED_CASES) == 44
    assert len(URL_CASES) == 108


@pytest.mark.parametrize(("section", "case"), WEIGHTED_CASES or [pytest.param("", {}, id="none")])
def test_weighted_length_matches_twitter_text(section: str, case: dict[str, Any]) -> None:
    _skip_without_files()
    result = parse_x_text(case["text"], WEIGHTED_SECTIONS[section])
    assert {
        "weightedLength": result.weighted_length,
        "valid": result.valid,
        "permillage": result.permillage,
        "displayRangeStart": result.display_range_start,
        "displayRangeEnd": result.display_range_end,
        "validRangeStart": result.valid_range_start,
        "validRangeEnd": result.valid_range_end,
    } == case["expected"]


@pytest.mark.parametrize(("section", "case"), URL_CASES or [pytest.param("", {}, id="none")])
def test_url_extraction_matches_twitter_text(section: str, case: dict[str, Any]) -> None:
    _skip_without_files()
    found = extract_urls(case["text"])
    if section in URL_LIST_SECTIONS:
        assert [url.url for url in found] == case["expected"]
    else:
        assert [{"url": url.url, "indices": [url.start, url.end]} for url in found] == case[
            "expected"
        ]
