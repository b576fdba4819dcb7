"""The scheduler loop: heartbeat, jobs, sleeping, waking, stopping; and real `townsquare
scheduler` processes side by side."""

from __future__ import annotations

import os
import signal
import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.runtime import scheduler
from townsquare.runtime.heartbeat import SCHEDULER, scheduler_is_stale
from townsquare.runtime.models import Heartbeat
from townsquare.runtime.tests.support import process_env, townsquare_command
from townsquare.testing.waiting import GENEROUS_S, wait_until


@pytest.fixture
def jobs(monkeypatch):
    """An empty job registry for the test, whatever the apps registered."""
    registry: list = []
    monkeypatch.setattr(scheduler, "_jobs", registry)
    return registry


@pytest.fixture
def keep_the_connection(monkeypatch):
    """A pass starts by closing stale connections; inside the test's transaction that would
    close the connection the test's own rows live on, so the pass keeps it."""
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)


@pytest.fixture
def no_heartbeat(monkeypatch):
    """Loop tests that run in a thread and need no database."""
    beats: list[dict] = []
    monkeypatch.setattr(scheduler, "beat", lambda name, **info: beats.append(info))
    return beats


@pytest.mark.django_db
def test_one_pass_writes_the_scheduler_heartbeat(jobs, settings, keep_the_connection):
    settings.SCHEDULER_HEARTBEAT_SECONDS = 15
    before = timezone.now()

    assert scheduler.run_once() == 15.0

    beat = Heartbeat.objects.get(name=SCHEDULER)
    assert beat.beat_at >= before
    assert beat.pid == os.getpid()
    assert beat.info == {"jobs": []}


@pytest.mark.django_db
def test_registered_jobs_run_and_the_earliest_due_time_bounds_the_sleep(
    jobs, settings, keep_the_connection
):
    settings.SCHEDULER_HEARTBEAT_SECONDS = 15
    calls = []

    @scheduler.register
    def publish_due_posts() -> float:
        calls.append("publish")
        return 3.5

    @scheduler.register
    def nothing_known() -> None:
        calls.append("nothing")

    scheduler.register(publish_due_posts)  # registering twice runs it once

    assert scheduler.run_once() == 3.5
    assert calls == ["publish", "nothing"]
    assert Heartbeat.objects.get(name=SCHEDULER).info == {
        "jobs": [publish_due_posts.__qualname__, nothing_known.__qualname__]
    }
    jobs[:] = [lambda: -2.0]  # overdue work means no sleep at all
    assert scheduler.run_once() == 0.0


@pytest.mark.django_db
def test_a_failing_job_neither_stops_the_pass_nor_the_other_jobs(
    jobs, settings, caplog, keep_the_connection
):
    settings.SCHEDULER_HEARTBEAT_SECONDS = 15
    calls = []

    def broken() -> float:
        raise RuntimeError("network down")

    def healthy() -> float:
        calls.append("healthy")
        return 10.0

    jobs[:] = [broken, healthy]

    assert scheduler.run_once() == scheduler.RETRY_SECONDS
    assert calls == ["healthy"]
    assert "network down" in caplog.text


def run_in_thread(stop: threading.Event, wake: threading.Event | None = None) -> threading.Thread:
    thread = threading.Thread(target=scheduler.run_forever, args=(stop, wake), daemon=True)
    thread.start()
    return thread


def test_the_loop_sleeps_until_woken_and_stops_on_the_stop_event(
    jobs, no_heartbeat, settings, monkeypatch
):
    # A heartbeat an hour long: every wait below ends long before it, so a pass that comes
    # was woken, and a loop that ends noticed the stop event while asleep.
    settings.SCHEDULER_HEARTBEAT_SECONDS = 3600
    passes = []
    jobs.append(lambda: passes.append(len(passes)))
    naps: list[float] = []
    sleep = scheduler._sleep

    def recorded_sleep(seconds, stop, wake):
        naps.append(seconds)
        sleep(seconds, stop, wake)

    monkeypatch.setattr(scheduler, "_sleep", recorded_sleep)
    stop, wake = threading.Event(), threading.Event()

    thread = run_in_thread(stop, wake)
    wait_until(lambda: naps, what="the loop to fall asleep after its first pass")
    assert naps == [3600] and passes == [0], "no job due: it sleeps for the heartbeat"

    wake.set()
    wait_until(lambda: len(passes) == 2, what="the pass after the wake-up")
    wait_until(lambda: len(naps) == 2, what="the loop to fall asleep again")

    stop.set()  # without wake: the sleeping loop looks at its stop event every so often
    thread.join(timeout=GENEROUS_S)
    assert not thread.is_alive()
    assert len(passes) == 2
    assert len(no_heartbeat) == 2


def test_the_loop_keeps_going_after_a_failed_pass_and_after_failing_jobs(
    jobs, monkeypatch, settings
):
    settings.SCHEDULER_HEARTBEAT_SECONDS = 60
    monkeypatch.setattr(scheduler, "RETRY_SECONDS", 0.05)
    beats = []

    def beat_that_fails_first(name, **info):
        beats.append(name)
        if len(beats) == 1:
            raise RuntimeError("database is locked")

    monkeypatch.setattr(scheduler, "beat", beat_that_fails_first)
    calls = []

    def broken() -> float:
        calls.append("broken")
        raise RuntimeError("boom")

    jobs.append(broken)
    stop = threading.Event()
    thread = run_in_thread(stop)
    wait_until(lambda: len(calls) >= 3, what="three more passes")
    stop.set()
    thread.join(timeout=GENEROUS_S)
    assert not thread.is_alive()
    assert len(beats) == len(calls) + 1  # the first pass failed before reaching the job


def test_the_scheduler_sleeps_no_longer_than_the_heartbeat(jobs, no_heartbeat, settings):
    settings.SCHEDULER_HEARTBEAT_SECONDS = 0.3
    stop = threading.Event()
    thread = run_in_thread(stop)
    wait_until(lambda: len(no_heartbeat) >= 3, what="three heartbeats")
    stop.set()
    thread.join(timeout=GENEROUS_S)
    assert not thread.is_alive()


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_run_side_by_side_and_stop_promptly_on_sigterm(start_process):
    env = process_env(SCHEDULER_HEARTBEAT_SECONDS="1")
    schedulers = [
        start_process(townsquare_command("scheduler"), env=env, name=f"scheduler-{n}")
        for n in (1, 2)
    ]
    pids = {process.pid for process in schedulers}
    seen: set[int] = set()

    def both_have_beaten() -> bool:
        for process in schedulers:
            assert process.process.poll() is None, process.output()
        beat = Heartbeat.objects.filter(name=SCHEDULER).first()
        if beat is not None:
            seen.add(beat.pid)
        return seen == pids

    wait_until(both_have_beaten, what="a heartbeat from each scheduler")
    assert not scheduler_is_stale()

    for process in schedulers:
        os.kill(process.pid, signal.SIGTERM)
    for process in schedulers:
        assert process.wait(timeout=GENEROUS_S) == 0, process.output()
    for process in schedulers:
        output = process.output()
        assert "Traceback" not in output and "ERROR" not in output, output
        assert "scheduler stopped" in output, output


@pytest.mark.django_db
def test_the_scheduler_is_stale_without_a_heartbeat_and_with_an_old_one(settings):
    settings.SCHEDULER_STALE_AFTER_SECONDS = 120
    assert scheduler_is_stale()

    now = timezone.now()
    Heartbeat.objects.create(name=SCHEDULER, beat_at=now - timedelta(seconds=121))
    assert scheduler_is_stale()
    assert scheduler_is_stale(now=now)

    Heartbeat.objects.filter(name=SCHEDULER).update(beat_at=now - timedelta(seconds=119))
    assert not scheduler_is_stale(now=now)

    Heartbeat.objects.filter(name=SCHEDULER).update(beat_at=timezone.now())
    assert not scheduler_is_stale()
