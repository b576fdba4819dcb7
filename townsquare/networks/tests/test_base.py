"""The contracts in networks.base, and the promise that the pure modules import no Django."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime

from townsquare.networks.base import (
    Capabilities,
    Credentials,
    InboxMessage,
    InboxSource,
    MetricSnapshot,
    MetricsSource,
    OutcomeUnknown,
    PublishedResult,
    Publisher,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem

PURE_MODULES = (
    "townsquare.networks.base",
    "townsquare.networks.rules.loader",
    "townsquare.networks.rules.counting",
    "townsquare.networks.rules.account_limits",
    "townsquare.content.validate",
)


class _FakePublisher:
    capabilities = Capabilities(threads=True)

    def validate(self, variant: VariantToPublish, rules: NetworkRules) -> Sequence[Problem]:
        return []

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        return PublishedResult("1", "https://example.com/1", datetime.now(UTC))

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        return None

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        return None


def test_errors_carry_their_retry_meaning() -> None:
    assert RetryLater("rate limited", after=90).after == 90
    assert Rejected("too long", code="text_too_long").code == "text_too_long"
    assert issubclass(Reauth, Exception)
    assert OutcomeUnknown("timeout after sending").message == "timeout after sending"


def test_credentials_keep_tokens_out_of_their_repr() -> None:
    creds = Credentials(
        1, "mastodon", "@a@example.social", access_token="s3cret", refresh_token="r"
    )
    assert "s3cret" not in repr(creds)
    assert "example.social" in repr(creds)


def test_a_variant_to_publish_knows_its_first_text() -> None:
    variant = VariantToPublish(1, 2, "bluesky", parts=("first", "second"))
    assert variant.text == "first"
    assert VariantToPublish(1, 2, "bluesky", parts=()).text == ""


def test_a_connector_satisfies_the_publisher_protocol_by_shape() -> None:
    assert isinstance(_FakePublisher(), Publisher)
    assert not isinstance(object(), Publisher)


def test_inbox_and_metrics_protocols_are_checkable() -> None:
    class Inbox:
        def fetch_inbox(
            self, creds: Credentials, cursor: str | None
        ) -> tuple[Sequence[InboxMessage], str | None]:
            return [], None

        def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
            raise Rejected("no")

    class Metrics:
        def fetch_metrics(self, creds: Credentials, since: date) -> Sequence[MetricSnapshot]:
            return [MetricSnapshot(since, "", {"followers": 3})]

    assert isinstance(Inbox(), InboxSource)
    assert isinstance(Metrics(), MetricsSource)


def test_pure_modules_import_no_django() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in PURE_MODULES)
        + "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
