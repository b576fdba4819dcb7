"""API of the bulk app."""

from ninja import Router

router = Router(tags=["bulk"])
