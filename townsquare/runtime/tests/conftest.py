from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from townsquare.runtime.tests.support import Spawned, spawn


@pytest.fixture
def start_process(tmp_path: Path) -> Iterator[Callable[..., Spawned]]:
    """Start a process for this test; its whole process group is stopped afterwards."""
    started: list[tuple[Spawned, float]] = []

    def start(argv: list[str], *, env: dict[str, str], name: str, grace: float = 5.0) -> Spawned:
        process = spawn(argv, env=env, name=name, log_dir=tmp_path)
        started.append((process, grace))
        return process

    yield start
    for process, grace in reversed(started):
        process.stop(grace)
