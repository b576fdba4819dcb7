"""API of the planning app."""

from ninja import Router

router = Router(tags=["planning"])
