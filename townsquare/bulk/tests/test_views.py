"""The import and export pages: upload, columns, report, import, example file, export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from townsquare.bulk.models import BulkImport
from townsquare.content.models import Post

pytestmark = pytest.mark.django_db


def upload(client, workspace, content, name="posts.csv"):
    return client.post(
        reverse("bulk_import", args=[workspace.slug]),
        {"file": SimpleUploadedFile(name, content.encode("utf-8"), "text/csv")},
    )


def test_the_posts_list_and_the_calendar_link_to_the_import(alice_client, workspace_a, accounts):
    target = reverse("bulk_import", args=[workspace_a.slug])
    for name in ("content_posts", "workspace_calendar"):
        page = alice_client.get(reverse(name, args=[workspace_a.slug]))
        assert target in page.content.decode(), name


def test_upload_report_and_only_the_valid_rows(alice_client, workspace_a, accounts, run_tasks):
    page = upload(
        alice_client,
        workspace_a,
        "Konten;Nachricht\n@alphakaffee;Guten Morgen\n@niemand;Hallo\n",
    )
    imp = BulkImport.objects.get()
    assert page.status_code == 302 and page["Location"].endswith(f"/import/{imp.pk}/")
    page = alice_client.get(page["Location"], HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert '"@niemand" is not an account of this workspace.' in text.replace("&quot;", '"')
    assert 'value="import_valid"' in text and 'value="import_all"' not in text
    url = reverse("bulk_import_detail", args=[workspace_a.slug, imp.pk])
    refused = alice_client.post(url, {"action": "import_all"})
    assert refused.status_code == 422 and Post.objects.count() == 0
    with run_tasks():
        done = alice_client.post(url, {"action": "import_valid"})
        assert done.status_code == 302
        assert "Importing 1 post." in alice_client.get(url).content.decode()
        again = alice_client.post(url, {"action": "import_valid"})  # a double submit
        assert again.status_code == 302
    assert Post.objects.count() == 1
    page = alice_client.get(url)
    assert "1 post imported" in page.content.decode()
    # While it ran, the page asked with htmx; once done, it is told to load itself again.
    asked = alice_client.get(url, HTTP_HX_REQUEST="true")
    assert asked.status_code == 204 and asked["HX-Refresh"] == "true"


def test_a_refusal_in_the_background_is_shown_on_the_page(
    alice_client, workspace_a, accounts, run_tasks
):
    from townsquare.networks.models import SocialAccount

    upload(alice_client, workspace_a, "accounts,text\n@alphakaffee,Hallo\n")
    imp = BulkImport.objects.get()
    url = reverse("bulk_import_detail", args=[workspace_a.slug, imp.pk])
    with run_tasks():
        alice_client.post(url, {"action": "import_all"})
        SocialAccount.objects.filter(handle="@alphakaffee").delete()  # gone before the worker ran
    imp.refresh_from_db()
    assert imp.state == "checked" and Post.objects.count() == 0, imp.refusal
    page = alice_client.get(url).content.decode().replace("&quot;", '"')
    assert "Nothing was imported: 1 row has errors." in page
    assert '"@alphakaffee" is not an account of this workspace.' in page


def test_the_columns_can_be_chosen_by_hand(alice_client, workspace_a, accounts):
    upload(alice_client, workspace_a, "Wer,Was\n@alphakaffee,Hallo\n")
    imp = BulkImport.objects.get()
    url = reverse("bulk_import_detail", args=[workspace_a.slug, imp.pk])
    page = alice_client.get(url)
    assert "Choose the column that holds" in page.content.decode().replace("&quot;", '"')
    saved = alice_client.post(url, {"action": "map", "accounts": "0", "text": "1"})
    assert saved.status_code == 302
    imp.refresh_from_db()
    assert imp.problems == [] and imp.valid_rows == 1
    bad = alice_client.post(url, {"action": "map", "accounts": "0", "text": "9"})
    assert bad.status_code == 400


def test_a_broken_file_is_answered_on_the_upload_page(alice_client, workspace_a, accounts):
    page = upload(alice_client, workspace_a, 'accounts,text\n@alphakaffee,"offen\n')
    assert page.status_code == 400
    assert "Row 2 (line 2) cannot be read" in page.content.decode()
    assert BulkImport.objects.count() == 0


def test_another_workspace_cannot_see_an_import(
    client, carol, workspace_b, workspace_a, membership
):
    from townsquare.bulk.actions import do_upload_import

    imp = do_upload_import(membership, b"accounts,text\n@x,Hallo\n", "a.csv")
    client.force_login(carol)
    url = reverse("bulk_import_detail", args=[workspace_b.slug, imp.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "import_valid"}).status_code == 404


def test_the_example_file_uses_the_workspaces_accounts_and_imports(
    alice_client, workspace_a, accounts
):
    page = alice_client.get(reverse("bulk_import_example", args=[workspace_a.slug]))
    assert page["Content-Type"].startswith("text/csv")
    body = page.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["language"] for r in rows} == {"de", "en"}
    assert rows[0]["accounts"] == "@alphakaffee|@alpha@social.example"
    uploaded = upload(alice_client, workspace_a, body, "example.csv")
    assert uploaded.status_code == 302
    assert BulkImport.objects.get().problems == []


def test_export_page_and_download(alice_client, workspace_a, accounts):
    url = reverse("bulk_export", args=[workspace_a.slug])
    assert alice_client.get(url).status_code == 200
    page = alice_client.get(url, {"format": "json", "status": "", "campaign": ""})
    assert page.status_code == 200 and page["Content-Type"].startswith("application/json")
    assert 'attachment; filename="alpha-kaffee-posts-' in page["Content-Disposition"]
    bad = alice_client.get(url, {"format": "csv", "start": "2026-12-10", "end": "2026-12-01"})
    assert bad.status_code == 400


def test_a_viewer_may_export_but_not_import(client, workspace_a, carol):
    from townsquare.workspaces.models import Membership

    Membership.objects.create(workspace=workspace_a, user=carol, role="viewer")
    client.force_login(carol)
    assert client.get(reverse("bulk_import", args=[workspace_a.slug])).status_code == 403
    assert client.get(reverse("bulk_export", args=[workspace_a.slug])).status_code == 200
