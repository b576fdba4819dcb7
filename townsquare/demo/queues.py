"""Demo data for the queues: see the seed function."""

from __future__ import annotations

from townsquare.workspaces.models import Workspace


def seed_queues(workspaces: list[Workspace]) -> None:
    """Filled in by the queues capability."""
