"""Settings of the workers and schedulers that the publishing engine's process tests and its
benchmark start (DJANGO_SETTINGS_MODULE of those processes): Townsquare's own settings plus
the two values that settings.py does not take from the environment.

- TEST_PUBLISH_LEASE_SECONDS: a lease of seconds instead of a minute and a half, so that the
  rows of a worker killed on purpose come back within the test's time. Still well above the
  test accounts' HTTP timeouts (2 s to connect, 1 s to read), as the engine requires.
- TEST_PUBLISH_TASK_QUEUE: the task queue of this run, so that runs sharing a broker never
  take each other's messages.
"""

from townsquare.lib.env import env_int, env_str
from townsquare.settings import *  # noqa: F403
from townsquare.settings import ENV, TASKS

PUBLISH_LEASE_SECONDS = env_int(ENV, "TEST_PUBLISH_LEASE_SECONDS", 90)
PUBLISH_TASK_QUEUE = env_str(ENV, "TEST_PUBLISH_TASK_QUEUE", "default")
TASKS = {"default": {**TASKS["default"], "QUEUES": sorted({"default", PUBLISH_TASK_QUEUE})}}
# No remote-control mailbox: it would leave a binding per worker in the shared broker.
CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
