"""Configuration: every variable documented, safe defaults, a clean deployment check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from townsquare.lib.env import ConfigError, env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]
ENV_READ = re.compile(r'env_\w+\((?:ENV|os\.environ|environ), "([A-Z_]+)"')
# Read outside settings.py, before settings can load.
READ_ELSEWHERE = {"TOWNSQUARE_DATA_DIR"}
# Read by the Makefile, not by Townsquare.
FOR_TESTS_ONLY = {"TEST_DATABASE_URL"}


def documented() -> set[str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_]+=", line)}


def test_env_example_lists_every_variable_settings_reads_and_no_other():
    read = set(ENV_READ.findall((ROOT / "townsquare" / "settings.py").read_text()))
    assert read, "the pattern no longer finds the settings' reads"
    assert read | READ_ELSEWHERE | FOR_TESTS_ONLY == documented()


def test_settings_py_is_the_only_module_that_reads_the_environment():
    offenders = []
    for path in (ROOT / "townsquare").rglob("*.py"):
        if "tests" in path.parts or "testing" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ(?:\.get|\[)|os\.getenv", text) and path.name not in {
            "settings.py",
            "cli.py",
            "secrets_file.py",
            "celery_app.py",
            "wsgi.py",
        }:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize(
    ("reader", "raw", "error"),
    [
        (lambda e: env_bool(e, "X", False), "maybe", "X must be one of"),
        (lambda e: env_int(e, "X", 1), "ten", "X must be a whole number"),
        (lambda e: env_choice(e, "X", "db", ("db", "celery")), "rq", "X must be one of db, celery"),
    ],
)
def test_a_bad_value_is_a_clear_error_naming_the_variable(reader, raw, error):
    with pytest.raises(ConfigError, match=error):
        reader({"X": raw})


def test_typed_readers_parse_and_default():
    assert env_bool({"X": "Yes"}, "X", False) is True
    assert env_bool({}, "X", True) is True
    assert env_int({"X": " "}, "X", 7) == 7
    assert env_list({"X": "a, b,,c"}, "X", []) == ["a", "b", "c"]


def _manage(args, env, tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DEBUG"))}
    base.update({"TOWNSQUARE_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "townsquare.cli", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_check_deploy_is_clean_with_a_production_like_environment(tmp_path):
    env = {
        "SECRET_KEY": "p" * 20 + "-production-like-secret-" + "q" * 30,
        "ALLOWED_HOSTS": "townsquare.example.org",
        "SITE_URL": "https://townsquare.example.org",
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "mail.example.org",
        "SECURE_HSTS_PRELOAD": "1",
        "DATABASE_URL": "postgresql://townsquare@db.example.org/townsquare",
    }
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for(tmp_path):
    result = _manage(
        ["shell", "-c", "from django.conf import settings; print(settings.DEBUG)"],
        {"SECRET_KEY": "x"},
        tmp_path,
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_a_misspelt_backend_stops_startup_with_the_variable_named(tmp_path):
    result = _manage(["check"], {"SECRET_KEY": "x", "TASKS_BACKEND": "rq"}, tmp_path)
    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of db, celery, immediate" in result.stderr


def test_without_a_secret_key_the_error_says_how_to_fix_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["TOWNSQUARE_DATA_DIR"] = str(tmp_path / "empty")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            "'townsquare.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "townsquare setup" in result.stderr


def test_a_lease_too_short_for_any_network_call_stops_startup(tmp_path):
    result = _manage(["check"], {"SECRET_KEY": "x", "PUBLISH_LEASE_SECONDS": "2"}, tmp_path)
    assert result.returncode != 0
    assert "PUBLISH_LEASE_SECONDS must be at least 5" in result.stderr


def test_the_publishing_queue_is_one_the_task_backend_accepts(tmp_path):
    result = _manage(
        ["shell", "-c", "from django.conf import settings; print(settings.TASKS)"],
        {"SECRET_KEY": "x", "PUBLISH_TASK_QUEUE": "publishing"},
        tmp_path,
    )
    assert "'QUEUES': ['default', 'publishing']" in result.stdout, result.stderr


def _cache_of(env, tmp_path):
    result = _manage(
        [
            "shell",
            "-c",
            "from django.conf import settings; c = settings.CACHES['default'];"
            " print(c['BACKEND'], c['LOCATION'])",
        ],
        {"SECRET_KEY": "x", **env},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "django.core.cache.backends.db.DatabaseCache townsquare_cache"),
        (
            {
                "RATE_LIMIT_BACKEND": "redis",
                "RATE_LIMIT_REDIS_URL": "redis://cache.internal:6379/3",
            },
            "django.core.cache.backends.redis.RedisCache redis://cache.internal:6379/3",
        ),
        (
            {"CACHE_URL": "rediss://cache.internal:6380/1"},
            "django.core.cache.backends.redis.RedisCache rediss://cache.internal:6380/1",
        ),
    ],
    ids=["database-by-default", "redis-at-scale", "explicit"],
)
def test_the_cache_that_counts_sign_in_attempts_is_shared_by_every_process(env, expected, tmp_path):
    assert _cache_of(env, tmp_path) == expected


def test_a_cache_that_each_process_would_keep_for_itself_stops_startup(tmp_path):
    result = _manage(["check"], {"SECRET_KEY": "x", "CACHE_URL": "locmem://"}, tmp_path)
    assert result.returncode != 0
    assert "CACHE_URL must be" in result.stderr
