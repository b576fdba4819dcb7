"""No post is stuck under a real scheduler and worker: a post whose login cannot be had
fails with its reason after one claim, instead of coming back every lease for ever."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from townsquare.lib.crypto import KeyRing
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Attempt, Publication
from townsquare.publishing.tests.fleet import EMBEDDED, Fleet, fleet_env, seed_publications
from townsquare.runtime.tests.support import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_S = 5


@pytest.fixture
def fleet(transactional_db, tmp_path):
    queue = f"townsquare-stuck-{uuid.uuid4().hex[:12]}"
    started = Fleet(
        EMBEDDED,
        fleet_env(EMBEDDED, queue=queue, lease_s=LEASE_S),
        tmp_path,
        queue,
        workers=1,
        schedulers=1,
    )
    try:
        yield started
    finally:
        started.stop_all()


def account(workspace, handle, credentials):
    return SocialAccount.objects.create(
        workspace=workspace, network="testnet", handle=handle, credentials_encrypted=credentials
    )


def test_posts_whose_login_cannot_be_had_fail_after_one_claim(fleet, workspace_a):
    lost_key = KeyRing([Fernet.generate_key().decode()])
    unreadable = account(workspace_a, "unreadable", lost_key.encrypt('{"access_token": "x"}'))
    missing = account(workspace_a, "missing", "")
    due = timezone.now() + timedelta(seconds=1)
    for each in (unreadable, missing):
        seed_publications(each, 1, first_due=due, spread_s=0)
    fleet.start_all()
    fleet.wait_ready()

    def both_failed():
        return set(Publication.objects.values_list("status", flat=True)) == {"failed"}

    # Were the task to die, its row would come back after every lease and never fail.
    wait_for(both_failed, timeout=10 * LEASE_S, what="both posts to fail")
    assert fleet.dead() == [], fleet.outputs()
    codes = dict(Publication.objects.values_list("account__handle", "error_code"))
    assert codes == {"unreadable": "credentials_unreadable", "missing": "credentials_missing"}
    for pub in Publication.objects.all():
        assert pub.attempt_count == 1 and pub.error_message and pub.lease_token is None
    assert Attempt.objects.count() == 2
    publish_tasks = DBTaskResult.objects.filter(task_path__endswith="publish_publication")
    assert publish_tasks.count() == 2, "each post was claimed once"
    assert set(SocialAccount.objects.values_list("needs_reconnect", flat=True)) == {True}
