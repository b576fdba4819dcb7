"""The inbox round trip on Mastodon: a user's mention arrives once through the real poll, is
triaged, forwarded to a department by a rule, answered from Townsquare in the thread, becomes
a feedback register item, and the user is told the company's answer once it is recorded.

Mastodon here is `mastodon-mock` (PyPI) on loopback, a mock of Mastodon's HTTP API and not a
real Mastodon server: what it proves is our side of the protocol (the poll, the reply's
`in_reply_to_id` and visibility), not a real instance's behaviour.
"""

from __future__ import annotations

import secrets

import inbox_roundtrip_helpers
import pytest
from inbox_roundtrip_helpers import COMPLAINT_DE, go_the_whole_way_round

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]
# Background tasks run inline once committed, as in the other tests (used by name).
run_tasks = inbox_roundtrip_helpers.run_tasks
pytest_plugins = ["mastodon_fixtures"]


# People of their own: the other Mastodon modules make "roesterei" and "kundin" on the same
# mock, which refuses a name twice.
@pytest.fixture(scope="module")
def mastodon_ours(mastodon_instance):
    return mastodon_instance.person(f"roesterei_{secrets.token_hex(3)}", "Rösterei Alpha")


@pytest.fixture(scope="module")
def mastodon_them(mastodon_instance):
    return mastodon_instance.person(f"kundin_{secrets.token_hex(3)}", "Kundin Ana")


def test_a_mention_goes_the_whole_way_round_on_mastodon(
    membership, mastodon_account, mastodon_instance, mastodon_ours, mastodon_them, run_tasks
):
    def post_mention():
        return mastodon_instance.call(
            mastodon_them,
            "POST",
            "/api/v1/statuses",
            json={"status": f"@{mastodon_ours.username} {COMPLAINT_DE}", "visibility": "public"},
        )

    def arrived(mention, message):
        assert not message.conversation.is_private
        # The status's account says how many follow the user; the contact keeps it.
        followers = mention["account"]["followers_count"]
        assert message.contact.follower_count == followers

    go_the_whole_way_round(
        membership,
        mastodon_account,
        run_tasks,
        post_mention=post_mention,
        id_of=lambda mention: mention["id"],
        arrived=arrived,
        user_sees_reply=lambda mention, reply, words: assert_user_sees_reply(
            mastodon_instance, mastodon_them, mention, reply, words
        ),
    )


def assert_user_sees_reply(instance, user, mention, reply, words) -> None:
    """As the user: our answer is a public reply to their post, in its thread."""
    status_id = reply.sent_message.network_message_id
    landed = instance.status(user, status_id)
    assert landed["in_reply_to_id"] == mention["id"] and landed["visibility"] == "public"
    assert words in landed["content"] and f"@{user.username}" in landed["content"]
    thread = instance.call(user, "GET", f"/api/v1/statuses/{mention['id']}/context")
    assert status_id in [s["id"] for s in thread["descendants"]]
