"""Process upload files in a process of their own and report what it cost, as JSON.

    python -m townsquare.media.tests.peak FILE [FILE ...]

Several files are processed at once, one thread each, as a web process serves uploads.
Prints {"peak_bytes", "cpu_seconds", "wall_seconds", "outcomes"}: the peak resident memory
above what the process held before the first byte of the files was read (the high-water
mark is reset there), the CPU time of all threads, and per file "accepted WxH" or the code
of the refusal. Only the pure processing runs here: no Django, as in upload processing.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

from townsquare.media.facts import MediaRejected
from townsquare.media.processing import process_upload


def _status_bytes(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _process(path: str, outcomes: list[str], index: int) -> None:
    with open(path, "rb") as stream:  # read by processing itself, as an upload is
        try:
            processed = process_upload(stream, size=os.path.getsize(path))
        except MediaRejected as error:
            outcomes[index] = f"refused {error.problem.code}"
            return
    facts = processed.facts
    outcomes[index] = f"accepted {facts.width}x{facts.height}"


def main(paths: list[str]) -> None:
    outcomes = [""] * len(paths)
    threads = [
        threading.Thread(target=_process, args=(path, outcomes, index))
        for index, path in enumerate(paths)
    ]
    start_rss = _status_bytes("VmRSS")
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")  # the high-water mark starts again from here
    cpu, wall = time.process_time(), time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = {
        "peak_bytes": _status_bytes("VmHWM") - start_rss,
        "cpu_seconds": time.process_time() - cpu,
        "wall_seconds": time.monotonic() - wall,
        "outcomes": outcomes,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
