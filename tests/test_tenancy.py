"""A second account sees nothing of the first: every endpoint answers as if it did not exist."""

import pytest

# Runs are queued on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def owners_run(api, artist) -> str:
    return api.post("/api/content/create", {"artist_account_id": str(artist.pk)}, format="json").json()["runIds"][0]


def assert_not_found(response):
    assert response.status_code == 404, response.content
    assert response.json() == {"status": "error", "error": "Not found"}


def test_another_account_cannot_see_the_artist(stranger_api, artist):
    assert_not_found(stranger_api.get(f"/api/artists/{artist.pk}"))
    assert stranger_api.get("/api/artists").json()["artists"] == []


def test_another_account_cannot_upload_to_the_artist(stranger_api, artist):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.png", b"\x89PNG....")
    assert_not_found(stranger_api.post(f"/api/artists/{artist.pk}/files", {"kind": "image", "file": upload}))
    assert artist.files.count() == 2


def test_another_account_cannot_trigger_or_validate_the_artist(stranger_api, artist):
    assert_not_found(stranger_api.post("/api/content/create", {"artist_account_id": str(artist.pk)}, format="json"))
    assert_not_found(stranger_api.get(f"/api/content/validate?artist_account_id={artist.pk}"))


def test_another_account_never_sees_the_runs(stranger_api, owners_run, artist):
    assert_not_found(stranger_api.get(f"/api/tasks/runs?runId={owners_run}"))
    assert stranger_api.get("/api/tasks/runs").json()["runs"] == []
    assert stranger_api.get(f"/api/tasks/runs?artist_account_id={artist.pk}").json()["runs"] == []


def test_another_account_cannot_cancel_or_retry_the_runs(stranger_api, api, owners_run):
    assert_not_found(stranger_api.post(f"/api/tasks/runs/{owners_run}/cancel"))
    assert_not_found(stranger_api.post(f"/api/tasks/runs/{owners_run}/retry"))
    assert api.get(f"/api/tasks/runs?runId={owners_run}").json()["runs"][0]["status"] == "QUEUED"


def test_a_shared_artist_still_keeps_each_accounts_runs_apart(api, stranger_api, stranger, artist, owners_run):
    from artists.models import ArtistAccess

    ArtistAccess.objects.create(artist=artist, account=stranger)
    assert stranger_api.get(f"/api/artists/{artist.pk}").status_code == 200
    assert_not_found(stranger_api.get(f"/api/tasks/runs?runId={owners_run}"))
