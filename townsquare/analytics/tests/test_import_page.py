"""The analytics import page: upload an export, see what was added and which rows were left
out; only those who manage accounts may import."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from townsquare.analytics.models import TrackedPost
from townsquare.analytics.tests.test_import_exports import X_CONTENT
from townsquare.networks.models import SocialAccount


@pytest.fixture
def x_account(workspace_a):
    return SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@alphakaffee")


def url(workspace) -> str:
    return reverse("analytics_import", kwargs={"workspace": workspace.slug})


def text_of(page: bytes) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.decode())))


def test_an_owner_imports_an_export_and_sees_the_rows_left_out(
    client, alice, workspace_a, x_account
):
    client.force_login(alice)
    broken = (
        X_CONTENT
        + '9,"Thu, Jan 16, 2025",Kaputt,https://x.com/a/status/9,viele,1,1,1,1,1,1,1,1,1,1,1,1\n'
    )
    upload = SimpleUploadedFile("content.csv", broken.encode(), content_type="text/csv")

    response = client.post(url(workspace_a), {"account": x_account.pk, "file": upload})

    assert response.status_code == 200
    page = text_of(response.content)
    assert "X – Account analytics, Content" in page
    assert "2 posts added to the history" in page
    assert "“viele” is not a whole, non-negative number." in page
    assert TrackedPost.objects.filter(account=x_account).count() == 2


def test_the_page_speaks_german_to_a_german_reader(client, alice, workspace_a, x_account):
    alice.language = "de"
    alice.save()
    client.force_login(alice)
    upload = SimpleUploadedFile("x.csv", b"text,label\nhallo,frage\n", content_type="text/csv")

    response = client.post(
        url(workspace_a), {"account": x_account.pk, "file": upload}, HTTP_ACCEPT_LANGUAGE="de"
    )

    assert response.status_code == 400
    page = text_of(response.content)
    assert "Statistik-Verlauf importieren" in page
    assert "sind nicht die eines Statistik-Exports" in page
    assert TrackedPost.objects.count() == 0


def test_without_an_account_of_those_networks_the_page_says_what_to_do(client, alice, workspace_a):
    SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a@b.social")
    client.force_login(alice)

    page = text_of(client.get(url(workspace_a)).content)

    assert "Add the account under Accounts first" in page


def test_an_editor_is_refused_and_a_stranger_gets_404(client, bob, carol, workspace_a, workspace_b):
    client.force_login(bob)
    assert client.get(url(workspace_a)).status_code == 403
    client.force_login(carol)
    assert client.get(url(workspace_a)).status_code == 404
    upload = SimpleUploadedFile("content.csv", X_CONTENT.encode(), content_type="text/csv")
    assert client.post(url(workspace_a), {"account": 1, "file": upload}).status_code == 404
