"""Meta's settings: the app, the webhook's verify token and the Graph API version come from
the environment, and a version that is not one stops startup with the variable named instead
of being ignored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
SHOW = (
    "from django.conf import settings; "
    "print(settings.META_APP_ID, settings.META_APP_SECRET, "
    "settings.META_WEBHOOK_VERIFY_TOKEN, settings.META_GRAPH_API_VERSION, sep='|')"
)


def _shell(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "META_"))}
    base.update({"TOWNSQUARE_DATA_DIR": str(tmp_path), "SECRET_KEY": "x", **env})
    return subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "shell", "-c", SHOW],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_the_meta_app_token_and_version_are_read_from_the_environment(tmp_path: Path) -> None:
    result = _shell(
        {
            "META_APP_ID": " 1234567890123 ",
            "META_APP_SECRET": "app-secret",
            "META_WEBHOOK_VERIFY_TOKEN": "verify-me",
            "META_GRAPH_API_VERSION": "v25.0",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last == "1234567890123|app-secret|verify-me|v25.0"


def test_unset_the_meta_settings_are_empty(tmp_path: Path) -> None:
    result = _shell({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "|||"


def test_a_misspelt_graph_version_stops_startup_with_the_variable_named(tmp_path: Path) -> None:
    for wrong in ("25.0", "v25", "v25.1", "latest"):
        result = _shell({"META_GRAPH_API_VERSION": wrong}, tmp_path)
        assert result.returncode != 0, wrong
        assert "META_GRAPH_API_VERSION must be a Graph API version vNN.0" in result.stderr
