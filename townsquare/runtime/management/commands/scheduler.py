import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from townsquare.runtime import scheduler


class Command(BaseCommand):
    help = "Run the scheduler loop (claims due work and enqueues it). Several may run at once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            scheduler.run_once()
            return
        stop = threading.Event()
        wake = threading.Event()

        def request_stop(signum: int, frame: Any) -> None:
            stop.set()
            wake.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        scheduler.run_forever(stop, wake)
