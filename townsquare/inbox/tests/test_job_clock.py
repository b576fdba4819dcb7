"""A throttled scheduler job does its work once, then waits out its interval."""

from townsquare.inbox import job_clock
from townsquare.inbox.job_clock import JobClock


def test_a_job_runs_at_once_then_only_after_its_interval(monkeypatch):
    now = {"t": 1000.0}
    monkeypatch.setattr(job_clock.time, "monotonic", lambda: now["t"])
    clock, runs = JobClock(), []
    assert clock.run_every("digest", 600.0, lambda: runs.append(now["t"])) == 600.0
    now["t"] += 150.0
    assert clock.run_every("digest", 600.0, lambda: runs.append(now["t"])) == 450.0
    assert clock.run_every("retention", 60.0, lambda: runs.append(-1)) == 60.0, "its own clock"
    now["t"] += 450.0
    assert clock.run_every("digest", 600.0, lambda: runs.append(now["t"])) == 600.0
    assert runs == [1000.0, -1, 1600.0]
