import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from townsquare.runtime import scheduler


class Command(BaseCommand):
    help = "Run the scheduler loop (claims due work and enqueues it). Several may run at once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler.autodiscover()
        if options["once"]:
            scheduler.run_once()
            return
        stop = threading.Event()
        wake = threading.Event()
        received: list[int] = []

        # The handler only records the signal. Setting an Event from a handler could
        # deadlock: the handler runs in the main thread, which may be inside that very
        # Event's lock at that moment.
        def on_signal(signum: int, frame: FrameType | None) -> None:
            received.append(signum)

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        loop = threading.Thread(target=scheduler.run_forever, args=(stop, wake), name="scheduler")
        loop.start()
        while loop.is_alive():
            loop.join(timeout=0.2)
            if received:
                stop.set()
                wake.set()
