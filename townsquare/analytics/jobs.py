"""The analytics jobs in the scheduler loop (this module is what the scheduler discovers).

Here: collecting each account's counters when they are due (collection_jobs), one task per
account.
"""

from __future__ import annotations

import townsquare.analytics.collection_jobs  # noqa: F401  (imported for the job it registers)
