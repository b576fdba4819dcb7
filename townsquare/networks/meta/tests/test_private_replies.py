"""Private replies to a comment: one message in Messenger (Facebook Page) or Instagram Direct,
within 7 days of the comment, refused before any request once the window is over; a refusal
for a permission names the one private replies need.

Request shapes: Messenger Platform "Private Replies"
(developers.facebook.com/docs/messenger-platform/discovery/private-replies) and Instagram
Platform "Send a Private Reply to a Commenter"
(developers.facebook.com/docs/instagram-platform/private-replies); the captured answers name
their pages.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from townsquare.networks.base import InboxMessage, Rejected
from townsquare.networks.meta import payloads
from townsquare.networks.meta.tests.fake_meta import (
    IG,
    NOW,
    PAGE,
    FakeMeta,
    answer,
    ig_creds,
    page_creds,
)

COMMENT = "845276532001_1203"
IG_COMMENT = "17870913679156914"


def comment(network_id: str = COMMENT, *, age: timedelta, kind: str = "comment") -> InboxMessage:
    return InboxMessage(
        network_id, "845276532001", kind, "ana", "Ana Silva", "Is it open on Sunday?", NOW - age
    )


def test_a_page_answers_a_six_day_old_comment_privately_in_messenger():
    fake = FakeMeta({f"POST /{PAGE}/messages": answer("private_reply__ok_200.json")})
    result = fake.page().private_reply(page_creds(), comment(age=timedelta(days=6)), "Yes, 9-5.")
    assert fake.bodies(f"POST /{PAGE}/messages") == [
        {"recipient": {"comment_id": COMMENT}, "message": {"text": "Yes, 9-5."}}
    ]
    assert result.network_post_id.startswith("m_")
    assert result.published_at == NOW
    assert not fake.invalid


def test_instagram_answers_a_comment_privately_in_direct():
    fake = FakeMeta({f"POST /{IG}/messages": answer("ig_private_reply__ok_200.json")})
    message = comment(IG_COMMENT, age=timedelta(days=1), kind="reply")
    result = fake.instagram().private_reply(ig_creds(), message, "Welcome!")
    assert fake.bodies(f"POST /{IG}/messages") == [
        {"recipient": {"comment_id": IG_COMMENT}, "message": {"text": "Welcome!"}}
    ]
    assert result.network_post_id
    assert not fake.invalid


@pytest.mark.parametrize("network", ["facebook_page", "instagram"])
def test_after_eight_days_the_private_answer_is_refused_without_a_request(network):
    fake = FakeMeta({})
    connector = fake.page() if network == "facebook_page" else fake.instagram()
    creds = page_creds() if network == "facebook_page" else ig_creds()
    with pytest.raises(Rejected) as refused:
        connector.private_reply(creds, comment(age=timedelta(days=8)), "Too late?")
    assert refused.value.code == "private_reply_closed"
    assert "only a public answer" in str(refused.value)
    assert fake.requests == []


def test_a_visitor_post_or_an_empty_text_is_refused_without_a_request():
    fake = FakeMeta({})
    with pytest.raises(Rejected) as kind:
        fake.page().private_reply(
            page_creds(), comment(age=timedelta(hours=1), kind="mention"), "Hi"
        )
    assert kind.value.code == "private_reply_kind"
    with pytest.raises(Rejected) as empty:
        fake.page().private_reply(page_creds(), comment(age=timedelta(hours=1)), "  ")
    assert empty.value.code == "empty"
    assert fake.requests == []


@pytest.mark.parametrize(
    ("network", "permission"),
    [("facebook_page", "pages_messaging"), ("instagram", "instagram_manage_messages")],
)
def test_a_missing_permission_is_named(network, permission):
    sender = PAGE if network == "facebook_page" else IG
    fake = FakeMeta({f"POST /{sender}/messages": answer("error__permission_10_400.json")})
    connector = fake.page() if network == "facebook_page" else fake.instagram()
    creds = page_creds() if network == "facebook_page" else ig_creds()
    with pytest.raises(payloads.MissingPermission) as refused:
        connector.private_reply(creds, comment(age=timedelta(days=2)), "Hello")
    assert refused.value.permission == permission
    assert permission in str(refused.value)
    assert len(fake.requests) == 1


def test_an_answer_without_a_message_id_leaves_the_outcome_unknown():
    from townsquare.networks.base import OutcomeUnknown

    fake = FakeMeta({f"POST /{PAGE}/messages": answer("private_reply__ok_200.json", body={})})
    with pytest.raises(OutcomeUnknown):
        fake.page().private_reply(page_creds(), comment(age=timedelta(days=1)), "Hello")
