"""The analytics jobs in the scheduler loop (this module is what the scheduler discovers).

Here: collecting each account's counters when they are due (collection_jobs), one task per
account; sending the reports scheduled by e-mail (report_jobs); working a workspace's posts
out again in its new zone after the zone changed (post_rollup).
"""

from __future__ import annotations

# Imported for the jobs they register.
from townsquare.analytics import collection_jobs, report_jobs  # noqa: F401
from townsquare.analytics.post_rollup import rezone_changed_workspaces
from townsquare.runtime.scheduler import register

register(rezone_changed_workspaces)
