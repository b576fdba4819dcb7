"""Demo data for the approvals: see the seed function."""

from __future__ import annotations

from townsquare.workspaces.models import Workspace


def seed_approvals(workspaces: list[Workspace]) -> None:
    """Filled in by the approvals capability."""
