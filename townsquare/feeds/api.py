"""API of the feeds app."""

from ninja import Router

router = Router(tags=["feeds"])
