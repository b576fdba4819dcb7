"""Converting a library picture for a network: a copy beside the original, stored exactly
as converted, with the original's alt text; audited; the same copy when asked again."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404
from PIL import Image

from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.media import actions
from townsquare.media.limits import MediaLimits
from townsquare.media.models import MediaAsset
from townsquare.media.tests import samples
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

INSTAGRAM = MediaLimits(frozenset({"image/jpeg"}), max_bytes=8 * 1024 * 1024, network="Instagram")


@pytest.fixture
def sticker(membership):
    asset, _created = actions.do_upload_media(
        membership,
        ContentFile(samples.transparent_png(), name="sticker.png"),
        alt_text="Ein blaues Rechteck auf durchsichtigem Grund.",
        tags="aktion",
    )
    return asset


def test_a_png_becomes_a_jpeg_copy_beside_the_original_with_its_alt_text(membership, sticker):
    copy, steps = actions.do_convert_media(membership, sticker, INSTAGRAM)
    assert copy.pk != sticker.pk and MediaAsset.objects.filter(pk=sticker.pk).exists()
    assert copy.mime_type == "image/jpeg" and copy.original_name == "sticker (Instagram).jpg"
    assert copy.alt_text == sticker.alt_text and copy.tag_names == ["aktion"]
    assert "format image/png -> image/jpeg" in steps
    assert "transparency -> white background" in steps
    with copy.file.open("rb") as stored:
        assert Image.open(stored).format == "JPEG"
    assert copy.thumbnail.name
    event = AuditEvent.objects.filter(action="media.upload", target_id=str(copy.pk)).get()
    assert event.after["converted_from"] == sticker.pk


def test_the_copy_is_stored_as_converted_so_it_keeps_to_the_byte_limit(membership):
    photo, _created = actions.do_upload_media(
        membership, ContentFile(samples.noisy_jpeg(size=(900, 700)), name="noise.jpg")
    )
    limit = photo.size_bytes // 2
    copy, _steps = actions.do_convert_media(
        membership, photo, MediaLimits(frozenset({"image/jpeg"}), max_bytes=limit)
    )
    assert copy.size_bytes <= limit
    with copy.file.open("rb") as stored:
        assert len(stored.read()) == copy.size_bytes


def test_converting_again_returns_the_same_copy(membership, sticker):
    first, _steps = actions.do_convert_media(membership, sticker, INSTAGRAM)
    again, _steps = actions.do_convert_media(membership, sticker, INSTAGRAM)
    assert again.pk == first.pk
    assert MediaAsset.objects.filter(workspace=membership.workspace).count() == 2


def test_a_picture_that_already_fits_is_returned_unchanged(membership):
    photo, _created = actions.do_upload_media(
        membership, ContentFile(samples.noisy_jpeg(size=(400, 300)), name="photo.jpg")
    )
    same, steps = actions.do_convert_media(membership, photo, INSTAGRAM)
    assert same.pk == photo.pk and steps == ()


def test_a_picture_that_cannot_be_made_small_enough_is_refused_with_the_reason(membership):
    photo, _created = actions.do_upload_media(
        membership, ContentFile(samples.noisy_jpeg(size=(800, 600)), name="photo.jpg")
    )
    with pytest.raises(ActionError) as refused:
        actions.do_convert_media(
            membership, photo, MediaLimits(frozenset({"image/jpeg"}), max_bytes=500)
        )
    assert refused.value.code == "cannot_fit"
    assert MediaAsset.objects.count() == 1


def test_videos_are_not_converted(membership):
    video, _created = actions.do_upload_media(
        membership, ContentFile(samples.mp4(), name="clip.mp4")
    )
    with pytest.raises(ActionError) as refused:
        actions.do_convert_media(membership, video, INSTAGRAM)
    assert refused.value.code == "not_an_image"


def test_a_viewer_cannot_convert_and_another_workspace_cannot_see_the_picture(
    membership, sticker, carol, workspace_b
):
    carol_membership = Membership.objects.get(user=carol, workspace=workspace_b)
    with pytest.raises(Http404):
        actions.do_convert_media(carol_membership, sticker, INSTAGRAM)
    viewer = Membership.objects.create(workspace=membership.workspace, user=carol, role="viewer")
    with pytest.raises(PermissionDenied):
        actions.do_convert_media(viewer, sticker, INSTAGRAM)
