"""A web process's objects that live as long as it does, kept out of the garbage
collector's full passes.

Every module, class, function, URL pattern and translation catalogue a loaded Townsquare
holds (about 280,000 objects) is otherwise walked by each full collection: 130 ms on this
kind of machine, landing in whichever request happens to trigger it. A dashboard over two
years of posts allocated enough to set one off every few requests, so its slowest requests
took twice its usual time. Frozen once the application is loaded (`gc.freeze`, the
collector's own tool for this), those objects are never walked again; a full pass over what
requests leave behind then takes a few milliseconds. Frozen objects are still freed by
reference counting; only cycles among them would stay, and these are objects kept for the
process's lifetime anyway.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Load every view (through the URL patterns), then freeze what is alive: called once
    the WSGI application exists (townsquare/wsgi.py), before the first request."""
    from django.urls import get_resolver

    # Views are imported on the first request otherwise, after the freeze.
    get_resolver().url_patterns  # noqa: B018 -- loading them is the point
    gc.collect()
    gc.freeze()
