import pytest

pytestmark = pytest.mark.django_db


def test_a_new_artist_is_created_for_the_keys_account(api):
    response = api.post("/api/artists", {"name": "  Juno Ray "}, format="json")
    assert response.status_code == 201
    artist = response.json()["artist"]
    assert artist["name"] == "Juno Ray"
    assert artist["slug"] == "juno-ray"
    assert artist["id"] == artist["account_id"]
    assert artist["ready"] is False
    assert artist["missing"] == ["face_guide", "songs"]
    assert artist["files"] == []
    listed = api.get("/api/artists").json()["artists"]
    assert [a["id"] for a in listed] == [artist["id"]]


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 5}, {"name": "x" * 201}, {"name": "a", "extra": 1}])
def test_a_bad_artist_body_is_rejected(api, body):
    response = api.post("/api/artists", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] in {"name", "extra"}


def test_the_list_shows_readiness_and_the_artists_picture(api, artist):
    [listed] = api.get("/api/artists").json()["artists"]
    assert listed == {
        "id": str(artist.pk),
        "account_id": str(artist.pk),
        "name": "Nova Vale",
        "slug": "nova-vale",
        "image": listed["image"],
        "ready": True,
        "missing": [],
    }
    assert listed["image"].startswith("http://testserver/media/artists/")


def test_the_detail_lists_the_artists_files(api, artist):
    body = api.get(f"/api/artists/{artist.pk}").json()
    assert body["status"] == "success"
    kinds = sorted(f["kind"] for f in body["artist"]["files"])
    assert kinds == ["face_guide", "song"]
    song = next(f for f in body["artist"]["files"] if f["kind"] == "song")
    assert song["title"] == "Neon Hours"
    assert song["slug"] == "neon-hours"
    assert 29.5 < song["duration_seconds"] < 30.5
    assert song["url"].startswith("http://testserver/media/")


def test_an_unknown_artist_is_404(api):
    response = api.get("/api/artists/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json() == {"status": "error", "error": "Not found"}


def test_a_malformed_artist_id_is_404_json(api):
    response = api.get("/api/artists/not-a-uuid")
    assert response.status_code == 404
    assert response.json()["status"] == "error"


def test_validate_says_what_the_create_endpoint_checks(api, bare_artist, artist):
    body = api.get(f"/api/content/validate?artist_account_id={artist.pk}").json()
    assert body == {"status": "success", "artist_account_id": str(artist.pk), "ready": True, "missing": []}


def test_validate_lists_missing_files(api, bare_artist):
    body = api.get(f"/api/content/validate?artist_account_id={bare_artist.pk}").json()
    assert body["ready"] is False
    assert body["missing"] == ["face_guide", "songs"]


def test_validate_needs_a_valid_artist_id(api):
    response = api.get("/api/content/validate?artist_account_id=nope")
    assert response.status_code == 400
    assert response.json()["field"] == "artist_account_id"
