"""Bulk import in the real UI: from the posts list to the upload, a CSV with one bad row,
the report naming the row, and only the valid rows imported."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.queues.models import Slot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_csv_with_one_bad_row_imports_only_the_valid_rows(
    page, sign_in, alice, workspace_a, unlabelled_controls, settings
):
    # The import runs as a background task; here in the web process, at once.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    for network, handle in (("x", "@alphakaffee"), ("bluesky", "alpha.bsky.social")):
        account = SocialAccount.objects.create(
            workspace=workspace_a, network=network, handle=handle
        )
        for weekday in range(7):
            Slot.objects.create(
                workspace=workspace_a, account=account, weekday=weekday, time=time(10)
            )
    when = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d 09:30")
    content = (
        "Konten;Zeitpunkt;Nachricht;Sprache\n"
        f"@alphakaffee|alpha.bsky.social;{when};Frisch geröstet: unsere Herbstmischung.;de\n"
        "@gibtsnicht;;Dieses Konto gibt es nicht.;de\n"
        "alpha.bsky.social;;Our autumn blend is here.;en\n"
    ).encode()

    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/posts/")
    page.get_by_role("link", name="Bulk import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulk import")
    assert unlabelled_controls(page) == []
    page.get_by_label("File").set_input_files(
        {"name": "beitraege.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import of beitraege.csv")
    expect(page.get_by_label("Accounts")).to_have_value("0")
    expect(page.get_by_label("Text:", exact=True)).to_have_value("2")
    assert unlabelled_controls(page) == []
    expect(page.locator("#bulk-summary")).to_contain_text("2 of 3 posts are ready to import.")
    report = page.locator("table.bulk-report tbody tr")
    expect(report).to_have_count(1)
    expect(report.first).to_contain_text("3")
    expect(report.first).to_contain_text('"@gibtsnicht" is not an account of this workspace.')
    expect(page.get_by_role("button", name="Import 3 posts")).to_have_count(0)
    assert Post.objects.count() == 0

    page.get_by_role("button", name="Import only the 2 valid rows").click()
    expect(page.locator("#bulk-result")).to_contain_text(
        "2 posts imported: 1 scheduled, 1 in the queue, 0 drafts."
    )
    expect(page.locator("#bulk-result")).to_contain_text("Left out: row 3.")
    assert Post.objects.count() == 2
    local = list(Publication.objects.values_list("local_due", flat=True))
    assert local.count(when.replace(" ", "T")) == 2  # one post, two accounts
    assert next(t for t in local if t != when.replace(" ", "T")).endswith("T10:00")  # queued

    page.get_by_role("link", name="See the posts").click()
    expect(page.get_by_role("link", name="Frisch geröstet: unsere Herbstmischung.")).to_be_visible()
    page.log.assert_clean()
