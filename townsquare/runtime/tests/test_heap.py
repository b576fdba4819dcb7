"""The web process freezes what it keeps for its lifetime once loaded (runtime/heap.py), so
the garbage collector's full passes walk only what requests leave behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Run in a process of its own: freezing the test process would keep its objects forever.
PROBE = """
import gc, json, sys
import townsquare.wsgi
frozen = gc.get_freeze_count()
gc.collect()
print(json.dumps({
    "frozen": frozen,
    "views_loaded": "townsquare.analytics.views" in sys.modules,
    "left_to_walk": len(gc.get_objects()),
}))
"""


def test_loading_the_wsgi_application_loads_every_view_and_freezes_what_is_alive(tmp_path):
    env = {**os.environ, "TOWNSQUARE_DATA_DIR": str(tmp_path), "DEBUG": "0"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    # The views are imported before the freeze, not on the first request after it.
    assert found["views_loaded"]
    # Nearly everything a loaded Townsquare holds is out of the collector's way...
    assert found["frozen"] > 50_000
    # ...and what a full pass still walks is a small remainder.
    assert found["left_to_walk"] < found["frozen"] / 10
