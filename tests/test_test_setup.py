"""The test setup itself: CI requires every service, lint runs in CI, passwords are hashed
fast in tests only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from townsquare.testing.services import REQUIRE_SERVICES, unavailable

ROOT = Path(__file__).resolve().parents[1]
NOBODY_LISTENS = "postgresql://postgres@127.0.0.1:1/nothing"


def test_a_missing_service_skips_the_test_with_the_reason_on_a_developers_machine(monkeypatch):
    monkeypatch.delenv(REQUIRE_SERVICES, raising=False)
    with pytest.raises(pytest.skip.Exception, match="Redis is not reachable"):
        unavailable("Redis is not reachable at 127.0.0.1:6379")


def test_a_missing_service_fails_the_test_where_the_run_requires_every_service(monkeypatch):
    monkeypatch.setenv(REQUIRE_SERVICES, "1")
    with pytest.raises(pytest.fail.Exception, match="Redis is not reachable"):
        unavailable("Redis is not reachable at 127.0.0.1:6379")


def test_ci_requires_every_service_and_runs_the_lint_before_the_tests():
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert f"export {REQUIRE_SERVICES}=1" in lines
    assert "make lint" in lines and "make test" in lines
    assert (
        lines.index(f"export {REQUIRE_SERVICES}=1")
        < lines.index("make lint")
        < lines.index("make test")
    )
    assert "set -eu" in lines  # a failed lint stops the run


def make_test_without_postgresql(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """`make test` with PostgreSQL unreachable, the SQLite run replaced by a stand-in."""
    python = tmp_path / "python"
    python.write_text(
        f'#!/bin/sh\nif [ "$1" = "-m" ]; then echo "stand-in for $*"; exit 0; fi\n'
        f'exec {sys.executable} "$@"\n'
    )
    python.chmod(0o755)
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than pyproject.toml: nothing is installed
    environ = {key: value for key, value in os.environ.items() if key != REQUIRE_SERVICES}
    return subprocess.run(
        [
            "make",
            "--no-print-directory",
            "test",
            f"PY={python}",
            f"STAMP={stamp}",
            "TEST_TOOLS=true",
            f"TEST_DATABASE_URL={NOBODY_LISTENS}",
        ],
        cwd=ROOT,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_test_skips_the_postgresql_run_without_a_server_on_a_developers_machine(tmp_path):
    done = make_test_without_postgresql(tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "stand-in for -m pytest" in done.stdout
    assert "SKIPPED: the PostgreSQL run" in done.stdout


def test_make_test_fails_without_postgresql_where_the_run_requires_every_service(tmp_path):
    done = make_test_without_postgresql(tmp_path, **{REQUIRE_SERVICES: "1"})

    assert done.returncode != 0, done.stdout + done.stderr
    assert "stand-in for -m pytest" in done.stdout  # the SQLite run still ran
    assert "FAILED: PostgreSQL is not reachable" in done.stdout


def test_the_tests_hash_passwords_with_a_fast_hasher(alice):
    from django.contrib.auth.hashers import get_hasher

    assert get_hasher().algorithm == "md5"
    assert alice.password.startswith("md5$")
    assert alice.check_password("alice-pass-123")


def test_townsquare_itself_keeps_djangos_strong_password_hasher(tmp_path):
    program = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.PASSWORD_HASHERS[0])"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "townsquare.settings",
            "TOWNSQUARE_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
