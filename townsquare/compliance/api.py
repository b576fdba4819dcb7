"""API of the compliance app."""

from ninja import Router

router = Router(tags=["compliance"])
