"""Failed sign-ins are counted in one place for every process: two web processes (two
gunicorn workers, or a restarted one) cannot be used to get more guesses."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.cache import cache

from townsquare.accounts.tests.test_login_rate_limits import ALLOWED_FAILURES
from townsquare.runtime.tests.support import process_env


@pytest.fixture
def two_processes():
    env = process_env(ALLOWED_HOSTS="testserver")
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "townsquare.accounts.tests.sign_in_process"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in started:
        assert process.stdout.readline().strip() == "ready"
    yield started
    for process in started:
        process.stdin.close()
        process.wait(timeout=30)
    cache.clear()  # the counts live beside the test data, which a flush does not empty


def attempt(process: subprocess.Popen, email: str) -> str:
    process.stdin.write(email + "\n")
    process.stdin.flush()
    return process.stdout.readline().strip()


@pytest.mark.django_db(transaction=True)  # the other processes must see alice
def test_wrong_passwords_sent_to_two_processes_in_turn_are_all_counted(alice, two_processes):
    first, second = two_processes
    answers = [
        attempt(first if number % 2 == 0 else second, "alice@example.com")
        for number in range(ALLOWED_FAILURES + 3)
    ]
    assert answers == ["checked"] * ALLOWED_FAILURES + ["refused"] * 3
