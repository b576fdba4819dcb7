"""`{{ url|is_demo_address }}`: a published post's address is the demo network's (the post went
to a demo connection and nothing was sent to the network; networks/demo_transport.py)."""

from __future__ import annotations

from django import template

from townsquare.networks.demo_transport import is_demo_address as _is_demo_address

register = template.Library()


@register.filter
def is_demo_address(url: object) -> bool:
    return isinstance(url, str) and _is_demo_address(url)
