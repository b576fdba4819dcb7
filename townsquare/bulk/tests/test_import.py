"""Importing: every row checked with the composer's validator, a report by row and field,
nothing imported from a file with errors unless only the valid rows are asked for."""

from datetime import time, timedelta

import httpx
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import override

from townsquare.bulk import fetch
from townsquare.bulk.actions import do_commit_import, do_set_mapping, do_upload_import
from townsquare.bulk.models import BulkImport
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign
from townsquare.publishing.models import Publication
from townsquare.queues.models import Slot
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

LONG_X = "Frisch geröstet und ab heute in allen Filialen: unsere Herbströstung. " * 5


def future(days=3, hour=9):
    return (timezone.now() + timedelta(days=days)).strftime(f"%Y-%m-%d {hour:02d}:00")


def upload(membership, text, name="posts.csv"):
    return do_upload_import(membership, text.encode("utf-8"), name)


def problems_of(imp, language="en"):
    return [(p["row"], p["field"], p[language]) for p in imp.problems]


def test_a_clean_file_is_checked_and_imported(membership, accounts, campaign, pillar):
    when = future()
    imp = upload(
        membership,
        "accounts;time;text;language;hashtags;campaign;pillar\n"
        f"@alphakaffee|alpha.bsky.social;{when};Neue Röstung im Laden!;de;kaffee #leipzig;"
        "Herbströstung;hinter der theke\n"
        "@alpha@social.example;;Ein Entwurf ohne Zeit;en;;;\n",
    )
    assert imp.problems == [] and imp.valid_rows == 2
    done = do_commit_import(membership, imp, only_valid=False)
    assert done.state == BulkImport.State.IMPORTED
    assert done.result["scheduled"] == 1 and done.result["queued"] == 1
    first = Post.objects.get(pk=done.result["posts"][0])
    assert first.hashtags == ["#kaffee", "#leipzig"]
    assert first.campaign == campaign and first.pillar == pillar
    assert sorted(v.account.network for v in first.variants.all()) == ["bluesky", "x"]
    pubs = Publication.objects.filter(post=first)
    assert {p.local_due for p in pubs} == {when.replace(" ", "T")}
    assert {p.time_zone for p in pubs} == {"Europe/Berlin"}


def test_the_composers_own_validation_per_account_makes_row_errors(
    membership, accounts, workspace_a
):
    instagram = SocialAccount.objects.create(
        workspace=workspace_a, network="instagram", handle="alphakaffee.ig"
    )
    Slot.objects.create(workspace=workspace_a, account=instagram, weekday=0, time=time(10))
    far_too_long = "Frisch geröstet und ab heute in allen Filialen. " * 200  # > 25 X posts
    imp = upload(
        membership,
        "accounts,text\n"
        f"@alphakaffee,{far_too_long}\n"
        "alphakaffee.ig,Ohne Bild geht es auf Instagram nicht\n"
        f"@alphakaffee,{LONG_X}\n",
    )
    assert [(p["row"], p["field"], p["code"]) for p in imp.problems] == [
        (2, "text", "thread_too_many_parts"),
        (3, "media", "media_required"),
    ]
    message = problems_of(imp)[0][2]
    assert message.startswith("X @alphakaffee: Too long for a thread on X:")
    german = problems_of(imp, "de")[1][2]
    assert german.startswith("Instagram alphakaffee.ig: Instagram braucht mindestens ein Bild")
    # Over 280 weighted characters, X gets a thread, as in the composer: a valid row.
    assert imp.valid_rows == 1


def test_nothing_is_imported_from_a_file_with_errors_unless_only_the_valid_rows(
    membership, accounts
):
    imp = upload(
        membership,
        "accounts,time,text\n"
        f"@alphakaffee,{future()},Gut\n"
        "@niemand,,Konto gibt es nicht\n"
        f"alpha.bsky.social,{future(4)},Auch gut\n",
    )
    assert problems_of(imp) == [(3, "accounts", '"@niemand" is not an account of this workspace.')]
    with pytest.raises(ActionError) as refused:
        do_commit_import(membership, imp, only_valid=False)
    assert refused.value.code == "rows_invalid"
    assert Post.objects.count() == 0
    done = do_commit_import(membership, imp, only_valid=True)
    assert len(done.result["posts"]) == 2 and done.result["skipped"] == [3]
    assert Post.objects.count() == 2


def test_a_second_submit_imports_nothing_twice(membership, accounts):
    imp = upload(membership, "accounts,text\n@alphakaffee,Einmal\n")
    first = do_commit_import(membership, imp, only_valid=False)
    stale = BulkImport.objects.get(pk=imp.pk)
    stale.state = BulkImport.State.CHECKED  # as a second request read it before the first ended
    again = do_commit_import(membership, stale, only_valid=False)
    assert again.result == first.result
    assert Post.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (
            "@alphakaffee,2020-01-01 09:00,Alt",
            "time",
            "2020-01-01 09:00 in Europe/Berlin has already passed.",
        ),
        ("@alphakaffee,morgen früh,Hm", "time", '"morgen früh" is not a time Townsquare can read.'),
        ("@alphakaffee,,", "text", "The text is empty."),
        ("7777,,Hallo", "accounts", "There is no account with the id 7777 in this workspace."),
        (",,Hallo", "accounts", "Name at least one account."),
    ],
)
def test_bad_cells_are_named_by_row_and_field(membership, accounts, row, field, message):
    imp = upload(membership, f"accounts,time,text\n@alphakaffee,,Gut\n{row}\n")
    found = problems_of(imp)
    assert found[0][:2] == (3, field)
    assert found[0][2].startswith(message)


def test_unknown_campaign_pillar_audience_language_link_and_media(membership, accounts):
    imp = upload(
        membership,
        "accounts,text,campaign,pillar,audience,language,link,media\n"
        "@alphakaffee,Hallo,Sommer,Nichts,Niemand,fr,ftp://x,99|http://x.example/a.png\n",
    )
    fields = [p[1] for p in problems_of(imp)]
    assert fields == ["language", "link", "media", "media", "campaign", "pillar", "audience"]


def test_german_messages_are_stored_with_the_english_ones(membership, accounts):
    imp = upload(membership, "Konten;Text\n@niemand;Hallo\n")
    assert imp.problems[0]["de"] == "„@niemand“ ist kein Konto dieses Workspaces."


def test_accounts_and_campaigns_of_another_workspace_are_unknown(membership, accounts, workspace_b):
    SocialAccount.objects.create(workspace=workspace_b, network="x", handle="@betaoutdoor")
    other = SocialAccount.objects.create(workspace=workspace_b, network="bluesky", handle="b.bsky")
    Campaign.objects.create(
        workspace=workspace_b, name="Winter", starts_on="2026-01-01", ends_on="2026-12-31"
    )
    imp = upload(
        membership,
        f"accounts,text,campaign\n@betaoutdoor,Hallo,\n{other.pk},Hallo,\n@alphakaffee,Hallo,Winter\n",
    )
    assert [(p[0], p[1]) for p in problems_of(imp)] == [
        (2, "accounts"),
        (3, "accounts"),
        (4, "campaign"),
    ]
    assert imp.valid_rows == 0
    with pytest.raises(ActionError) as refused:
        do_commit_import(membership, imp, only_valid=True)
    assert refused.value.code == "nothing_to_import"


def test_a_handle_on_two_networks_needs_the_network(membership, accounts, workspace_a):
    SocialAccount.objects.create(workspace=workspace_a, network="threads", handle="alphakaffee")
    imp = upload(membership, "accounts,text\nalphakaffee,Hallo\nx:@alphakaffee,Hallo\n")
    assert problems_of(imp) == [
        (
            2,
            "accounts",
            '"alphakaffee" names accounts on several networks; write the network before it, '
            "e.g. threads:alphakaffee.",
        )
    ]


def test_missing_required_columns_are_a_file_problem(membership, accounts):
    imp = upload(membership, "Wer,Was\n@alphakaffee,Hallo\n")
    assert [p["code"] for p in imp.problems] == ["column_missing", "column_missing"]
    with pytest.raises(ActionError) as refused:
        do_commit_import(membership, imp, only_valid=True)
    assert refused.value.status == 422
    fixed = do_set_mapping(membership, imp, {"accounts": 0, "text": 1})
    assert fixed.problems == [] and fixed.valid_rows == 1


def test_a_mapping_may_not_use_a_column_twice_or_one_that_is_not_there(membership, accounts):
    imp = upload(membership, "accounts,text\n@alphakaffee,Hallo\n")
    with pytest.raises(ActionError):
        do_set_mapping(membership, imp, {"accounts": 0, "text": 0})
    with pytest.raises(ActionError):
        do_set_mapping(membership, imp, {"text": 5})
    with pytest.raises(ActionError):
        do_set_mapping(membership, imp, {"colour": 1})


def test_an_unreadable_file_is_refused_with_its_row(membership, accounts):
    with override("en"), pytest.raises(ActionError) as refused:
        upload(membership, 'accounts,text\n@alphakaffee,"offen\n')
    assert "Row 2 (line 2)" in refused.value.message
    with override("de"), pytest.raises(ActionError) as refused:
        do_upload_import(membership, b"accounts,text\n@a,caf\xe9\n", "x.csv")
    assert "kein UTF-8" in refused.value.message
    assert BulkImport.objects.count() == 0


def test_a_row_without_a_time_goes_to_the_queue_and_needs_slots(membership, accounts):
    imp = upload(membership, "accounts,text\n@alpha@social.example,In die Warteschlange\n")
    done = do_commit_import(membership, imp, only_valid=False)
    (pub,) = Publication.objects.filter(post_id=done.result["posts"][0])
    assert pub.status == "scheduled" and pub.local_due.endswith("T10:00")
    Slot.objects.filter(account=accounts["x"]).delete()
    imp = upload(membership, "accounts,text\n@alphakaffee|alpha.bsky.social,Ohne Slots\n")
    assert [(p["row"], p["field"], p["code"]) for p in imp.problems] == [(2, "time", "no_slots")]


def test_a_viewer_cannot_import_and_a_contributor_cannot_schedule(
    membership, accounts, workspace_a, carol
):
    viewer = Membership.objects.create(workspace=workspace_a, user=carol, role="viewer")
    with pytest.raises(PermissionDenied):
        upload(viewer, "accounts,text\n@alphakaffee,Hallo\n")
    viewer.role = "contributor"
    viewer.save()
    imp = upload(viewer, f"accounts,time,text\n@alphakaffee,{future()},Hallo\n@alphakaffee,,Ok\n")
    assert [p["code"] for p in imp.problems] == ["may_not_schedule"]
    done = do_commit_import(viewer, imp, only_valid=True)
    assert done.result["drafts"] == 1  # without a time, a contributor's row stays a draft


def _png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def web(monkeypatch):
    served = {"https://cdn.example.org/theke.png": _png()}

    def handler(request):
        body = served.get(str(request.url))
        if body is None:
            return httpx.Response(404)
        return httpx.Response(200, content=body)

    monkeypatch.setattr(fetch, "TRANSPORT", httpx.MockTransport(handler))
    return served


def test_media_addresses_are_fetched_at_import_with_their_alt_text(membership, accounts, web):
    imp = upload(
        membership,
        "accounts,text,media\n"
        "alpha.bsky.social,Unsere Theke,https://cdn.example.org/theke.png Die Theke am Morgen\n",
    )
    assert imp.problems == []
    done = do_commit_import(membership, imp, only_valid=False)
    post = Post.objects.get(pk=done.result["posts"][0])
    (attachment,) = post.attachments.select_related("asset")
    assert attachment.asset.alt_text == "Die Theke am Morgen"
    assert attachment.asset.width == 640


def test_a_failing_media_address_is_a_row_error_and_nothing_is_imported(membership, accounts, web):
    imp = upload(
        membership,
        "accounts,text,media\n"
        "alpha.bsky.social,Gut,https://cdn.example.org/theke.png Theke\n"
        "alpha.bsky.social,Weg,https://cdn.example.org/fehlt.png\n",
    )
    with pytest.raises(ActionError):
        do_commit_import(membership, imp, only_valid=False)
    assert Post.objects.count() == 0
    imp.refresh_from_db()
    assert problems_of(imp) == [
        (
            3,
            "media",
            "The media file https://cdn.example.org/fehlt.png could not be fetched: "
            "the server answered HTTP 404.",
        )
    ]
    done = do_commit_import(membership, imp, only_valid=True)
    assert done.result["skipped"] == [3] and len(done.result["posts"]) == 1


def test_a_private_address_is_refused_by_the_guarded_client(membership, accounts, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    imp = upload(
        membership, "accounts,text,media\nalpha.bsky.social,Intern,https://127.0.0.1/a.png\n"
    )
    with pytest.raises(ActionError):
        do_commit_import(membership, imp, only_valid=False)
    imp.refresh_from_db()
    assert imp.problems[0]["code"] == "media_address_refused"


def test_a_too_large_media_file_is_a_row_error(membership, accounts, monkeypatch):
    def handler(request):
        return httpx.Response(200, content=b"x" * 2048)

    monkeypatch.setattr(fetch, "TRANSPORT", httpx.MockTransport(handler))
    monkeypatch.setattr(fetch, "MAX_MEDIA_BYTES", 1024)
    with pytest.raises(fetch.FetchError) as caught:
        fetch.fetch("https://cdn.example.org/big.png", max_bytes=1024)
    assert caught.value.code == "media_too_large"


def test_an_upload_expires_and_old_ones_make_room(membership, accounts):
    from townsquare.bulk.access import access_bulk_import

    imp = upload(membership, "accounts,text\n@alphakaffee,Hallo\n")
    BulkImport.objects.filter(pk=imp.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    from django.http import Http404

    with pytest.raises(Http404):
        access_bulk_import(membership, imp.pk)
    upload(membership, "accounts,text\n@alphakaffee,Hallo\n")
    assert not BulkImport.objects.filter(pk=imp.pk).exists()


def test_with_approvals_on_every_row_goes_to_review_with_its_time_proposed(
    membership, accounts, workspace_a
):
    from townsquare.approvals.models import ApprovalSettings, PostReview

    ApprovalSettings.objects.create(workspace=workspace_a, mode="one")
    when = future()
    imp = upload(
        membership, f"accounts,time,text\n@alphakaffee,{when},Mit Zeit\n@alphakaffee,,Ohne Zeit\n"
    )
    assert imp.problems == []
    done = do_commit_import(membership, imp, only_valid=False)
    assert done.result["in_review"] == 2 and done.result["scheduled"] == 0
    reviews = {r.post.master_text: r for r in PostReview.objects.select_related("post")}
    assert reviews["Mit Zeit"].state == "in_review"
    assert reviews["Mit Zeit"].proposed_local == when.replace(" ", "T")
    assert reviews["Ohne Zeit"].proposed_local == ""
    assert not Publication.objects.filter(status="scheduled").exists()


def test_the_columns_cannot_change_while_the_file_is_imported(membership, accounts):
    from townsquare.bulk.actions import do_start_import

    imp = upload(membership, "accounts,text\n@alphakaffee,Hallo\n")
    started = do_start_import(membership, imp, only_valid=False)
    assert started.state == "importing" and started.started_by == membership
    again = do_start_import(membership, imp, only_valid=True)
    assert again.started_at == started.started_at and not again.only_valid
    with pytest.raises(ActionError) as refused:
        do_set_mapping(membership, imp, {"text": 0, "accounts": 1})
    assert refused.value.code == "importing"
