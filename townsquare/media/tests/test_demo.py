"""The demo pictures: drawn at run time, uploaded like any file, seeded once."""

import pytest
from PIL import Image

from townsquare.demo import media as demo
from townsquare.media.models import MediaAsset

pytestmark = pytest.mark.django_db


def test_demo_pictures_arrive_with_alt_texts_tags_and_folders_in_the_workspace_language(
    workspace_a, workspace_b, media_root
):
    added = demo.seed_media([workspace_a, workspace_b])
    assert added == len(demo.PICTURES["de"]) + len(demo.PICTURES["en"])
    roast = MediaAsset.objects.get(workspace=workspace_a, original_name__contains="roestung")
    assert "Äthiopien Yirgacheffe" in roast.alt_text
    assert sorted(roast.tag_names) == ["neuheit", "röstung", "äthiopien"]
    assert roast.folder.name == "Röstungen" and roast.thumbnail
    trail = MediaAsset.objects.get(workspace=workspace_b, original_name="autumn-trail-guide.jpg")
    assert "Autumn trail guide" in trail.alt_text and trail.folder.name == "Guides"
    assert (trail.width, trail.height) == (1200, 675)
    with Image.open(media_root / trail.file.name) as image:
        assert image.format == "JPEG"


def test_seeding_twice_adds_nothing(workspace_a, workspace_b):
    demo.seed_media([workspace_a, workspace_b])
    count = MediaAsset.objects.count()
    assert demo.seed_media([workspace_a, workspace_b]) == 0
    assert MediaAsset.objects.count() == count


def test_without_a_system_font_umlauts_are_still_drawn(monkeypatch):
    monkeypatch.setattr(demo, "SYSTEM_FONTS", ())
    picture = demo.PICTURES["de"][0]
    assert demo.draw(picture).startswith(b"\xff\xd8")
