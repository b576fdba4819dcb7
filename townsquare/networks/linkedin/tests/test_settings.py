"""LinkedIn's settings: the app and the API version come from the environment, and a version
that is not one stops startup with the variable named instead of being ignored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
SHOW = (
    "from django.conf import settings; "
    "print(settings.LINKEDIN_CLIENT_ID, settings.LINKEDIN_CLIENT_SECRET, "
    "settings.LINKEDIN_API_VERSION)"
)


def _shell(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "LINKEDIN_"))}
    base.update({"TOWNSQUARE_DATA_DIR": str(tmp_path), "SECRET_KEY": "x", **env})
    return subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "shell", "-c", SHOW],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_the_linkedin_app_and_version_are_read_from_the_environment(tmp_path: Path) -> None:
    result = _shell(
        {
            "LINKEDIN_CLIENT_ID": " 86bfq2dgqv3b3k ",
            "LINKEDIN_CLIENT_SECRET": "app-secret",
            "LINKEDIN_API_VERSION": "202611",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "86bfq2dgqv3b3k app-secret 202611"


def test_a_misspelt_api_version_stops_startup_with_the_variable_named(tmp_path: Path) -> None:
    result = _shell({"LINKEDIN_API_VERSION": "2026-11"}, tmp_path)
    assert result.returncode != 0
    assert "LINKEDIN_API_VERSION must be a LinkedIn version YYYYMM" in result.stderr
