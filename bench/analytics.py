"""Benchmark: the analytics dashboards and the quarter's PDF over two years of history.

    python -m bench.analytics [--posts 100000] [--accounts 50] [--days 730] [--requests 30]
                              [--pdf-runs 3] [--weekly-after DAYS] [--only sqlite|postgresql]

Each database runs in a process of its own (bench/harness.py): SQLite in a temporary data
directory, and PostgreSQL when DATABASE_URL points to it (a database of its own, dropped
after the run). One workspace gets `--accounts` accounts over ten networks and two years of
history from analytics/history.py, the generator the demo uses: a snapshot per account and
day, `--posts` posts with their snapshots in the collection's rhythm (every 3 hours for two
days, daily until day 30, weekly until day 90: about 50 per post; `--weekly-after` keeps
only weekly ones for posts older than that many days), and 300 published posts of the
plan (two or three accounts each, with pillars and a campaign) tracked like the others.
The time to generate the data is printed.

Then a process of its own, loaded as the web server loads Townsquare (bench/harness.py,
`load_as_served`) and holding nothing of the generator's, requests every analytics page
`--requests` times through Django's test client, signed in as the owner (after warm-up
requests): server time p50/p99/max, CPU time of the
server process, queries per request, against the goal of p99 under 300 ms. A page that
does not exist yet is listed as "not built yet". The PDF report of the last quarter is made
`--pdf-runs` times, against the goal of under 10 s. Prints the machine's load beside every
figure; exits with 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import logging
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.harness import (
    TIMING_HEAD,
    backend_argument,
    load,
    load_as_served,
    run_everywhere,
    start_django,
    time_page,
    timing_cells,
    verdict,
)

TARGET_P99_MS = 300.0
TARGET_PDF_S = 10.0
NETWORKS = (
    "bluesky",
    "mastodon",
    "matrix_room",
    "x",
    "instagram",
    "facebook_page",
    "linkedin_page",
    "threads",
    "youtube",
    "pinterest",
)
PLAN_POSTS = 300
# The pages the dashboards offer, with the query each is opened with: (label, url name,
# query). Kwargs beyond the workspace are filled from the data (see `_kwargs`).
PAGES = (
    ("overview, 28 days", "workspace_analytics", ""),
    ("overview, last quarter", "workspace_analytics", "?period=last_quarter"),
    ("overview, one network", "workspace_analytics", "?network=bluesky&period=90d"),
    ("overview, two years", "workspace_analytics", "?period=custom&start={two_years}&end={today}"),
    ("posts, 28 days", "analytics_posts", ""),
    ("posts, last quarter", "analytics_posts", "?period=last_quarter"),
    ("one post", "analytics_post", ""),
    ("campaigns and pillars", "analytics_campaigns", "?period=last_quarter"),
    ("variants (A/B) list", "analytics_variant_list", "?period=last_quarter"),
    ("variants of one message", "analytics_variants", ""),
    ("team", "analytics_team", "?period=last_quarter"),
)
PDF = ("report PDF, last quarter", "analytics_report_pdf", "?period=last_quarter")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--weekly-after", type=int, default=None, metavar="DAYS")
    backend_argument(parser)
    parser.add_argument("--fill", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        print(json.dumps(fill_database(args)), flush=True)
        return
    if args.run:
        print(json.dumps(run(args)), flush=True)
        return
    argv = ["--posts", str(args.posts), "--accounts", str(args.accounts)]
    argv += ["--days", str(args.days), "--requests", str(args.requests)]
    argv += ["--pdf-runs", str(args.pdf_runs)]
    if args.weekly_after is not None:
        argv += ["--weekly-after", str(args.weekly_after)]
    results = run_everywhere("bench.analytics", "analytics", argv, only=args.only)
    report([r for r in results if r])
    if any(r is None or missed(r) for r in results):
        sys.exit(1)


def missed(result: dict[str, Any]) -> bool:
    pages = [p for p in result["pages"].values() if p.get("p99_ms") is not None]
    slow_page = any(p["p99_ms"] > TARGET_P99_MS for p in pages)
    failed = any(p.get("error") for p in result["pages"].values())
    pdf = result["pdf"]
    slow_pdf = pdf.get("max_s") is not None and pdf["max_s"] > TARGET_PDF_S
    return slow_page or failed or slow_pdf or bool(pdf.get("error"))


def report(results: list[dict[str, Any]]) -> None:
    for r in results:
        data = r["data"]
        print(
            f"{r['backend']}: {data['accounts']} accounts, {data['days']} days; "
            f"{data['account_snapshots']:,} account snapshots, {data['tracked_posts']:,} posts "
            f"({data['linked_posts']} published through the plan), "
            f"{data['post_snapshots']:,} post snapshots; generated in "
            f"{data['generate_s']:.0f} s ({data['rows_per_s']:,.0f} rows/s, "
            f"load {data['load']:.1f})"
        )
    print(f"Analytics pages, signed in as the owner, goal p99 < {TARGET_P99_MS:.0f} ms")
    head = ("database", "page", *TIMING_HEAD)
    print(f"{head[0]:<12}{head[1]:<26}" + "".join(f"{h:>9}" for h in head[2:]) + "  goal")
    for r in results:
        for label, figures in r["pages"].items():
            if figures.get("missing"):
                print(f"{r['backend']:<12}{label:<26}  not built yet")
            elif figures.get("error"):
                print(f"{r['backend']:<12}{label:<26}  FAILED: {figures['error']}")
            else:
                ratio = figures["p99_ms"] / TARGET_P99_MS
                print(
                    f"{r['backend']:<12}{label:<26}{timing_cells(figures)}"
                    f"  {verdict(figures, TARGET_P99_MS)}, p99 {ratio:.2f} of goal"
                )
    print(f"{PDF[0]}, goal < {TARGET_PDF_S:.0f} s")
    for r in results:
        pdf = r["pdf"]
        if pdf.get("missing"):
            print(f"{r['backend']:<12}  not built yet")
        elif pdf.get("error"):
            print(f"{r['backend']:<12}  FAILED: {pdf['error']}")
        else:
            ok = "met" if pdf["max_s"] <= TARGET_PDF_S else "MISSED"
            print(
                f"{r['backend']:<12}  runs {pdf['runs']}, median {pdf['median_s']:.2f} s, "
                f"max {pdf['max_s']:.2f} s, cpu {pdf['cpu_median_s']:.2f} s, "
                f"{pdf['kilobytes']:.0f} kB  {ok}, {pdf['max_s'] / TARGET_PDF_S:.2f} of goal "
                f"(load {pdf['load']:.1f})"
            )


# --- inside the measured process -------------------------------------------------------------


def progress(text: str) -> None:
    print(f"  {text} (load {load():.1f})", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    filled = fill_in_own_process(args)
    start_django()
    load_as_served()
    # WeasyPrint narrates every step of every PDF at INFO: not wanted between the figures.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from django.contrib.auth import get_user_model

    from townsquare.workspaces.models import Workspace

    owner = get_user_model().objects.get(pk=filled["owner"])
    workspace = Workspace.objects.get(pk=filled["workspace"])
    ids = filled["ids"]
    pages = {}
    for label, name, query in PAGES:
        progress(f"timing {label}")
        pages[label] = measure_page(owner, workspace, name, query, ids, args.requests)
    progress("timing the PDF")
    pdf = measure_pdf(owner, workspace, ids, args.pdf_runs)
    return {"backend": args.run, "data": filled["data"], "pages": pages, "pdf": pdf}


def fill_in_own_process(args: argparse.Namespace) -> dict[str, Any]:
    """The history generated by a process of its own (same data directory and database),
    so that the measured process holds none of the generator's objects."""
    argv = [sys.executable, "-m", "bench.analytics", "--fill", args.run]
    argv += ["--posts", str(args.posts), "--accounts", str(args.accounts), "--days", str(args.days)]
    if args.weekly_after is not None:
        argv += ["--weekly-after", str(args.weekly_after)]
    done = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=True)
    filled: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return filled


def fill_database(args: argparse.Namespace) -> dict[str, Any]:
    start_django()
    from django.db import connection

    owner, workspace, data, ids = fill(args)
    with connection.cursor() as cursor:
        # Statistics as a running database has them; after a bulk fill they describe
        # empty tables.
        cursor.execute("ANALYZE")
    return {"owner": owner.pk, "workspace": workspace.pk, "data": data, "ids": ids}


def _path(workspace: Any, name: str, query: str, ids: dict[str, Any]) -> str | None:
    from django.urls import NoReverseMatch, reverse

    from townsquare.analytics import urls

    known = {p.name for p in urls.urlpatterns}
    try:
        from townsquare.analytics import report_urls

        known |= {p.name for p in report_urls.urlpatterns}
    except ImportError:
        pass
    if name not in known:
        return None
    kwargs = {"workspace": workspace.slug}
    kwargs.update(
        {
            "analytics_post": {"tracked_post_id": ids["tracked_post"]},
            "analytics_variants": {"post_id": ids["post"]},
        }.get(name, {})
    )
    try:
        return reverse(name, kwargs=kwargs) + query.format(**ids)
    except NoReverseMatch:
        return None


def measure_page(
    owner: Any, workspace: Any, name: str, query: str, ids: dict[str, Any], requests: int
) -> dict[str, Any]:
    path = _path(workspace, name, query, ids)
    if path is None:
        return {"missing": True}
    try:
        return time_page(owner, path, requests)
    except AssertionError as error:
        return {"error": f"{path} answered {error}"}


def measure_pdf(owner: Any, workspace: Any, ids: dict[str, Any], runs: int) -> dict[str, Any]:
    from django.test import Client

    path = _path(workspace, PDF[1], PDF[2], ids)
    if path is None:
        return {"missing": True}
    client = Client()
    client.force_login(owner)
    timings, cpu, size = [], [], 0
    for _ in range(max(runs, 1)):
        started, started_cpu = time.perf_counter(), time.process_time()
        answer = client.get(path, secure=True)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        if answer.status_code != 200:
            return {"error": f"{path} answered {answer.status_code}: {answer.content[:200]!r}"}
        size = len(answer.content)
    ordered, ordered_cpu = sorted(timings), sorted(cpu)
    return {
        "runs": len(timings),
        "median_s": ordered[len(ordered) // 2],
        "max_s": ordered[-1],
        "cpu_median_s": ordered_cpu[len(ordered_cpu) // 2],
        "kilobytes": size / 1024,
        "load": load(),
    }


def fill(args: argparse.Namespace) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    from django.contrib.auth import get_user_model

    from townsquare.analytics.history import HistorySpec, generate_history
    from townsquare.analytics.history_curves import Window
    from townsquare.analytics.models import TrackedPost
    from townsquare.networks.models import SocialAccount
    from townsquare.workspaces.actions import do_create_workspace

    owner = get_user_model().objects.create_user("bench@example.com", secrets.token_urlsafe(12))
    workspace = do_create_workspace(owner, name="Bench Rösterei", language="de")
    accounts = SocialAccount.objects.bulk_create(
        SocialAccount(
            workspace=workspace,
            network=NETWORKS[i % len(NETWORKS)],
            handle=f"@bench{i}",
            display_name=f"Bench {i}",
        )
        for i in range(args.accounts)
    )
    now = datetime.now(UTC)
    today = now.date()
    start = today - timedelta(days=args.days - 1)
    campaign, linked, post_id = plan_posts(owner, workspace, accounts, now)
    progress(f"generating {args.posts:,} posts over {args.days} days for {args.accounts} accounts")
    started = time.perf_counter()
    counts = generate_history(
        HistorySpec(
            workspace=workspace,
            accounts=tuple(accounts),
            start=start,
            end=now,
            posts=args.posts,
            texts=TEXTS,
            seed=11,
            campaigns=(Window(campaign.starts_on, campaign.ends_on),),
            linked=linked,
            sparse_after_days=args.weekly_after,
            batch_size=5000,
        )
    )
    seconds = time.perf_counter() - started
    rows = counts.account_snapshots + counts.tracked_posts + counts.post_snapshots
    progress(f"generated {rows:,} rows in {seconds:.0f} s")
    tracked = TrackedPost.objects.filter(workspace=workspace, publication__isnull=False).first()
    data = {
        "accounts": args.accounts,
        "days": args.days,
        "account_snapshots": counts.account_snapshots,
        "tracked_posts": counts.tracked_posts,
        "linked_posts": counts.linked_posts,
        "post_snapshots": counts.post_snapshots,
        "generate_s": seconds,
        "rows_per_s": rows / seconds if seconds else 0.0,
        "load": load(),
    }
    ids = {
        "tracked_post": tracked.pk if tracked else 0,
        "post": post_id,
        "today": today.isoformat(),
        "two_years": start.isoformat(),
    }
    return owner, workspace, data, ids


TEXTS = (
    ("Röstkunst", "Frisch aus dem Trommelröster: Brasilien Cerrado, mittel geröstet."),
    ("Herkunft & Fairness", "Neue Ernte aus Äthiopien ist angekommen, direkt gehandelt."),
    ("Rezepte & Zubereitung", "Cold Brew im Winter? 80 g grob gemahlen, 1 Liter Wasser."),
    ("Hinter den Kulissen", "Das ist Jana, unsere neue Röstmeisterin."),
)


def plan_posts(
    owner: Any, workspace: Any, accounts: list[Any], now: datetime
) -> tuple[Any, tuple[Any, ...], int]:
    """Posts published through the plan over the last 120 days (pillars, a campaign, two or
    three accounts each), so the campaign, pillar and A/B pages have something to compare."""
    import random

    from townsquare.analytics.history import LinkedPost
    from townsquare.content.models import Post, Variant
    from townsquare.planning.models import Campaign, Pillar
    from townsquare.publishing.models import Publication

    rng = random.Random(5)
    pillars = Pillar.objects.bulk_create(
        Pillar(workspace=workspace, name=name, target_share=25) for name, _ in TEXTS
    )
    campaign = Campaign.objects.create(
        workspace=workspace,
        name="Herbströstung",
        starts_on=(now - timedelta(days=75)).date(),
        ends_on=(now - timedelta(days=40)).date(),
    )
    posts = Post.objects.bulk_create(
        Post(
            workspace=workspace,
            master_text=TEXTS[n % len(TEXTS)][1],
            language="de",
            pillar=pillars[n % len(pillars)],
            campaign=campaign if n % 4 == 0 else None,
            created_by=owner,
        )
        for n in range(PLAN_POSTS)
    )
    variants = Variant.objects.bulk_create(
        Variant(post=post, account=account, text=post.master_text)
        for post in posts
        for account in rng.sample(accounts, rng.randint(2, 3))
    )
    when = {post.pk: now - timedelta(hours=rng.uniform(6, 120 * 24)) for post in posts}
    publications = Publication.objects.bulk_create(
        Publication(
            workspace=workspace,
            post_id=v.post_id,
            variant=v,
            account_id=v.account_id,
            status="published",
            due_at=when[v.post_id],
            published_at=when[v.post_id],
            attempt_count=1,
        )
        for v in variants
    )
    pillar_of = {post.pk: pillars[n % len(pillars)].name for n, post in enumerate(posts)}
    text_of = {post.pk: post.master_text for post in posts}
    linked = tuple(
        LinkedPost(
            account_id=p.account_id,
            publication_id=p.pk,
            published_at=p.published_at,
            text=text_of[p.post_id],
            network_post_id=f"bench-publication-{p.pk}",
            pillar=pillar_of[p.post_id],
            in_campaign=campaign.starts_on <= p.published_at.date() <= campaign.ends_on,
        )
        for p in publications
    )
    return campaign, linked, posts[0].pk


if __name__ == "__main__":
    main()
