"""Words a new user stumbled over, in English and German: the publishing section and its
status, network names, how an account's connection stands, and spans of time whose nouns
agree with their numbers ("vor 3 Tagen")."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.content.models import Post, Variant
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def german(client, alice):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    return client


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_publishing_is_the_section_of_posts_in_the_navigation_not_a_status(
    german, workspace_a, alice
):
    account = SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="@a")
    post = Post.objects.create(workspace=workspace_a, master_text="Hallo", created_by=alice)
    variant = Variant.objects.create(post=post, account=account, text="Hallo", parts=["Hallo"])
    Publication.objects.create(
        workspace=workspace_a, post=post, variant=variant, account=account, status="publishing"
    )
    dashboard = german.get(reverse("workspace_dashboard", args=[workspace_a.slug]))
    nav = dashboard.content.decode().split('class="sidenav"')[1].split("</nav>")[0]
    assert ">Veröffentlichungen</a>" in nav and "Wird veröffentlicht" not in nav

    overview = german.get(reverse("publishing_overview", args=[workspace_a.slug])).content
    assert "<h1>Veröffentlichungen</h1>" in overview.decode()

    settings_page = german.get(reverse("workspace_accounts", args=[workspace_a.slug]))
    html = settings_page.content.decode()
    assert ">Veröffentlichen</a>" in html, "the settings tab"
    assert '<th scope="col">Veröffentlichung</th>' in html, "the accounts column"

    post_page = german.get(reverse("content_post", args=[workspace_a.slug, post.pk]))
    html = post_page.content.decode()
    assert '<h2 id="publishing-title">Veröffentlichung</h2>' in html
    assert "Wird veröffentlicht" in html, "the status of the publication being sent"


def test_network_names_are_german_where_they_have_german_forms(german, workspace_a):
    for network, handle in (("matrix_room", "#k:m.example"), ("facebook_page", "Kaffee")):
        SocialAccount.objects.create(workspace=workspace_a, network=network, handle=handle)
    html = german.get(reverse("workspace_accounts", args=[workspace_a.slug])).content.decode()
    assert "<td>Matrix-Raum</td>" in html and "<td>Facebook-Seite</td>" in html
    assert "Matrix room" not in html and "Facebook Page" not in html
    assert '<option value="telegram_channel">Telegram-Kanal</option>' in html


def test_never_connected_by_reminder_and_revoked_accounts_are_told_apart(german, workspace_a):
    SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="@neu")
    SocialAccount.objects.create(workspace=workspace_a, network="tiktok", handle="@hand")
    SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@bisher")
    revoked = SocialAccount.objects.create(
        workspace=workspace_a,
        network="mastodon",
        handle="@alt@social.example",
        connected_at=timezone.now() - timedelta(days=40),
        last_success_at=timezone.now() - timedelta(days=3, hours=2),
        needs_reconnect=True,
    )
    store_credentials(revoked, {"access_token": "t"})
    html = german.get(reverse("workspace_accounts", args=[workspace_a.slug])).content.decode()
    rows = {
        handle: text_of(row)
        for row in html.split("<tr>")[2:]
        for handle in ("@neu", "@hand", "@bisher", "@alt@social.example")
        if handle in row
    }
    # Bluesky has a connector, but an account added without its login has nothing to post
    # with: reminded about until it is connected, never labelled automatic.
    assert "Nie verbunden: per Erinnerung, bis Sie es verbinden" in rows["@neu"]
    assert "automatisch" not in rows["@neu"].split("Nie verbunden")[0]
    assert "Zugriff entzogen" not in rows["@neu"]
    assert "Veröffentlicht per Erinnerung" in rows["@hand"]
    # X has a connector: an X account added by hand is reminded about until it is connected.
    assert "per Erinnerung, bis Sie es verbinden" in rows["@bisher"]
    assert "Zugriff entzogen" in rows["@alt@social.example"]
    assert "zuletzt erfolgreich vor 3 Tagen, " in rows["@alt@social.example"]
    assert "(Europe/Berlin)" in rows["@alt@social.example"]
