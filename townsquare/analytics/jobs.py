"""The analytics jobs in the scheduler loop (this module is what the scheduler discovers).

Here: collecting each account's counters when they are due (collection_jobs), one task per
account; sending the reports scheduled by e-mail (report_jobs).
"""

from __future__ import annotations

import townsquare.analytics.collection_jobs  # noqa: F401  (imported for the job it registers)
import townsquare.analytics.report_jobs  # noqa: F401  (imported for the job it registers)
