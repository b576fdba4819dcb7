"""Export, import into another workspace, export again: the same posts. The API and the
command line give the same report and refusals as the pages."""

import csv
import io
import json
from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from townsquare.bulk.actions import do_commit_import, do_upload_import
from townsquare.bulk.export import ExportFilter, export_rows, to_csv, to_json
from townsquare.bulk.models import BulkImport
from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.queues.models import Slot
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def future(days, clock="09:00"):
    return (timezone.now() + timedelta(days=days)).strftime(f"%Y-%m-%d {clock}")


@pytest.fixture
def filled(membership, accounts, campaign, pillar):
    """Workspace A with two scheduled posts and a draft."""
    imp = do_upload_import(
        membership,
        (
            "accounts;time;text;language;link;hashtags;campaign;pillar\n"
            f"@alphakaffee|alpha.bsky.social;{future(3)};Neue Röstung: kräftig und "
            "schokoladig.;de;https://alpha.example/herbst;#kaffee #herbst;Herbströstung;"
            "Hinter der Theke\n"
            f'@alpha@social.example;{future(5, "17:30")};"Our beans, your cup; '
            'say ""hi"" to the team!";en;;;;\n'
        ).encode(),
        "a.csv",
    )
    do_commit_import(membership, imp, only_valid=False)
    do_save_post(membership, PostInput(text="Nur ein Entwurf", language="de"), [accounts["x"].pk])
    return membership


@pytest.fixture
def other(workspace_b, carol):
    """Workspace B: accounts with the same handles, a campaign and a pillar of the same names."""
    for network, handle in (
        ("x", "@alphakaffee"),
        ("mastodon", "@alpha@social.example"),
        ("bluesky", "alpha.bsky.social"),
    ):
        account = SocialAccount.objects.create(
            workspace=workspace_b, network=network, handle=handle
        )
        Slot.objects.create(workspace=workspace_b, account=account, weekday=2, time=time(8))
    Campaign.objects.create(
        workspace=workspace_b, name="Herbströstung", starts_on="2026-01-01", ends_on="2027-12-31"
    )
    Pillar.objects.create(workspace=workspace_b, name="Hinter der Theke")
    return Membership.objects.get(workspace=workspace_b, user=carol)


@pytest.mark.parametrize(("render", "name"), [(to_csv, "export.csv"), (to_json, "export.json")])
def test_an_export_imports_into_another_workspace_and_exports_the_same(filled, other, render, name):
    exported = export_rows(filled)
    assert [r["text"][:10] for r in exported] == ["Neue Röstu", "Our beans,", "Nur ein En"]
    imp = do_upload_import(other, render(exported).encode("utf-8"), name)
    assert imp.problems == [], imp.problems
    done = do_commit_import(other, imp, only_valid=False)
    assert len(done.result["posts"]) == 3
    again = {row["text"]: row for row in export_rows(other)}
    before = {row["text"]: row for row in exported}
    draft = before.pop("Nur ein Entwurf")
    queued = again.pop("Nur ein Entwurf")
    assert again == before
    # The draft had no time: in B it went to the queue, so it has one now.
    assert queued["time"] and {**queued, "time": ""} == draft


def test_export_filters(filled, campaign):
    all_rows = export_rows(filled)
    assert len(export_rows(filled, ExportFilter(status="draft"))) == 1
    assert len(export_rows(filled, ExportFilter(status="scheduled"))) == 2
    assert [r["campaign"] for r in export_rows(filled, ExportFilter(campaign=campaign))] == [
        "Herbströstung"
    ]
    start = (timezone.now() + timedelta(days=4)).date()
    assert [r["time"][:10] for r in export_rows(filled, ExportFilter(start=start))] == [
        all_rows[1]["time"][:10]
    ]
    csv_rows = list(csv.DictReader(io.StringIO(to_csv(all_rows).lstrip("\ufeff"))))
    assert csv_rows == all_rows


# --- API ------------------------------------------------------------------------------------


def api(workspace, path=""):
    return f"/api/v1/workspaces/{workspace.slug}{path}"


def test_api_upload_report_mapping_and_commit(alice_client, workspace_a, accounts, run_tasks):
    body = b"Konten,Nachricht\n@alphakaffee,Hallo\n@niemand,Weg\n"
    response = alice_client.post(
        api(workspace_a, "/imports"), {"file": SimpleUploadedFile("p.csv", body, "text/csv")}
    )
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["mapping"]["accounts"] == 0 and report["mapping"]["text"] == 1
    assert report["valid_rows"] == 1
    (problem,) = report["problems"]
    assert problem["row"] == 3 and problem["field"] == "accounts"
    assert problem["message_de"] == "„@niemand“ ist kein Konto dieses Workspaces."
    url = api(workspace_a, f"/imports/{report['id']}")
    assert alice_client.get(url).json()["id"] == report["id"]
    refused = alice_client.post(f"{url}/commit", {}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "rows_invalid"
    mapped = alice_client.put(
        f"{url}/mapping", {"text": 0, "accounts": 1}, content_type="application/json"
    )
    assert mapped.status_code == 200 and mapped.json()["valid_rows"] == 0
    alice_client.put(f"{url}/mapping", {"text": 1, "accounts": 0}, content_type="application/json")
    with run_tasks():
        started = alice_client.post(
            f"{url}/commit", {"only_valid": True}, content_type="application/json"
        )
        assert started.status_code == 202 and started.json()["state"] == "importing"
    done = alice_client.get(url).json()
    assert done["state"] == "imported" and done["result"]["skipped"] == [3]
    twice = alice_client.post(
        f"{url}/commit", {"only_valid": True}, content_type="application/json"
    )
    assert twice.status_code == 200 and twice.json()["result"] == done["result"]
    assert Post.objects.count() == 1


def test_api_refuses_unreadable_files_clearly(alice_client, workspace_a, accounts):
    response = alice_client.post(
        api(workspace_a, "/imports"),
        {"file": SimpleUploadedFile("p.csv", b'accounts,text\n@a,"offen\n', "text/csv")},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "broken_quoting"
    assert BulkImport.objects.count() == 0


def test_api_export(alice_client, filled, workspace_a, campaign):
    response = alice_client.get(api(workspace_a, "/exports/posts"), {"format": "json"})
    assert response.status_code == 200 and len(json.loads(response.content)) == 3
    response = alice_client.get(
        api(workspace_a, "/exports/posts"), {"format": "csv", "campaign": campaign.pk}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))) == 1
    other = alice_client.get(api(workspace_a, "/exports/posts"), {"campaign": 999999})
    assert other.status_code == 422


def test_api_imports_of_another_workspace_are_not_found(client, carol, workspace_b, membership):
    imp = do_upload_import(membership, b"accounts,text\n@x,Hallo\n", "a.csv")
    client.force_login(carol)
    assert client.get(api(workspace_b, f"/imports/{imp.pk}")).status_code == 404
    response = client.post(
        api(workspace_b, f"/imports/{imp.pk}/commit"), {}, content_type="application/json"
    )
    assert response.status_code == 404


# --- command line ---------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    try:
        call_command("posts", *map(str, args), stdout=out)
        return 0, out.getvalue()
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)


def test_cli_import_dry_run_only_valid_and_export(tmp_path, workspace_a, accounts):
    path = tmp_path / "posts.csv"
    path.write_text(
        f"accounts;time;text\n@alphakaffee;{future(2)};Hallo\n@niemand;;Weg\n", encoding="utf-8"
    )
    code, out = run("import", "--workspace", workspace_a.slug, path, "--dry-run")
    assert code == 1
    assert 'Row 3     Accounts       "@niemand" is not an account of this workspace.' in out
    assert "Dry run: nothing imported." in out
    assert Post.objects.count() == 0 and BulkImport.objects.count() == 0
    code, out = run("import", "--workspace", workspace_a.slug, path)
    assert code == 1 and "Nothing imported" in out and Post.objects.count() == 0
    code, out = run("import", "--workspace", workspace_a.slug, path, "--only-valid")
    assert "Imported 1 posts: 1 scheduled" in out and Post.objects.count() == 1
    code, out = run("export", "--workspace", workspace_a.slug, "--format", "json")
    assert code == 0 and json.loads(out)[0]["text"] == "Hallo"


def test_cli_reports_in_german_and_refuses_bad_input(tmp_path, workspace_a, accounts):
    path = tmp_path / "posts.csv"
    path.write_bytes(b"accounts,text\n@niemand,Hallo\n")
    code, out = run("import", "--workspace", workspace_a.slug, path, "--language", "de")
    assert code == 1 and "ist kein Konto dieses Workspaces" in out
    code, out = run("import", "--workspace", "nirgends", path)
    assert code != 0 and "no workspace 'nirgends'" in out
    code, out = run("import", "--workspace", workspace_a.slug, tmp_path / "fehlt.csv")
    assert code != 0 and "fehlt.csv" in out
    path.write_bytes(b"accounts,text\n@a,caf\xe9\n")
    code, out = run("import", "--workspace", workspace_a.slug, path)
    assert code != 0 and "not UTF-8" in out
    code, out = run("export", "--workspace", workspace_a.slug, "--from", "gestern")
    assert code != 0
