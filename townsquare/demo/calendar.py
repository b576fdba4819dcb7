"""Demo data for the calendar: see the seed function."""

from __future__ import annotations

from townsquare.workspaces.models import Workspace


def seed_calendar(workspaces: list[Workspace]) -> None:
    """Filled in by the calendar capability."""
