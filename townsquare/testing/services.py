"""What a test does when something it needs from the machine is missing: a service
(PostgreSQL, Redis, RabbitMQ), Debian's Chromium, a real peer server, or a tool (ffmpeg,
GNU gettext).

On a developer's machine the test is skipped and says why. CI sets
`TOWNSQUARE_REQUIRE_SERVICES=1` (`.ci/run` does), and there the same test fails instead: a
green run must mean that every one of these tests ran, not that the machine lacked what
they check.

Things that are missing by design still skip everywhere (the twitter-text conformance
files that live outside the repository, a mode that runs in the other database's run).
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE_SERVICES = "TOWNSQUARE_REQUIRE_SERVICES"


def services_required() -> bool:
    return os.environ.get(REQUIRE_SERVICES, "").strip().lower() in {"1", "true", "yes", "on"}


def unavailable(reason: str) -> NoReturn:
    """Skip with `reason`, or fail with it when the run requires every service."""
    if services_required():
        pytest.fail(
            f"{reason} — this run requires it ({REQUIRE_SERVICES}=1), so the test fails "
            "instead of being skipped.",
            pytrace=False,
        )
    pytest.skip(reason)
