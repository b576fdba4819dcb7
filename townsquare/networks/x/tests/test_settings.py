"""X's API prices come from the environment; a price that is not "<amount> <currency>"
stops startup with the variable named instead of showing every cost as unknown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
SHOW = (
    "from django.conf import settings; "
    "print(settings.X_API_POST_COST, '|', settings.X_API_LINK_POST_COST, '|', "
    "settings.X_API_MEDIA_COST)"
)


def _shell(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "X_API_"))}
    base.update({"TOWNSQUARE_DATA_DIR": str(tmp_path), "SECRET_KEY": "x", **env})
    return subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "shell", "-c", SHOW],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_the_prices_are_read_from_the_environment(tmp_path: Path) -> None:
    result = _shell(
        {"X_API_POST_COST": " 0.015 USD ", "X_API_LINK_POST_COST": "0.20 USD"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0.015 USD | 0.20 USD |"


def test_a_misspelt_price_stops_startup_with_the_variable_named(tmp_path: Path) -> None:
    result = _shell({"X_API_LINK_POST_COST": "$0.20"}, tmp_path)
    assert result.returncode != 0
    assert "X_API_LINK_POST_COST must be an amount and a currency" in result.stderr
