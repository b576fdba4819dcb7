"""A connected Mastodon account whose instance is scripted with the connector's captured
answers, publications of it, and a readable clock: what the collection tests share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest

from townsquare.content.models import Post
from townsquare.networks.base import MetricSnapshot
from townsquare.networks.credentials import store_credentials
from townsquare.networks.mastodon.tests.captured import INSTANCE, FakeInstance, answer, status_json
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication

# The connectors date what they read by the real clock, so the tests read "now" too.
NOW = datetime.now(UTC).replace(microsecond=0)
ME = "14715"  # the id of the captured verify_credentials account
VERIFY = "GET /api/v1/accounts/verify_credentials"
STATUSES = f"GET /api/v1/accounts/{ME}/statuses"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def instance(*statuses: dict) -> FakeInstance:
    """The instance answering who we are and our statuses (newest first)."""
    return FakeInstance(
        {
            VERIFY: lambda request: answer("accounts_verify_credentials__ok_200.json"),
            STATUSES: lambda request: httpx.Response(200, json=list(statuses)),
        }
    )


def status(status_id: str, at: datetime, *, likes=0, boosts=0, replies=0, **more) -> dict:
    return status_json(
        status_id,
        created_at=iso(at),
        favourites_count=likes,
        reblogs_count=boosts,
        replies_count=replies,
        **more,
    )


def connect(workspace, handle="@kaffee@mastodon.example", network="mastodon") -> SocialAccount:
    account = SocialAccount.objects.create(
        workspace=workspace, network=network, handle=handle, connected_at=NOW
    )
    store_credentials(
        account,
        {"access_token": "token-123", "instance_url": INSTANCE, "extra": {"account_id": ME}},
    )
    return account


def published(
    account: SocialAccount, network_id: str, at: datetime, *, parts=(), text="Neue Röstung"
) -> Publication:
    post = Post.objects.create(workspace=account.workspace, master_text=text, language="de")
    return Publication.objects.create(
        workspace=account.workspace,
        post=post,
        account=account,
        status="published",
        due_at=at,
        published_at=at,
        external_id=network_id,
        external_url=f"{INSTANCE}/@kaffee/{network_id}",
        part_ids=list(parts) or [network_id],
    )


@dataclass
class Scripted:
    """A MetricsSource answering from a list: each call takes the next item (readings, or
    an error to raise) and remembers the `since` it was asked for."""

    answers: list = field(default_factory=list)
    asked_since: list = field(default_factory=list)

    def fetch_metrics(self, creds, since):
        self.asked_since.append(since)
        item = self.answers.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


def reading(network_post_id: str, day=None, **metrics: int) -> MetricSnapshot:
    return MetricSnapshot(day=day or NOW.date(), network_post_id=network_post_id, metrics=metrics)


@pytest.fixture
def mastodon_account(workspace_a):
    return connect(workspace_a)


@pytest.fixture
def generous_limits(settings):
    """Collection windows that never make a test wait (unless it tightens them itself)."""
    from townsquare.ratelimits.defaults import ACCOUNT
    from townsquare.ratelimits.window import Rate

    settings.ANALYTICS_COLLECTION_RATES = {
        network: [(ACCOUNT, Rate(10_000, 1))] for network in ("mastodon", "bluesky", "matrix_room")
    }
