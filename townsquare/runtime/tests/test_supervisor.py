"""The supervisor behind `townsquare up`, with small shell children: restarts, backoff,
giving up, stopping whole process groups, Ctrl-C once and twice, dying with its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from townsquare.runtime import supervisor
from townsquare.runtime.supervisor import Child, Supervisor
from townsquare.runtime.tests.support import in_sessions, proc_info, wait_for


def sh(script: str) -> list[str]:
    return ["/bin/sh", "-c", script]


def test_a_child_that_keeps_exiting_is_restarted_with_backoff_until_the_supervisor_gives_up(
    monkeypatch,
):
    monkeypatch.setattr(supervisor, "MAX_BACKOFF_SECONDS", 0.05)
    messages: list[str] = []
    failing = Child("failing", sh("exit 3"))
    steady = Child("steady", sh("sleep 30"))

    exit_code = Supervisor([failing, steady], log=messages.append, poll_seconds=0.02).run()

    assert exit_code == 1
    assert failing.restarts == supervisor.MAX_FAILURES
    assert steady.restarts == 0
    assert steady.process is not None and steady.process.returncode is not None
    text = "\n".join(messages)
    assert "failing exited with 3; restarting\n" in text  # the first restart is immediate
    assert "failing exited with 3; restarting in 0.05 s" in text
    assert "failing exited with 3, 6 times within 60 s; stopping everything" in text
    assert messages[-1] == "stopped"


def test_stopping_ends_each_childs_whole_process_group_even_what_ignores_sigterm():
    polite = Child("polite", sh("sleep 30 & sleep 30 & wait"))
    stubborn = Child("stubborn", sh("trap '' TERM; sleep 30 & sleep 30; wait"))
    messages: list[str] = []
    runner = Supervisor([polite, stubborn], log=messages.append, grace_seconds=0.5)
    for child in (polite, stubborn):
        runner.start(child)
    sessions = {child.process.pid for child in (polite, stubborn)}
    wait_for(lambda: len(in_sessions(sessions)) == 6, timeout=5, what="the grandchildren")

    runner.stop_all()

    # Signals are delivered at once but a loaded machine may take a moment to end the
    # processes: what matters is that none survives.
    wait_for(lambda: in_sessions(sessions) == [], timeout=5, what="every grandchild to end")
    assert polite.process.returncode == -signal.SIGTERM
    assert stubborn.process.returncode == -signal.SIGKILL
    assert "stubborn did not stop within 0.5 s; killing it" in messages


def test_ctrl_c_stops_every_child_and_the_supervisor_exits_with_0():
    children = [Child("a", sh("sleep 30")), Child("b", sh("sleep 30"))]

    def log(message: str) -> None:
        if message.startswith("started b"):
            os.kill(os.getpid(), signal.SIGINT)  # as a terminal's Ctrl-C would

    handler_before = signal.getsignal(signal.SIGINT)
    assert Supervisor(children, log=log).run() == 0
    assert signal.getsignal(signal.SIGINT) is handler_before
    assert all(child.process.returncode == -signal.SIGTERM for child in children)


def test_a_second_ctrl_c_kills_the_children_without_waiting_for_them():
    children = [Child("stubborn", sh("trap '' TERM; sleep 30"))]

    def log(message: str) -> None:
        if message.startswith(("started", "stopping")):
            os.kill(os.getpid(), signal.SIGINT)

    runner = Supervisor(children, grace_seconds=30, log=log)
    assert runner.run() == 0
    assert runner.forced  # killed at the second Ctrl-C, not after the 30 s of grace
    assert children[0].process.returncode == -signal.SIGKILL


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_children_are_stopped_when_the_supervisor_itself_is_killed(tmp_path):
    program = (
        "from townsquare.runtime.supervisor import Child, Supervisor\n"
        "log = lambda message: print(message, flush=True)\n"
        "Supervisor([Child('sleeper', ['sleep', '30'])], log=log).run()\n"
    )
    log_path = tmp_path / "supervisor.log"
    with log_path.open("wb") as log:
        parent = subprocess.Popen(
            [sys.executable, "-c", program], stdout=log, stderr=subprocess.STDOUT
        )
    try:
        line = wait_for(
            lambda: "started sleeper" in log_path.read_text() and log_path.read_text(),
            timeout=10,
            what="the child to start",
        )
        child_pid = int(line.split("(pid ")[1].split(")")[0])
        assert proc_info(child_pid) is not None

        parent.kill()
        parent.wait()

        wait_for(
            lambda: (info := proc_info(child_pid)) is None or info.state == "Z",
            timeout=5,
            what="the orphaned child to stop",
        )
    finally:
        parent.kill()
        parent.wait()
