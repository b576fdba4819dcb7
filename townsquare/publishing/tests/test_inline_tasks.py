"""Background work never runs inline outside tests: an inline publish would run inside the
scheduler's claim or a web request, outside any worker's lease."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def settings_check(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "TASKS_BACKEND"}}
    return subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "townsquare.settings",
            "SECRET_KEY": "x",
            "TOWNSQUARE_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def test_inline_tasks_are_refused_outside_tests(tmp_path):
    refused = settings_check(tmp_path, TASKS_BACKEND="immediate")
    assert refused.returncode != 0
    assert "TASKS_BACKEND=immediate" in refused.stderr and "tests only" in refused.stderr
    under_pytest = settings_check(tmp_path, TASKS_BACKEND="immediate", PYTEST_VERSION="9")
    assert under_pytest.returncode == 0, under_pytest.stderr
