"""Bluesky inbox messages carry their authors' follower counts, read for a whole page of
notifications at once (a notification's author has no counts); without them the inbox still
works."""

from __future__ import annotations

import httpx

from townsquare.networks.bluesky.tests.test_errors import Pds, creds, publisher
from townsquare.networks.bluesky.tests.test_payloads import notification


def from_author(number: int) -> dict:
    """A mention by the author did:plc:fan<number>, as listNotifications gives it."""
    mention = notification("mention", text=f"Hallo @ours.test, Nachricht {number}")
    did = f"did:plc:fan{number}"
    return {
        **mention,
        "uri": f"at://{did}/app.bsky.feed.post/3ccccccccc{number:03d}",
        "author": {"did": did, "handle": f"fan{number}.test", "displayName": f"Fan {number}"},
    }


def notifications(*items: dict):
    return lambda request: httpx.Response(200, json={"notifications": list(items)})


def profiles(request: httpx.Request) -> httpx.Response:
    """Each asked actor has ten times its number in followers; fan0 hides nothing but has
    no count in its answer."""
    answer = []
    for did in request.url.params.get_list("actors"):
        number = int(did.removeprefix("did:plc:fan"))
        answer.append({"did": did, "handle": f"fan{number}.test"})
        if number:
            answer[-1]["followersCount"] = number * 10
    return httpx.Response(200, json={"profiles": answer})


def test_a_page_of_mentions_has_its_authors_follower_counts_from_one_call():
    pds = Pds(
        **{
            "app.bsky.notification.listNotifications": notifications(
                from_author(1), from_author(2), from_author(1), from_author(0)
            ),
            "app.bsky.actor.getProfiles": profiles,
        }
    )
    messages, _cursor = publisher(pds).fetch_inbox(creds(), None)
    assert sorted((m.author_handle, m.author_followers) for m in messages) == [
        ("fan0.test", None),
        ("fan1.test", 10),
        ("fan1.test", 10),
        ("fan2.test", 20),
    ]
    [asked] = [r for r in pds.requests if r.url.path.endswith("getProfiles")]
    assert asked.url.params.get_list("actors") == ["did:plc:fan1", "did:plc:fan2", "did:plc:fan0"]


def test_more_than_25_authors_are_asked_for_25_at_a_time():
    pds = Pds(
        **{
            "app.bsky.notification.listNotifications": notifications(
                *(from_author(n) for n in range(1, 31))
            ),
            "app.bsky.actor.getProfiles": profiles,
        }
    )
    messages, _cursor = publisher(pds).fetch_inbox(creds(), None)
    asked = [r for r in pds.requests if r.url.path.endswith("getProfiles")]
    assert [len(r.url.params.get_list("actors")) for r in asked] == [25, 5]
    assert {m.author_followers for m in messages} == {n * 10 for n in range(1, 31)}


def test_when_the_profiles_cannot_be_read_the_messages_come_without_counts():
    pds = Pds(
        **{
            "app.bsky.notification.listNotifications": notifications(
                from_author(1), from_author(2)
            ),
            "app.bsky.actor.getProfiles": lambda request: httpx.Response(
                502, json={"error": "UpstreamFailure"}
            ),
        }
    )
    messages, cursor = publisher(pds).fetch_inbox(creds(), None)
    assert [m.author_followers for m in messages] == [None, None]
    assert len(messages) == 2 and cursor is not None


def test_a_garbled_profiles_answer_leaves_the_counts_unknown():
    pds = Pds(
        **{
            "app.bsky.notification.listNotifications": notifications(from_author(1)),
            "app.bsky.actor.getProfiles": lambda request: httpx.Response(
                200,
                json={"profiles": ["oops", {"did": "did:plc:fan1", "followersCount": "viele"}]},
            ),
        }
    )
    [message], _cursor = publisher(pds).fetch_inbox(creds(), None)
    assert message.author_followers is None
