"""The fixed cast: an owner account, a second account with no access, an artist ready to render."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from artists.models import FileKind
from artists.services import artist_create, artist_file_add
from content.media.synth import face_guide_png, song_lyrics_lrc, song_wav
from recoup.models import Account, api_key_create

SONG_SECONDS, CHORUS_START, CHORUS_SECONDS = 30.0, 14.0, 8.0


@pytest.fixture(scope="session")
def assets(tmp_path_factory) -> dict[str, Path]:
    """Media files made once per session: a face guide and a song with a loud chorus."""
    folder = tmp_path_factory.mktemp("assets")
    return {
        "face": face_guide_png(folder / "face.png"),
        "song": song_wav(folder / "song.wav", seconds=SONG_SECONDS, chorus_start=CHORUS_START, chorus_seconds=CHORUS_SECONDS),
    }


def upload(path: Path, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


@pytest.fixture
def owner(db) -> Account:
    return Account.objects.create(name="owner-team")


@pytest.fixture
def owner_key(owner) -> str:
    return api_key_create(account=owner)[1]


@pytest.fixture
def stranger(db) -> Account:
    return Account.objects.create(name="stranger-team")


@pytest.fixture
def stranger_key(stranger) -> str:
    return api_key_create(account=stranger)[1]


@pytest.fixture
def api(owner_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=owner_key)
    return client


@pytest.fixture
def stranger_api(stranger_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=stranger_key)
    return client


@pytest.fixture
def bare_artist(owner):
    """An artist the owner can access, with no files yet."""
    return artist_create(account=owner, name="Nova Vale")


@pytest.fixture
def artist(bare_artist, assets):
    """Ready to render: a face guide and one song with lyrics."""
    artist_file_add(artist=bare_artist, kind=FileKind.FACE_GUIDE, upload=upload(assets["face"]))
    artist_file_add(
        artist=bare_artist,
        kind=FileKind.SONG,
        upload=upload(assets["song"]),
        title="Neon Hours",
        lyrics=song_lyrics_lrc(SONG_SECONDS, CHORUS_START, CHORUS_SECONDS),
    )
    return bare_artist
