"""API of the queues app."""

from ninja import Router

router = Router(tags=["queues"])
