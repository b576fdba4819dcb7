"""Adaptation entry point (being written)."""

from townsquare.content.adapting.model import LinkMode, TargetProfile

__all__ = ["LinkMode", "TargetProfile"]
