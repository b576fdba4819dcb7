"""Demo data for the planning: see the seed function."""

from __future__ import annotations

from townsquare.workspaces.models import Workspace


def seed_plan(workspaces: list[Workspace]) -> None:
    """Filled in by the planning capability."""
