import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from townsquare.runtime.supervisor import Child, Supervisor, townsquare_argv

# Threads per web worker (`--web-workers`, 2 by default).
WEB_THREADS = 16


class Command(BaseCommand):
    help = "Run Townsquare: web server, background worker and scheduler. Ctrl-C stops all."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument(
            "--task-workers",
            type=int,
            default=4,
            help="Worker processes of the database task backend (each runs one task at a time; "
            "four keep up with 2,000 posts due in one minute).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("setup")
        # The children open their own connections; this process only supervises.
        connections.close_all()
        host, port = options["host"], options["port"]
        if not settings.SITE_URL_CONFIGURED:
            # The children read their settings from this environment: links they put in
            # e-mails then lead to the address served here, not to a default port.
            # (Written, never read here: settings.py is the one module that reads it.)
            os.environ.update(SITE_URL=site_url_for(host, port))
        web = Child("web", web_server_argv(host, port, workers=options["web_workers"]))
        if settings.TASKS_BACKEND == "celery":
            worker = Child(
                "worker",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "townsquare.runtime.celery_app",
                    "worker",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                ],
            )
            workers = [worker]
        else:
            workers = [
                Child(
                    f"worker-{number}",
                    townsquare_argv("db_worker", "--no-reload", "--interval", "0.5"),
                )
                for number in range(1, max(1, options["task_workers"]) + 1)
            ]
        scheduler = Child("scheduler", townsquare_argv("scheduler"))
        self.stdout.write(
            self.style.SUCCESS(f"Townsquare is starting at {site_url_for(host, port)}/")
        )
        login_file = settings.DATA_DIR / "demo-login.txt"
        if login_file.exists():
            self.stdout.write(login_file.read_text(encoding="utf-8").strip())
        self.stdout.write("Press Ctrl-C to stop.")
        supervisor = Supervisor(
            [web, *workers, scheduler], log=lambda message: self.stdout.write(f"[up] {message}")
        )
        exit_code = supervisor.run()
        if exit_code:
            raise SystemExit(exit_code)


def site_url_for(host: str, port: int) -> str:
    """The address a browser opens for a server bound to `host`:`port`."""
    # A wildcard bind address is not something a browser can open.
    if host in ("0.0.0.0", "::", ""):  # noqa: S104
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    return f"http://{host}:{port}"


def web_server_argv(host: str, port: int, *, workers: int) -> list[str]:
    """The gunicorn command line of `townsquare up`.

    Threaded workers: most of a request's time is spent waiting (the database, a network's
    API), and a thread waiting for a slow client leaves the others to serve. Enough threads
    that a few dozen slow clients leave room for everyone else; gunicorn_conf drops a client
    that stops sending, and the worker timeout restarts a worker that stops answering its
    master. Behind a reverse proxy that buffers requests, slow clients never reach gunicorn.
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "townsquare.wsgi:application",
        "--config",
        "python:townsquare.runtime.gunicorn_conf",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(WEB_THREADS),
        # A worker whose main loop is silent this long is killed and replaced.
        "--timeout",
        "30",
        # On stop or restart, requests in progress get this long to finish.
        "--graceful-timeout",
        "5",
        # Browsers reuse a connection for the page's next requests; an idle one is closed.
        "--keep-alive",
        "5",
        "--access-logfile",
        "-",
        "--no-control-socket",
    ]
