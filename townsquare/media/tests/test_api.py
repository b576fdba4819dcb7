"""The media library in the API: multipart upload, read, patch, delete, files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from townsquare.api.actions import do_create_api_token
from townsquare.media.models import MediaAsset
from townsquare.media.tests import samples
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice, workspace_a):
    _token, raw = do_create_api_token(alice, name="media", workspace_slugs=[workspace_a.slug])
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def base(workspace):
    return f"/api/v1/workspaces/{workspace.slug}/media"


def post_file(api, workspace, data, name="photo.jpg", **fields):
    return api.post(base(workspace), {"file": SimpleUploadedFile(name, data), **fields})


def test_upload_returns_201_with_the_facts_and_without_the_exif(api, workspace_a):
    response = post_file(
        api, workspace_a, samples.jpeg_with_gps(), alt_text="Kaffeebohnen", tags="kaffee, Röstung"
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["mime_type"] == "image/jpeg" and item["kind"] == "image"
    assert (item["width"], item["height"]) == (200, 300)
    assert item["alt_text"] == "Kaffeebohnen" and item["tags"] == ["kaffee", "röstung"]
    assert item["duplicate"] is False and item["usage_count"] == 0
    assert item["uploaded_by"] == "alice@example.com"
    file = api.get(item["file_url"])
    assert file.status_code == 200 and file["Content-Type"] == "image/jpeg"
    assert b"Phone 15 Pro" not in b"".join(file.streaming_content)
    assert b"".join(api.get(item["thumbnail_url"]).streaming_content).startswith(b"RIFF")


def test_the_same_file_again_answers_200_and_points_to_the_first(api, workspace_a):
    first = post_file(api, workspace_a, samples.png(), name="a.png").json()
    again = post_file(api, workspace_a, samples.png(), name="b.png")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["duplicate"] is True


def test_a_refused_file_is_a_400_in_the_error_shape(api, workspace_a):
    response = post_file(api, workspace_a, b"hello", name="x.png")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_media" and "contains text" in error["message"]
    assert not MediaAsset.objects.exists()


def test_a_video_upload_reports_duration_and_codec(api, workspace_a):
    response = post_file(api, workspace_a, samples.webm(seconds=7.5), name="clip.webm")
    item = response.json()
    assert response.status_code == 201
    assert item["mime_type"] == "video/webm" and item["video_codec"] == "vp9"
    assert item["duration_seconds"] == 7.5 and item["thumbnail_url"] is None


def test_patch_changes_alt_text_tags_and_folder_and_null_clears_the_folder(api, workspace_a):
    item = post_file(api, workspace_a, samples.png()).json()
    folder = api.post(
        f"{base(workspace_a)}/folders", {"name": "Herbst"}, content_type="application/json"
    )
    assert folder.status_code == 201
    url = f"{base(workspace_a)}/{item['id']}"
    changed = api.patch(
        url,
        {"alt_text": "Herbstlaub", "tags": ["Wandern"], "folder_id": folder.json()["id"]},
        content_type="application/json",
    ).json()
    assert changed["alt_text"] == "Herbstlaub" and changed["tags"] == ["wandern"]
    assert changed["folder_id"] == folder.json()["id"]
    cleared = api.patch(url, {"folder_id": None}, content_type="application/json").json()
    assert cleared["folder_id"] is None and cleared["alt_text"] == "Herbstlaub"


def test_alt_text_over_1500_characters_is_a_422(api, workspace_a):
    item = post_file(api, workspace_a, samples.png()).json()
    response = api.patch(
        f"{base(workspace_a)}/{item['id']}",
        {"alt_text": "x" * 1501},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_list_filters_by_tag_and_kind(api, workspace_a):
    post_file(api, workspace_a, samples.png(), tags="kaffee")
    post_file(api, workspace_a, samples.mp4(), name="clip.mp4")
    assert [i["tags"] for i in api.get(f"{base(workspace_a)}?tag=kaffee").json()] == [["kaffee"]]
    assert [i["kind"] for i in api.get(f"{base(workspace_a)}?kind=video").json()] == ["video"]
    assert len(api.get(base(workspace_a)).json()) == 2


def test_delete_answers_204_and_the_item_is_gone(api, workspace_a):
    item = post_file(api, workspace_a, samples.png()).json()
    assert api.delete(f"{base(workspace_a)}/{item['id']}").status_code == 204
    assert api.get(f"{base(workspace_a)}/{item['id']}").status_code == 404


def test_a_viewer_can_read_but_not_upload(client, carol, workspace_a, api):
    item = post_file(api, workspace_a, samples.png()).json()
    Membership.objects.create(workspace=workspace_a, user=carol, role="viewer")
    client.force_login(carol)
    assert client.get(f"{base(workspace_a)}/{item['id']}").status_code == 200
    refused = client.post(base(workspace_a), {"file": SimpleUploadedFile("a.png", samples.png())})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_another_workspaces_media_is_a_404_even_with_the_right_id(
    api, carol, workspace_a, workspace_b
):
    from django.core.files.base import ContentFile

    from townsquare.media.actions import do_upload_media

    carols = Membership.objects.get(user=carol, workspace=workspace_b)
    foreign, _ = do_upload_media(carols, ContentFile(samples.png(), name="b.png"))
    for path in (
        f"{base(workspace_b)}/{foreign.pk}",
        f"{base(workspace_b)}/{foreign.pk}/file",
        f"{base(workspace_b)}",
        f"{base(workspace_a)}/{foreign.pk}",  # her own workspace, the foreign id
        f"{base(workspace_a)}/{foreign.pk}/file",
    ):
        response = api.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
