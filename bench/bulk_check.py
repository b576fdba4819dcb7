"""Benchmark: checking a bulk import of 1,000 CSV rows, as the upload does.

    python -m bench.bulk_check [--rows 1000] [--accounts 5] [--repeat 3]

Runs in a process of its own with SQLite in a temporary data directory. A workspace with
accounts on several networks, a plan with a tone and hashtag rules, contacts, a campaign
and a pillar; then `check_rows` on rows naming one to three accounts each, with times,
links, hashtags, a campaign on every third row. Prints the time of the whole check and per
row (the best of --repeat), and how many problems it found, against the goal of the whole
check under 3 seconds. Exits with 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from typing import Any

TARGET_SECONDS = 3.0
NETWORKS = ["bluesky", "mastodon", "linkedin_page", "threads", "x"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args)), flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="tsq-bench-bulk-") as data_dir:
        env = {
            **os.environ,
            "TOWNSQUARE_DATA_DIR": data_dir,
            "SECRET_KEY": os.environ.get("SECRET_KEY", secrets.token_urlsafe(32)),
            "DEBUG": "0",
            "TASKS_BACKEND": "db",
        }
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "bench.bulk_check", "--run"]
        command += ["--rows", str(args.rows), "--accounts", str(args.accounts)]
        command += ["--repeat", str(args.repeat)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"failed\n{done.stderr[-3000:]}")
        sys.exit(1)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    ok = result["seconds"] <= TARGET_SECONDS
    print(
        f"Bulk import check, {result['rows']} rows over {result['accounts']} accounts: "
        f"{result['seconds']:.2f} s ({result['ms_per_row']:.2f} ms a row), "
        f"{result['problems']} problems, {result['queries']} queries; goal under "
        f"{TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'} (load {result['load']:.1f})"
    )
    if not ok:
        sys.exit(1)


# --- inside the measured process -------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from townsquare.bulk.parsing import FIELDS
    from townsquare.bulk.rows import check_rows

    call_command("migrate", verbosity=0)
    membership, rows = fill(args.rows, args.accounts)
    mapping: dict[str, int | None] = {name: i for i, name in enumerate(FIELDS)}
    best = float("inf")
    problems = 0
    counted = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counted[0] += 1
        return execute(sql, params, many, context)

    for _ in range(args.repeat):
        counted[0] = 0
        started = time.perf_counter()
        # Counted by a wrapper: a query log keeps only the last 9,000.
        with connection.execute_wrapper(count):
            checked = check_rows(membership, rows, mapping)
        best = min(best, time.perf_counter() - started)
        problems = len(checked.problems)
    queries = counted[0]
    return {
        "rows": args.rows,
        "accounts": args.accounts,
        "seconds": best,
        "ms_per_row": best * 1000 / max(1, args.rows),
        "problems": problems,
        "queries": queries,
        "load": os.getloadavg()[0],
    }


def fill(count: int, accounts: int) -> tuple[Any, list[dict[str, Any]]]:
    import random
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from townsquare.bulk.parsing import FIELDS
    from townsquare.content.models import Contact
    from townsquare.networks.models import SocialAccount
    from townsquare.planning.models import Campaign, Pillar
    from townsquare.workspaces.actions import do_create_workspace
    from townsquare.workspaces.models import Membership

    rng = random.Random(7)
    owner = get_user_model().objects.create_user("bulk@example.com", secrets.token_urlsafe(12))
    workspace = do_create_workspace(owner, name="Bench Rösterei", language="de")
    membership = Membership.objects.get(workspace=workspace, user=owner)
    socials = [
        SocialAccount.objects.create(
            workspace=workspace,
            network=NETWORKS[i % len(NETWORKS)],
            handle=f"bench{i}",
            display_name=f"Bench {i}",
        )
        for i in range(accounts)
    ]
    Contact.objects.create(
        workspace=workspace, name="Kaffeerösterei Nord", handles={"mastodon": "@nord@example.org"}
    )
    campaign = Campaign.objects.create(
        workspace=workspace,
        name="Frühling",
        starts_on=timezone.now().date(),
        ends_on=timezone.now().date() + timedelta(days=60),
    )
    Pillar.objects.create(workspace=workspace, name="Röstung")
    start = timezone.localtime(timezone.now()) + timedelta(days=2)
    rows = []
    for n in range(count):
        named = rng.sample(socials, rng.randint(1, min(3, len(socials))))
        values = {
            "accounts": "|".join(f"{a.network}:{a.handle}" for a in named),
            "time": (start + timedelta(hours=n)).strftime("%Y-%m-%d %H:%M"),
            "text": (
                f"Beitrag {n}: frisch geröstet, direkt gehandelt, heute bei Kaffeerösterei "
                f"Nord im Laden. " * rng.randint(1, 6)
            ),
            "language": "de",
            "link": "https://example.org/roestung" if n % 2 else "",
            "hashtags": "#kaffee #hamburg" if n % 4 else "",
            "campaign": campaign.name if n % 3 == 0 else "",
            "pillar": "Röstung" if n % 5 == 0 else "",
        }
        rows.append({"number": n + 2, "cells": [values.get(name, "") for name in FIELDS]})
    return membership, rows


if __name__ == "__main__":
    main()
