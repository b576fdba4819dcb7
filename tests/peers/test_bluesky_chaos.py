"""200 Bluesky posts due at once while workers and schedulers are killed with SIGKILL at
random: the reference PDS must hold each post exactly once (read back with listRecords).

The engine's own chaos test (townsquare/publishing/tests/test_chaos.py) proves exactly-once
against the loopback test network; this one proves that the Bluesky connector's record keys
and lookups keep that promise against the real PDS, where a killed worker leaves a write
that may or may not have landed and only `find_published` can tell.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.publishing.models import Attempt, Publication
from townsquare.publishing.tests.fleet import (
    EMBEDDED,
    Fleet,
    chaos,
    fleet_env,
    not_published_listing,
    seed_publications,
    wait_settled,
)

pytestmark = [pytest.mark.peers, pytest.mark.django_db(transaction=True)]

COUNT = 200
SETTLE_TIMEOUT_S = 240


@pytest.fixture
def fleet(transactional_db, tmp_path, local_targets):
    queue = f"townsquare-bsky-chaos-{uuid.uuid4().hex[:12]}"
    env = fleet_env(EMBEDDED, queue=queue, lease_s=15, grace_s=2)
    # The PDS listens on loopback, which the SSRF guard refuses unless a setup allows it.
    env["ALLOW_PRIVATE_NETWORK_TARGETS"] = "1"
    started = Fleet(EMBEDDED, env, tmp_path, queue, workers=2, schedulers=2)
    try:
        started.start_all()
        started.wait_ready()
        yield started
    finally:
        started.stop_all()


def test_200_posts_due_at_once_land_on_the_pds_exactly_once_while_processes_die(
    fleet, account, pds, ours
):
    seed = int(os.environ.get("CHAOS_SEED", random.randrange(1_000_000)))
    rng = random.Random(seed)
    started = time.monotonic()
    seed_publications(
        account, COUNT, first_due=timezone.now() + timedelta(seconds=2), spread_s=0, seed=seed
    )
    # Every seeded text is unique (it carries a random tag), so the PDS's records can be
    # matched to publications by text, and other tests' records on the account ignored.
    texts = dict(Publication.objects.values_list("idempotency_key", "variant__text"))
    assert len(texts) == COUNT

    kills = chaos(
        fleet, duration_s=20, min_kills=6, rng=rng, started_at=started, between_s=(1.5, 3.5)
    )
    counts = wait_settled(SETTLE_TIMEOUT_S)
    elapsed = time.monotonic() - started
    context = f"(seed {seed}, logs in {fleet.log_dir})"
    assert counts == {"published": COUNT}, (
        f"not everything was published after {elapsed:.0f} s {context}: {counts}\n"
        f"{not_published_listing()}\n{fleet.outputs()}"
    )
    assert fleet.dead() == [], f"processes exited on their own {context}\n{fleet.outputs()}"

    wanted = Counter(texts.values())
    assert max(wanted.values()) == 1, "the seeded texts are unique"
    held = Counter(
        record["value"]["text"]
        for record in pds.records(ours.did)
        if record["value"]["text"] in wanted
    )
    missing = set(wanted) - set(held)
    doubled = {text: n for text, n in held.items() if n > 1}
    assert not missing and not doubled, f"missing {missing}, doubled {doubled} {context}"
    # Each publication points at the record the PDS holds for its text.
    uris = {r["value"]["text"]: r["uri"] for r in pds.records(ours.did)}
    for key, external_id in Publication.objects.values_list("idempotency_key", "external_id"):
        assert uris[texts[key]] == external_id, key

    kinds = Counter(name.split("-")[0] for _, name in kills)
    assert kinds["worker"] and kinds["scheduler"], kills
    reconciled = Counter(Attempt.objects.filter(kind="reconcile").values_list("outcome", flat=True))
    print(
        f"[bluesky chaos] {COUNT} posts on the PDS exactly once in {elapsed:.0f} s; SIGKILLs: "
        f"{kinds['worker']} workers, {kinds['scheduler']} schedulers; reconciled: "
        f"{reconciled['found']} found, {reconciled['not_found']} not found {context}"
    )
