"""Writes to the media library: permission, transaction, audit, and nothing half-saved."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.http import Http404
from PIL import Image

from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.media import actions, budget
from townsquare.media.models import MediaAsset, MediaFolder, MediaTag
from townsquare.media.processing import MAX_IMAGE_BYTES
from townsquare.media.tests import samples, worst_cases
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob_membership(bob, workspace_a):
    return Membership.objects.get(user=bob, workspace=workspace_a)


@pytest.fixture
def carol_membership(carol, workspace_b):
    return Membership.objects.get(user=carol, workspace=workspace_b)


def upload(membership, data, name="photo.jpg", **kwargs):
    return actions.do_upload_media(membership, ContentFile(data, name=name), **kwargs)


def test_a_jpeg_with_gps_is_stored_without_exif_under_a_random_name(membership, media_root):
    asset, created = upload(membership, samples.jpeg_with_gps(), name="Urlaub am Strand.jpg")
    assert created
    assert asset.file.name.startswith(f"{membership.workspace_id}/")
    assert "Urlaub" not in asset.file.name and asset.file.name.endswith(".jpg")
    assert asset.original_name == "Urlaub am Strand.jpg"
    with Image.open(media_root / asset.file.name) as stored:
        assert not stored.getexif()
        assert stored.size == (200, 300)
    assert (asset.width, asset.height, asset.kind) == (200, 300, "image")
    assert asset.size_bytes == (media_root / asset.file.name).stat().st_size
    assert asset.uploaded_by == membership.user


def test_a_png_renamed_to_jpg_is_stored_as_the_png_it_is(membership, media_root):
    asset, _ = upload(membership, samples.png(), name="holiday.jpg")
    assert asset.mime_type == "image/png"
    assert asset.file.name.endswith(".png")
    with Image.open(media_root / asset.file.name) as stored:
        assert stored.format == "PNG"


def test_a_thumbnail_is_stored_next_to_the_file(membership, media_root):
    asset, _ = upload(membership, samples.noisy_jpeg(size=(1200, 900)))
    with Image.open(media_root / asset.thumbnail.name) as thumb:
        assert thumb.format == "WEBP" and max(thumb.size) == 400


def test_a_text_file_named_png_is_refused_and_leaves_nothing(membership, stored_files):
    with pytest.raises(ActionError) as caught:
        upload(membership, b"just some notes", name="notes.png")
    assert caught.value.code == "not_media" and caught.value.status == 400
    assert "contains text" in caught.value.message
    assert not MediaAsset.objects.exists() and stored_files() == []


def test_the_refusal_speaks_the_language_of_the_request(membership):
    from django.utils import translation

    with translation.override("de"), pytest.raises(ActionError) as caught:
        upload(membership, b"just some notes", name="notes.png")
    assert "enthält Text" in caught.value.message


def test_a_file_over_the_default_image_limit_is_refused_with_413(membership, tmp_path):
    big = tmp_path / "big.jpg"
    with big.open("wb") as handle:  # sparse: 30 MB + 1 byte without writing them
        handle.write(samples.noisy_jpeg(size=(64, 64)))
        handle.truncate(MAX_IMAGE_BYTES + 1)
    with big.open("rb") as handle, pytest.raises(ActionError) as caught:
        actions.do_upload_media(membership, File(handle, name="big.jpg"))
    assert caught.value.code == "too_large" and caught.value.status == 413


def test_nothing_is_half_saved_when_the_row_cannot_be_written(
    membership, stored_files, monkeypatch
):
    def broken_audit(**kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(actions, "record", broken_audit)
    with pytest.raises(RuntimeError):
        upload(membership, samples.jpeg_with_gps(), tags="kaffee")
    assert not MediaAsset.objects.exists()
    assert not MediaTag.objects.exists()
    assert stored_files() == [], "the stored file and thumbnail must be removed again"


def test_nothing_is_saved_when_processing_fails(membership, stored_files):
    data = samples.noisy_jpeg()
    with pytest.raises(ActionError):
        upload(membership, data[: len(data) // 2])
    assert not MediaAsset.objects.exists() and stored_files() == []
    assert not AuditEvent.objects.filter(action="media.upload").exists()


def test_the_same_file_twice_is_stored_once(membership, stored_files):
    data = samples.jpeg_with_gps()
    first, created = upload(membership, data, name="a.jpg")
    again, created_again = upload(membership, data, name="b.jpg")
    assert created and not created_again and again.pk == first.pk
    assert MediaAsset.objects.count() == 1 and len(stored_files()) == 2  # file + thumbnail


def test_the_same_file_may_live_in_two_workspaces(membership, carol_membership):
    data = samples.png()
    upload(membership, data)
    _asset, created = upload(carol_membership, data)
    assert created


def test_an_upload_is_audited_with_tags_and_folder(membership):
    folder = actions.do_create_folder(membership, name="Kampagnen")
    asset, _ = upload(
        membership, samples.png(), tags=" #Kaffee,  Neue Röstung , kaffee,", folder=folder
    )
    assert asset.tag_names == ["kaffee", "neue röstung"]
    event = AuditEvent.objects.get(action="media.upload")
    assert event.after["tags"] == ["kaffee", "neue röstung"]
    assert event.after["folder"] == folder.pk and event.workspace == membership.workspace


def test_a_photo_read_smaller_than_uploaded_is_audited_with_the_size_it_had(
    membership, media_root, monkeypatch
):
    # Room for one megapixel of stills, so that a 2000 x 1500 photo is read at half its size.
    room = budget.STILL_WORK_BYTES_PER_PIXEL * 1_000_000
    monkeypatch.setattr(budget, "MEMORY_BUDGET", budget.FILE_COPIES * budget.MAX_IMAGE_BYTES + room)

    asset, _ = upload(membership, worst_cases.jpeg(2000, 1500))

    assert (asset.width, asset.height) == (1000, 750)
    with Image.open(media_root / asset.file.name) as stored:
        assert stored.size == (1000, 750)
    event = AuditEvent.objects.get(action="media.upload")
    assert event.after["reduced_from"] == [2000, 1500]


def test_a_viewer_cannot_upload(membership, carol, workspace_a):
    viewer = Membership.objects.create(workspace=workspace_a, user=carol, role="viewer")
    with pytest.raises(PermissionDenied):
        upload(viewer, samples.png())


def test_alt_text_tags_and_folder_can_be_changed_and_are_audited(membership, bob_membership):
    asset, _ = upload(membership, samples.png(), tags="a, b")
    folder = actions.do_create_folder(bob_membership, name="Herbst")
    actions.do_update_media(
        bob_membership, asset, alt_text="  Ein Becher Kaffee  ", tags=["b", "c"], folder=folder
    )
    asset.refresh_from_db()
    assert asset.alt_text == "Ein Becher Kaffee" and asset.folder == folder
    assert asset.tag_names == ["b", "c"]
    assert not MediaTag.objects.filter(name="a").exists(), "unused tags are removed"
    event = AuditEvent.objects.get(action="media.update")
    assert event.before["alt_text"] == "" and event.after["alt_text"] == "Ein Becher Kaffee"
    assert event.actor == bob_membership.user

    actions.do_update_media(bob_membership, asset, folder=None)
    asset.refresh_from_db()
    assert asset.folder is None and asset.alt_text == "Ein Becher Kaffee"


def test_alt_text_is_limited_to_1500_characters(membership):
    asset, _ = upload(membership, samples.png())
    actions.do_update_media(membership, asset, alt_text="x" * 1500)
    with pytest.raises(ActionError) as caught:
        actions.do_update_media(membership, asset, alt_text="x" * 1501)
    assert caught.value.code == "alt_text_too_long"


def test_too_many_or_too_long_tags_are_refused(membership):
    asset, _ = upload(membership, samples.png())
    with pytest.raises(ActionError, match="at most 40"):
        actions.do_update_media(membership, asset, tags=["x" * 41])
    with pytest.raises(ActionError) as caught:
        actions.do_update_media(membership, asset, tags=[f"t{i}" for i in range(21)])
    assert caught.value.code == "too_many_tags"


def test_another_workspaces_folder_cannot_be_used(membership, carol_membership):
    asset, _ = upload(membership, samples.png())
    foreign = actions.do_create_folder(carol_membership, name="Fremd")
    with pytest.raises(Http404):
        actions.do_update_media(membership, asset, folder=foreign)
    with pytest.raises(Http404):
        upload(membership, samples.jpeg_with_gps(), folder=foreign)


def test_deleting_removes_row_and_files_once_committed(
    membership, stored_files, django_capture_on_commit_callbacks
):
    asset, _ = upload(membership, samples.png())
    assert len(stored_files()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_delete_media(membership, asset)
    assert not MediaAsset.objects.exists() and stored_files() == []
    assert AuditEvent.objects.get(action="media.delete").before["original_name"] == "photo.jpg"


def test_a_contributor_may_delete_their_own_media_but_not_others(membership, carol, workspace_a):
    contributor = Membership.objects.create(workspace=workspace_a, user=carol, role="contributor")
    mine, _ = upload(contributor, samples.png())
    theirs, _ = upload(membership, samples.jpeg_with_gps())
    actions.do_delete_media(contributor, mine)
    with pytest.raises(PermissionDenied):
        actions.do_delete_media(contributor, theirs)
    assert MediaAsset.objects.filter(pk=theirs.pk).exists()


def test_an_editor_may_delete_anyones_media(membership, bob_membership):
    asset, _ = upload(membership, samples.png())
    actions.do_delete_media(bob_membership, asset)
    assert not MediaAsset.objects.exists()


def test_folders_are_unique_per_parent_and_nested_at_most_five_deep(membership):
    top = actions.do_create_folder(membership, name="Kampagnen")
    with pytest.raises(ActionError) as caught:
        actions.do_create_folder(membership, name="kampagnen")
    assert caught.value.code == "folder_exists"
    child = actions.do_create_folder(membership, name="Kampagnen", parent=top)
    assert child.path == "Kampagnen / Kampagnen"
    parent = child
    for depth in range(3):
        parent = actions.do_create_folder(membership, name=f"Ebene {depth}", parent=parent)
    with pytest.raises(ActionError) as deep:
        actions.do_create_folder(membership, name="zu tief", parent=parent)
    assert deep.value.code == "too_deep"
    with pytest.raises(ActionError):
        actions.do_create_folder(membership, name="   ")
    assert AuditEvent.objects.filter(action="media.folder_create").count() == 5
    assert MediaFolder.objects.count() == 5


def test_usage_is_counted_by_other_features_and_never_goes_below_zero(membership, bob):
    asset, _ = upload(membership, samples.png())
    actions.do_record_usage(membership, asset, reason="post 12")
    actions.do_record_usage(None, asset, reason="published by the scheduler")
    assert asset.usage_count == 2
    actions.do_record_usage(membership, asset, delta=-5)
    asset.refresh_from_db()
    assert asset.usage_count == 0
    events = AuditEvent.objects.filter(action="media.usage").order_by("id")
    assert [e.after["usage_count"] for e in events] == [1, 2, 0]
    assert events[1].actor is None and events[1].actor_label == "system"


def test_usage_cannot_be_recorded_from_another_workspace(membership, carol_membership):
    asset, _ = upload(membership, samples.png())
    with pytest.raises(Http404):
        actions.do_record_usage(carol_membership, asset)


def test_a_video_is_stored_without_its_location_box(membership, media_root):
    data = samples.mp4(location="+52.5200+013.4050/")
    asset, _ = upload(membership, data, name="clip.mp4")
    stored = (media_root / asset.file.name).read_bytes()
    assert asset.kind == "video" and asset.mime_type == "video/mp4"
    assert (asset.duration_seconds, asset.width, asset.height) == (12.5, 1080, 1920)
    assert asset.video_codec == "h264" and not asset.thumbnail
    assert len(stored) == len(data) and b"52.5200" not in stored


def test_two_uploads_of_the_same_file_at_once_keep_one_and_leave_no_stray_file(
    membership, stored_files, monkeypatch
):
    data = samples.png()
    first, _ = upload(membership, data)
    real_filter = MediaAsset.objects.filter
    calls = []

    def filter_missing_the_first_time(*args, **kwargs):
        calls.append(kwargs)
        # The duplicate check runs before the other upload has committed: it sees nothing.
        return MediaAsset.objects.none() if len(calls) == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(MediaAsset.objects, "filter", filter_missing_the_first_time)
    second, created = upload(membership, data, name="again.png")
    assert not created and second.pk == first.pk
    assert len(stored_files()) == 2, "the losing upload's files must be removed"
