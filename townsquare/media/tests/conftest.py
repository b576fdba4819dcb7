import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every media test stores its files in a fresh directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored_files(media_root):
    def files():
        if not media_root.exists():
            return []
        return sorted(p for p in media_root.rglob("*") if p.is_file())

    return files
