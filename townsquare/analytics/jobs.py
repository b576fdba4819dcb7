"""The analytics jobs in the scheduler loop (this module is what the scheduler discovers).

Here: collecting each account's counters when they are due (collection_jobs), one task per
account; sending the reports scheduled by e-mail (report_jobs).
"""

from __future__ import annotations

# Imported for the jobs they register.
from townsquare.analytics import collection_jobs, report_jobs  # noqa: F401
