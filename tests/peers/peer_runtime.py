"""What every peer server's fixtures and harness share: loading a harness by its path, a log
line that shows in pytest's output, and stopping a server's process group."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest


def load_by_path(name: str, path: Path) -> ModuleType:
    """A module loaded from its file: a harness folder named like the package it runs
    ("atproto", "synapse") must not shadow that package on sys.path."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def reporter_log(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Print a progress line (installing, started) where pytest shows it, even when the
    test's own output is captured."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")

    def log(line: str) -> None:
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line, file=sys.__stderr__, flush=True)

    return log


def stop_process_group(process: subprocess.Popen[bytes], timeout_s: float) -> None:
    """SIGTERM the group the server leads, then SIGKILL if it does not end in time."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout_s)
