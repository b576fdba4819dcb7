"""Publishing to a Facebook Page (text, link, one photo, several photos) and to Instagram
(image, carousel, reel through containers with status polling), finding a post again and
deleting, against the fake Graph API with captured answers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from townsquare.networks.base import OutcomeUnknown, Rejected, RetryLater, VariantToPublish
from townsquare.networks.meta.tests.fake_meta import (
    IG,
    NOW,
    PAGE,
    FakeMeta,
    answer,
    ig_creds,
    page_creds,
    picture,
    video,
)


def fb_variant(text="Fresh beans are in. Come by!", **kw) -> VariantToPublish:
    return VariantToPublish(1, 1, "facebook_page", (text,), **kw)


def ig_variant(media, text="Latte art Friday ☕") -> VariantToPublish:
    return VariantToPublish(2, 2, "instagram", (text,), media=tuple(media))


def test_a_text_post_with_a_link_goes_to_the_feed():
    fake = FakeMeta({f"POST /{PAGE}/feed": answer("feed_create__ok_200.json")})
    result = fake.page().publish(
        page_creds(), fb_variant(link_url="https://shop.example/beans"), "k"
    )
    assert result.network_post_id == f"{PAGE}_845276532001"
    assert fake.bodies(f"POST /{PAGE}/feed") == [
        {"message": "Fresh beans are in. Come by!", "link": "https://shop.example/beans"}
    ]
    assert fake.sent(f"POST /{PAGE}/feed")[0].headers["Authorization"] == "Bearer EAApage1"
    assert not fake.invalid


def test_one_photo_is_posted_with_its_caption():
    fake = FakeMeta({f"POST /{PAGE}/photos": answer("photos_create__ok_200.json")})
    result = fake.page().publish(page_creds(), fb_variant(media=(picture(),)), "k")
    assert result.network_post_id == f"{PAGE}_845276532190"
    body = fake.bodies(f"POST /{PAGE}/photos")[0]
    assert body == {
        "url": "https://townsquare.example/m/a.jpg",
        "published": True,
        "caption": "Fresh beans are in. Come by!",
    }
    assert not fake.invalid


def test_several_photos_go_up_unpublished_and_are_attached_to_one_post():
    fake = FakeMeta(
        {
            f"POST /{PAGE}/photos": [answer("photos_create_unpublished__ok_200.json")] * 2,
            f"POST /{PAGE}/feed": answer("feed_create__ok_200.json"),
        }
    )
    fake.page().publish(page_creds(), fb_variant(media=(picture("a.jpg"), picture("b.jpg"))), "k")
    assert [b["published"] for b in fake.bodies(f"POST /{PAGE}/photos")] == [False, False]
    assert fake.bodies(f"POST /{PAGE}/feed")[0]["attached_media"] == [
        {"media_fbid": "845276532201"},
        {"media_fbid": "845276532201"},
    ]


def test_media_without_a_public_address_is_refused_before_anything_is_sent(settings):
    # The default address is the signed one under SITE_URL, which the internet cannot reach
    # here: refused with that reason before Meta is asked anything.
    settings.SITE_URL = "http://127.0.0.1:8000"
    fake = FakeMeta()
    connector = fake.page(media_url=None)
    with pytest.raises(Rejected) as refused:
        connector.publish(page_creds(), fb_variant(media=(picture(),)), "k")
    assert refused.value.code == "site_url_not_public"
    assert not fake.requests
    # An address that is not https is refused as well, whoever made it.
    plain = fake.page(media_url=lambda media: "http://cdn.example.org/a.jpg")
    with pytest.raises(Rejected) as refused:
        plain.publish(page_creds(), fb_variant(media=(picture(),)), "k")
    assert refused.value.code == "no_public_url"
    assert not fake.requests


@pytest.mark.django_db
def test_by_default_meta_is_given_the_files_signed_address_under_site_url(settings, membership):
    from django.core.files.base import ContentFile

    from townsquare.media import actions
    from townsquare.media.public_urls import read_token
    from townsquare.media.tests import samples
    from townsquare.networks.base import MediaRef

    settings.SITE_URL = "https://social.morgenrot.de"
    asset, _created = actions.do_upload_media(
        membership, ContentFile(samples.png(), name="photo.png")
    )
    fake = FakeMeta({f"POST /{PAGE}/photos": answer("photos_create__ok_200.json")})
    media = MediaRef(storage_key=asset.file.name, kind="image", mime_type=asset.mime_type)
    fake.page(media_url=None).publish(page_creds(), fb_variant(media=(media,)), "k")
    sent = fake.bodies(f"POST /{PAGE}/photos")[0]["url"]
    assert sent.startswith("https://social.morgenrot.de/m/")
    facts = read_token(sent.removeprefix("https://social.morgenrot.de/m/").split("/")[0])
    assert facts is not None and facts.asset_id == asset.pk


def test_facebook_refuses_threads_and_videos():
    with pytest.raises(Rejected):
        FakeMeta().page().publish(
            page_creds(), VariantToPublish(1, 1, "facebook_page", ("a", "b")), "k"
        )
    with pytest.raises(Rejected):
        FakeMeta().page().publish(page_creds(), fb_variant(media=(video(),)), "k")


def test_an_instagram_image_is_made_waited_for_and_published():
    container = "17889455560051444"
    fake = FakeMeta(
        {
            f"POST /{IG}/media": answer("ig_container__ok_200.json"),
            f"GET /{container}": [
                answer("ig_container_status__in_progress_200.json"),
                answer("ig_container_status__finished_200.json"),
            ],
            f"POST /{IG}/media_publish": answer("ig_media_publish__ok_200.json"),
            "GET /17920238422030506": answer("ig_media_permalink__ok_200.json"),
        }
    )
    result = fake.instagram().publish(ig_creds(), ig_variant([picture(alt="Latte art")]), "k")
    assert result.network_post_id == "17920238422030506"
    assert result.url == "https://www.instagram.com/p/C7xYz1AbCdE/"
    assert fake.bodies(f"POST /{IG}/media") == [
        {
            "image_url": "https://townsquare.example/m/a.jpg",
            "caption": "Latte art Friday ☕",
            "alt_text": "Latte art",
        }
    ]
    assert fake.bodies(f"POST /{IG}/media_publish") == [{"creation_id": container}]
    assert len(fake.sent(f"GET /{container}")) == 2
    assert not fake.invalid


def test_a_carousel_makes_a_container_per_item_then_the_carousel():
    fake = FakeMeta(
        {
            f"POST /{IG}/media": [answer("ig_container__ok_200.json")] * 3,
            "GET /17889455560051444": answer("ig_container_status__finished_200.json"),
            f"POST /{IG}/media_publish": answer("ig_media_publish__ok_200.json"),
            "GET /17920238422030506": answer("ig_media_permalink__ok_200.json"),
        }
    )
    fake.instagram().publish(ig_creds(), ig_variant([picture(), video()]), "k")
    first, second, carousel = fake.bodies(f"POST /{IG}/media")
    assert first["is_carousel_item"] is True and "caption" not in first
    assert second == {
        "media_type": "VIDEO",
        "video_url": "https://townsquare.example/m/v.mp4",
        "is_carousel_item": True,
    }
    assert carousel["media_type"] == "CAROUSEL" and carousel["caption"] == "Latte art Friday ☕"


def test_a_reel_that_fails_processing_is_rejected_and_one_still_processing_waits():
    failing = FakeMeta(
        {
            f"POST /{IG}/media": answer("ig_container__ok_200.json"),
            "GET /17889455560051444": answer("ig_container_status__error_200.json"),
        }
    )
    with pytest.raises(Rejected) as refused:
        failing.instagram().publish(ig_creds(), ig_variant([video()]), "k")
    assert "2207026" in refused.value.message
    assert failing.bodies(f"POST /{IG}/media")[0]["media_type"] == "REELS"
    slow = FakeMeta(
        {
            f"POST /{IG}/media": answer("ig_container__ok_200.json"),
            "GET /17889455560051444": lambda r: answer("ig_container_status__in_progress_200.json"),
        }
    )
    with pytest.raises(RetryLater):
        slow.instagram().publish(ig_creds(), ig_variant([video()]), "k")
    assert not slow.sent(f"POST /{IG}/media_publish")


def test_instagram_needs_media_and_cannot_delete():
    with pytest.raises(Rejected):
        FakeMeta().instagram().publish(ig_creds(), ig_variant([]), "k")
    with pytest.raises(Rejected):
        FakeMeta().instagram().delete(ig_creds(), "17920238422030506")


def test_find_published_matches_text_since_the_send():
    fake = FakeMeta({f"GET /{PAGE}/published_posts": answer("published_posts__ok_200.json")})
    found = fake.page().find_published(
        page_creds(), "k", expected=fb_variant(), sent_after=NOW - timedelta(minutes=12)
    )
    assert found is not None and found.network_post_id == f"{PAGE}_845276532001"
    missing = fake.page().find_published(
        page_creds(), "k", expected=fb_variant("Not there"), sent_after=NOW - timedelta(minutes=12)
    )
    assert missing is None
    ig = FakeMeta({f"GET /{IG}/media": answer("ig_media_list__ok_200.json")})
    hit = ig.instagram().find_published(
        ig_creds(), "k", expected=ig_variant([picture()]), sent_after=NOW - timedelta(minutes=12)
    )
    assert hit is not None and hit.url.startswith("https://www.instagram.com/p/")
    with pytest.raises(OutcomeUnknown):
        fake.page().find_published(page_creds(), "k")
    with pytest.raises(RetryLater):
        fake.page().find_published(page_creds(), "k", expected=fb_variant(), sent_after=NOW)


def test_deleting_a_facebook_post_and_one_already_gone():
    gone = answer(
        "error__validation_400.json",
        body={"error": {"message": "gone", "code": 100, "error_subcode": 33}},
    )
    fake = FakeMeta(
        {
            f"DELETE /{PAGE}_1": answer("page__ok_200.json", body={"success": True}),
            f"DELETE /{PAGE}_2": gone,
        }
    )
    fake.page().delete(page_creds(), f"{PAGE}_1")
    fake.page().delete(page_creds(), f"{PAGE}_2")
    with pytest.raises(Rejected):
        fake.page().delete(page_creds(), "../me")
