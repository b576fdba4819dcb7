"""Run every benchmark: `make bench` (or `python -m bench`). Not part of the test suite."""

import runpy
import sys

BENCHMARKS = [
    "bench.adapt",
    "bench.publish",
    "bench.uploads",
    "bench.calendar",
    "bench.bulk_check",
    "bench.triage",
    "bench.inbox",
    "bench.analytics",
]

for module in BENCHMARKS:
    print(f"== {module} ==", flush=True)
    sys.argv = [module]
    runpy.run_module(module, run_name="__main__")
