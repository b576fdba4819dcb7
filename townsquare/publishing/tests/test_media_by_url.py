"""Scheduling refuses, with the reason, a post whose pictures or videos a network would have
to download from an address the internet cannot reach (SITE_URL on this machine, a private
network, plain http); text-only posts and other networks go out as usual."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from townsquare.content.actions import PostInput, do_save_post
from townsquare.lib.errors import ActionError
from townsquare.media.actions import do_upload_media
from townsquare.media.tests import samples
from townsquare.networks import registry
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.error_texts import error_text
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db

PRIVATE_SITE = "http://127.0.0.1:8000"
PUBLIC_SITE = "https://social.morgenrot.de"
# Any importable publisher will do: scheduling only asks whether the network has one.
SOME_PUBLISHER = "townsquare.networks.testnet.connector.TestNetPublisher"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def connected(workspace_a, monkeypatch):
    """An account Townsquare publishes to itself, on a network given a publisher here (the
    Meta connectors register themselves elsewhere)."""

    def make(network, handle):
        monkeypatch.setitem(registry.PUBLISHERS, network, SOME_PUBLISHER)
        account = SocialAccount.objects.create(
            workspace=workspace_a, network=network, handle=handle
        )
        store_credentials(account, {"access_token": f"token-{handle}"})
        assert account.publishes_automatically
        return account

    return make


@pytest.fixture
def picture(membership):
    asset, _created = do_upload_media(
        membership, ContentFile(samples.noisy_jpeg(size=(1080, 1080)), name="bohnen.jpg")
    )
    return asset


def post_to(membership, accounts, media=()):
    return do_save_post(
        membership,
        PostInput(text="Frisch geröstet: Huehuetenango.", media_ids=tuple(m.pk for m in media)),
        [a.pk for a in accounts],
    )


def test_a_picture_for_instagram_is_refused_while_site_url_is_this_machine(
    settings, membership, connected, picture
):
    settings.SITE_URL = PRIVATE_SITE
    account = connected("instagram", "morgenrot.kaffee")
    post = post_to(membership, [account], [picture])
    with pytest.raises(ActionError) as refused:
        do_schedule_post(membership, post, None)
    assert (refused.value.code, refused.value.status) == ("site_url_not_public", 409)
    message = refused.value.message
    assert "Instagram morgenrot.kaffee" in message and "127.0.0.1" in message
    assert "SITE_URL" in message and "public https address" in message
    assert not Publication.objects.exists()


def test_the_refusal_is_told_in_german(settings, membership, connected, picture):
    settings.SITE_URL = "https://192.168.1.20"
    account = connected("threads", "@morgenrot.kaffee")
    post = post_to(membership, [account], [picture])
    with translation.override("de"), pytest.raises(ActionError) as refused:
        do_schedule_post(membership, post, None)
    assert "192.168.1.20" in refused.value.message
    assert "Internet" in refused.value.message and "Betreiber" in refused.value.message


@pytest.mark.parametrize("network", ["instagram", "threads", "facebook_page"])
def test_with_a_public_site_url_the_post_is_scheduled(
    settings, membership, connected, picture, network
):
    settings.SITE_URL = PUBLIC_SITE
    post = post_to(membership, [connected(network, "morgenrot")], [picture])
    [pub] = do_schedule_post(membership, post, None)
    assert pub.status == "scheduled"


@pytest.mark.parametrize("network", ["threads", "facebook_page"])
def test_a_text_only_post_is_not_refused(settings, membership, connected, network):
    settings.SITE_URL = PRIVATE_SITE
    post = post_to(membership, [connected(network, "morgenrot")])
    [pub] = do_schedule_post(membership, post, None)
    assert pub.status == "scheduled"


def test_a_picture_for_a_network_that_takes_uploads_is_not_refused(
    settings, membership, connected, picture
):
    settings.SITE_URL = PRIVATE_SITE
    post = post_to(membership, [connected("bluesky", "morgenrot.bsky.social")], [picture])
    [pub] = do_schedule_post(membership, post, None)
    assert pub.status == "scheduled"


def test_an_account_posted_by_reminder_needs_no_public_address(
    settings, membership, workspace_a, picture, monkeypatch
):
    settings.SITE_URL = PRIVATE_SITE
    monkeypatch.delitem(registry.PUBLISHERS, "instagram", raising=False)
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="instagram", handle="morgenrot.kaffee"
    )
    assert not account.publishes_automatically
    post = post_to(membership, [account], [picture])
    [pub] = do_schedule_post(membership, post, None)
    assert pub.status == "scheduled"


def test_only_the_accounts_that_download_are_named(settings, membership, connected, picture):
    settings.SITE_URL = PRIVATE_SITE
    instagram = connected("instagram", "morgenrot.kaffee")
    bluesky = connected("bluesky", "morgenrot.bsky.social")
    post = post_to(membership, [instagram, bluesky], [picture])
    with pytest.raises(ActionError) as refused:
        do_schedule_post(membership, post, None)
    assert "Instagram morgenrot.kaffee" in refused.value.message
    assert "morgenrot.bsky.social" not in refused.value.message


def test_the_post_page_shows_the_reason_instead_of_failing(
    settings, alice_client, workspace_a, membership, connected, picture
):
    settings.SITE_URL = PRIVATE_SITE
    post = post_to(membership, [connected("instagram", "morgenrot.kaffee")], [picture])
    url = reverse("publishing_schedule", kwargs={"workspace": workspace_a.slug, "post_id": post.pk})
    response = alice_client.post(url, {"action": "now"})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and "SITE_URL" in shown[0] and "127.0.0.1" in shown[0]
    assert not Publication.objects.exists()


def test_a_refusal_at_send_time_has_its_sentence_in_both_languages():
    english = error_text("site_url_not_public", "SITE_URL must be a public https address")
    assert english is not None and "SITE_URL" in english.message
    with translation.override("de"):
        german = error_text("site_url_not_public")
    assert german is not None and "Internet" in german.message
    assert german.message != english.message


# --- posts already scheduled when SITE_URL stops being public ---------------------------------


def test_a_post_scheduled_before_site_url_changed_is_warned_about(
    settings, membership, connected, picture, alice
):
    from townsquare.networks.health_texts import problem_text
    from townsquare.notifications.models import Notification
    from townsquare.publishing.connection_warnings import at_risk, notify_accounts_at_risk

    settings.SITE_URL = PUBLIC_SITE
    instagram = connected("instagram", "morgenrot.kaffee")
    with_picture = post_to(membership, [instagram], [picture])
    do_schedule_post(membership, with_picture, None)
    text_only = post_to(membership, [connected("threads", "@morgenrot")])
    do_schedule_post(membership, text_only, None)
    assert at_risk(Publication.objects.all()) == []

    settings.SITE_URL = PRIVATE_SITE
    [risky] = at_risk(Publication.objects.all())
    assert (risky.publication.post_id, risky.code) == (with_picture.pk, "site_url_not_public")
    assert "SITE_URL" in risky.message
    assert notify_accounts_at_risk() == 1
    note = Notification.objects.get(kind="connection_problem", recipient=alice)
    assert note.data["code"] == "site_url_not_public"
    with translation.override("de"):
        assert "Internet" in problem_text("site_url_not_public")


def test_the_composer_shows_the_reason_and_keeps_the_post_unsaved(
    settings, alice_client, workspace_a, membership, connected, picture
):
    from townsquare.content.models import Post

    settings.SITE_URL = PRIVATE_SITE
    instagram = connected("instagram", "morgenrot.kaffee")
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        {
            "text": "Frisch geröstet: Huehuetenango.",
            "language": "de",
            "accounts": [str(instagram.pk)],
            "media": [str(picture.pk)],
            "action": "now",
        },
    )
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "SITE_URL" in html and "127.0.0.1" in html and "Instagram morgenrot.kaffee" in html
    assert not Post.objects.exists() and not Publication.objects.exists()


def test_a_demo_connection_needs_no_public_address(settings, membership, workspace_a, picture):
    """The demo's Instagram account downloads nothing (its network answers in Townsquare):
    its picture posts are scheduled on a demo machine too, while a real one is refused."""
    settings.SITE_URL = PRIVATE_SITE
    demo = SocialAccount.objects.create(
        workspace=workspace_a, network="instagram", handle="morgenrot.cafe"
    )
    store_credentials(demo, {"access_token": "demo-token", "extra": {"demo": True}})
    [pub] = do_schedule_post(membership, post_to(membership, [demo], [picture]), None)
    assert pub.status == "scheduled"
    real = SocialAccount.objects.create(
        workspace=workspace_a, network="instagram", handle="morgenrot.kaffee"
    )
    store_credentials(real, {"access_token": "real-token"})
    with pytest.raises(ActionError) as refused:
        do_schedule_post(membership, post_to(membership, [demo, real], [picture]), None)
    assert "morgenrot.kaffee" in refused.value.message
    assert "morgenrot.cafe" not in refused.value.message
