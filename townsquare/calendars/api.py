"""API of the calendars app."""

from ninja import Router

router = Router(tags=["calendars"])
