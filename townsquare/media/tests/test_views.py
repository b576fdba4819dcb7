"""The media pages: upload, list, edit, delete, and files served to members only."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from townsquare.media import actions
from townsquare.media.models import MediaAsset
from townsquare.media.tests import samples
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def url(name, workspace, *args):
    return reverse(name, args=[workspace.slug, *args])


def uploaded(membership, data=None, name="photo.png", **kwargs):
    asset, _ = actions.do_upload_media(
        membership, ContentFile(data or samples.png(), name=name), **kwargs
    )
    return asset


def body(response) -> bytes:
    # The test client closes the file once the content is read to the end.
    return b"".join(response.streaming_content)


def test_uploading_one_photo_through_the_form_leads_to_its_alt_text(alice_client, workspace_a):
    photo = SimpleUploadedFile("röstung.jpg", samples.jpeg_with_gps(), content_type="image/jpeg")
    response = alice_client.post(
        url("media_upload", workspace_a), {"files": [photo], "tags": "kaffee, äthiopien"}
    )
    asset = MediaAsset.objects.get()
    assert response.status_code == 302
    assert response.url == url("media_edit", workspace_a, asset.pk)
    assert asset.original_name == "röstung.jpg" and asset.tag_names == ["kaffee", "äthiopien"]
    page = alice_client.get(response.url).content.decode()
    assert "Add alt text" in page and 'name="alt_text"' in page


def test_every_bad_file_gets_its_own_clear_error_and_good_ones_still_upload(
    alice_client, workspace_a
):
    files = [
        SimpleUploadedFile("good.png", samples.png(), content_type="image/png"),
        SimpleUploadedFile("notes.png", b"shopping list: beans", content_type="image/png"),
        SimpleUploadedFile("broken.jpg", samples.noisy_jpeg()[:5000], content_type="image/jpeg"),
    ]
    response = alice_client.post(url("media_upload", workspace_a), {"files": files})
    assert response.status_code == 400
    html = response.content.decode()
    assert "notes.png: This file contains text, not a picture or video" in html
    assert "broken.jpg: This JPEG file is damaged or incomplete" in html
    assert "Uploaded: good.png" in html
    assert list(MediaAsset.objects.values_list("original_name", flat=True)) == ["good.png"]


def test_an_upload_without_files_asks_for_one(alice_client, workspace_a):
    response = alice_client.post(url("media_upload", workspace_a), {})
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_uploading_the_same_file_again_says_it_is_already_there(
    alice_client, membership, workspace_a
):
    uploaded(membership, name="first.png")
    again = SimpleUploadedFile("second.png", samples.png(), content_type="image/png")
    response = alice_client.post(url("media_upload", workspace_a), {"files": [again]}, follow=True)
    assert "second.png is already in the library as first.png." in response.content.decode()
    assert MediaAsset.objects.count() == 1


def test_a_viewer_sees_the_library_but_cannot_upload(client, carol, workspace_a, membership):
    Membership.objects.create(workspace=workspace_a, user=carol, role="viewer")
    uploaded(membership)
    client.force_login(carol)
    page = client.get(url("media_library", workspace_a))
    assert page.status_code == 200 and "photo.png" in page.content.decode()
    assert url("media_upload", workspace_a) not in page.content.decode()
    assert client.get(url("media_upload", workspace_a)).status_code == 403


def test_the_library_lists_thumbnails_usage_and_missing_alt_text(
    alice_client, membership, workspace_a
):
    asset = uploaded(membership, tags="kaffee")
    actions.do_record_usage(membership, asset)
    actions.do_record_usage(membership, asset)
    uploaded(membership, samples.mp4(seconds=75), name="clip.mp4")
    html = alice_client.get(url("media_library", workspace_a)).content.decode()
    assert url("media_thumbnail", workspace_a, asset.pk) in html
    assert "used 2 times" in html and "No alt text yet" in html
    assert "#kaffee" in html and "▶ 1:15" in html and "not used yet" in html


def test_the_library_filters_by_tag_kind_and_folder(alice_client, membership, workspace_a):
    folder = actions.do_create_folder(membership, name="Herbst")
    uploaded(membership, samples.png(colour=(1, 2, 3)), name="bean.png", tags="kaffee")
    uploaded(membership, samples.png(colour=(3, 2, 1)), name="trail.png", folder=folder)
    uploaded(membership, samples.mp4(), name="clip.mp4")
    library = url("media_library", workspace_a)

    def names(query):
        html = alice_client.get(library + query).content.decode()
        return {n for n in ("bean.png", "trail.png", "clip.mp4") if n in html}

    assert names("") == {"bean.png", "trail.png", "clip.mp4"}
    assert names("?tag=kaffee") == {"bean.png"}
    assert names("?kind=video") == {"clip.mp4"}
    assert names(f"?folder={folder.pk}") == {"trail.png"}


def test_a_folder_is_created_from_the_library(alice_client, workspace_a):
    response = alice_client.post(url("media_folder_create", workspace_a), {"name": "Kampagnen"})
    assert response.status_code == 302 and "?folder=" in response.url
    page = alice_client.get(response.url).content.decode()
    assert "Kampagnen" in page and "Folder Kampagnen created." in page


def test_alt_text_tags_and_folder_are_edited_on_the_item_page(
    alice_client, membership, workspace_a
):
    asset = uploaded(membership)
    folder = actions.do_create_folder(membership, name="Herbst")
    response = alice_client.post(
        url("media_edit", workspace_a, asset.pk),
        {"alt_text": "Ein Wanderweg im Herbstlaub", "tags": "herbst, wandern", "folder": folder.pk},
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.alt_text == "Ein Wanderweg im Herbstlaub"
    assert asset.tag_names == ["herbst", "wandern"] and asset.folder == folder
    page = alice_client.get(url("media_edit", workspace_a, asset.pk)).content.decode()
    assert 'alt="Ein Wanderweg im Herbstlaub"' in page


def test_delete_asks_first(alice_client, membership, workspace_a):
    # A file that posts use is refused with their names: tests/test_media_in_use.py.
    asset = uploaded(membership)
    confirm = alice_client.get(url("media_delete", workspace_a, asset.pk))
    assert confirm.status_code == 200
    assert "This cannot be undone." in confirm.content.decode()
    assert MediaAsset.objects.exists()
    response = alice_client.post(url("media_delete", workspace_a, asset.pk))
    assert response.status_code == 302 and not MediaAsset.objects.exists()


def test_the_file_is_served_to_members_as_stored(alice_client, membership, workspace_a):
    asset = uploaded(membership, samples.jpeg_with_gps(), name="beach.jpg")
    response = alice_client.get(url("media_file", workspace_a, asset.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    with Image.open(io.BytesIO(body(response))) as image:
        assert not image.getexif()
    download = alice_client.get(url("media_file", workspace_a, asset.pk) + "?download=1")
    assert download["Content-Disposition"].startswith('attachment; filename="beach.jpg"')
    body(download)
    thumb = alice_client.get(url("media_thumbnail", workspace_a, asset.pk))
    assert thumb["Content-Type"] == "image/webp"
    body(thumb)


def test_a_video_has_no_thumbnail_page(alice_client, membership, workspace_a):
    video = uploaded(membership, samples.mp4(), name="clip.mp4")
    assert alice_client.get(url("media_thumbnail", workspace_a, video.pk)).status_code == 404


def test_files_are_not_served_to_anyone_outside_the_workspace(
    client, membership, carol, workspace_a, workspace_b
):
    asset = uploaded(membership)
    file_url = url("media_file", workspace_a, asset.pk)
    assert client.get(file_url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(carol)
    assert client.get(file_url).status_code == 404
    assert client.get(url("media_thumbnail", workspace_a, asset.pk)).status_code == 404
    # Her own workspace with alice's asset id: still nothing.
    assert client.get(url("media_file", workspace_b, asset.pk)).status_code == 404


def test_the_media_root_is_not_published_under_media_url(alice_client, membership):
    asset = uploaded(membership)
    assert alice_client.get(f"/media/{asset.file.name}").status_code == 404


def test_the_side_navigation_links_the_library(alice_client, workspace_a):
    html = alice_client.get(url("workspace_dashboard", workspace_a)).content.decode()
    assert f'href="{url("media_library", workspace_a)}"' in html


def test_a_german_user_gets_the_library_in_german(client, alice, membership, workspace_a):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    uploaded(membership)
    html = client.get(url("media_library", workspace_a)).content.decode()
    for text in ["Medien", "Alle Medien", "Hochladen", "Noch kein Alternativtext"]:
        assert text in html, f"{text!r} missing from the German library"
    assert "No alt text yet" not in html
    notes = SimpleUploadedFile("notizen.png", b"Einkaufsliste", content_type="image/png")
    refused = client.post(url("media_upload", workspace_a), {"files": [notes]})
    assert "notizen.png: Diese Datei enthält Text" in refused.content.decode()


def test_a_video_is_served_in_byte_ranges_for_players_that_seek(
    alice_client, membership, workspace_a
):
    data = samples.mp4(mdat_bytes=5000)
    video = uploaded(membership, data, name="clip.mp4")
    file_url = url("media_file", workspace_a, video.pk)
    whole = alice_client.get(file_url)
    assert whole["Accept-Ranges"] == "bytes" and body(whole) == data
    part = alice_client.get(file_url, headers={"range": "bytes=100-199"})
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert b"".join(part.streaming_content) == data[100:200]
    tail = alice_client.get(file_url, headers={"range": "bytes=-10"})
    assert b"".join(tail.streaming_content) == data[-10:]
    beyond = alice_client.get(file_url, headers={"range": f"bytes={len(data) + 5}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"
