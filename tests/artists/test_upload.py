import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from artists.models import ArtistFile
from content.media import ffmpeg

pytestmark = pytest.mark.django_db


def post_file(api, artist, kind: str, name: str, data: bytes, **extra):
    url = f"/api/artists/{artist.pk}/files"
    return api.post(url, {"kind": kind, "file": SimpleUploadedFile(name, data), **extra}, format="multipart")


def stored_files(artist) -> set[str]:
    """Files in storage under this artist's folder."""
    found = set()

    def walk(folder: str):
        dirs, files = default_storage.listdir(folder)
        found.update(f"{folder}/{f}" for f in files)
        for d in dirs:
            walk(f"{folder}/{d}")

    if default_storage.exists(f"artists/{artist.pk}"):
        walk(f"artists/{artist.pk}")
    return found


def assert_rejected(response, words: str):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == "file"
    assert words in body["error"]


def png_bytes(size=(400, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 40, 120)).save(out, "PNG")
    return out.getvalue()


def mp3_bytes(tmp_path, seconds: float) -> bytes:
    path = tmp_path / "tone.mp3"
    ffmpeg.run(["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}", "-c:a", "libmp3lame", path])
    return path.read_bytes()


def test_a_face_guide_upload_is_stored_with_its_facts(api, bare_artist):
    response = post_file(api, bare_artist, "face_guide", "me.png", png_bytes(), title="Front")
    assert response.status_code == 201
    file = response.json()["file"]
    assert file["kind"] == "face_guide"
    assert file["title"] == "Front"
    assert (file["width"], file["height"]) == (400, 600)
    assert file["content_type"] == "image/png"
    assert len(file["checksum"]) == 64


def test_a_song_upload_records_its_duration(api, bare_artist, tmp_path):
    response = post_file(api, bare_artist, "song", "Night Drive.mp3", mp3_bytes(tmp_path, 12))
    assert response.status_code == 201
    file = response.json()["file"]
    assert file["title"] == "Night Drive"
    assert file["slug"] == "night-drive"
    assert 11.5 < file["duration_seconds"] < 12.5


def test_a_new_face_guide_replaces_the_old_one(api, bare_artist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_file(api, bare_artist, "face_guide", "a.png", png_bytes())
        post_file(api, bare_artist, "face_guide", "b.png", png_bytes((500, 500)))
    guides = ArtistFile.objects.filter(artist=bare_artist, kind="face_guide")
    assert guides.count() == 1
    assert guides.get().width == 500
    assert len(stored_files(bare_artist)) == 1


def test_a_text_file_named_like_an_image_is_rejected_and_nothing_is_stored(api, bare_artist):
    assert_rejected(post_file(api, bare_artist, "face_guide", "face.png", b"hello, I am text"), "not an image")
    assert not ArtistFile.objects.exists()
    assert stored_files(bare_artist) == set()


def test_a_truncated_mp3_is_rejected(api, bare_artist, tmp_path):
    data = mp3_bytes(tmp_path, 20)
    assert_rejected(post_file(api, bare_artist, "song", "cut.mp3", data[: len(data) * 2 // 3]), "truncated")
    assert not ArtistFile.objects.exists()
    assert stored_files(bare_artist) == set()


def test_an_empty_file_is_rejected(api, bare_artist):
    assert_rejected(post_file(api, bare_artist, "song", "empty.mp3", b""), "empty")
    assert not ArtistFile.objects.exists()


def test_an_oversized_file_is_rejected(api, bare_artist, settings):
    settings.UPLOAD_MAX_IMAGE_BYTES = 1000
    assert_rejected(post_file(api, bare_artist, "face_guide", "big.png", png_bytes((800, 800)) + b"\0" * 2000), "limit")
    assert not ArtistFile.objects.exists()
    assert stored_files(bare_artist) == set()


def test_a_song_shorter_than_five_seconds_is_rejected(api, bare_artist, tmp_path):
    assert_rejected(post_file(api, bare_artist, "song", "blip.mp3", mp3_bytes(tmp_path, 2)), "between 5 s")


def test_an_image_uploaded_as_a_song_is_rejected(api, bare_artist):
    assert_rejected(post_file(api, bare_artist, "song", "song.mp3", png_bytes()), "not")


def test_a_decompression_bomb_is_rejected(api, bare_artist, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100 * 100
    assert_rejected(post_file(api, bare_artist, "image", "huge.png", png_bytes((400, 400))), "pixels")


def test_a_tiny_image_is_rejected(api, bare_artist):
    assert_rejected(post_file(api, bare_artist, "image", "dot.png", png_bytes((10, 10))), "between")


def test_an_unknown_kind_is_rejected(api, bare_artist):
    response = post_file(api, bare_artist, "poster", "p.png", png_bytes())
    assert response.status_code == 400
    assert response.json()["field"] == "kind"


def test_a_json_upload_is_unsupported(api, bare_artist):
    response = api.post(f"/api/artists/{bare_artist.pk}/files", {"kind": "image"}, format="json")
    assert response.status_code == 415
    assert response.json()["status"] == "error"
