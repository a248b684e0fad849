import pytest


@pytest.fixture
def publisher(person):
    """A member of staff holding the data publisher role."""
    return person("data_publisher", is_staff=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
