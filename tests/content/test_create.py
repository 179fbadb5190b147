import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.models import Run, RunStatus

# Runs are queued on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

URL = "/api/content/create"


def create(api, **body):
    return api.post(URL, body, format="json")


def assert_field_error(response, field: str, status: int = 400):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == "error"
    assert body["field"] == field
    assert field in body["errors"]
    assert body["error"]
    return body


def test_it_triggers_one_run_with_the_documented_defaults(api, artist):
    response = create(api, artist_account_id=str(artist.pk))
    assert response.status_code == 202
    body = response.json()
    assert body == {
        "status": "triggered",
        "runIds": body["runIds"],
        "artist_account_id": str(artist.pk),
        "template": "artist-caption-bedroom",
        "lipsync": False,
        "caption_length": "short",
        "upscale": False,
        "batch": 1,
    }
    assert len(body["runIds"]) == 1
    run = Run.objects.get(pk=body["runIds"][0])
    assert run.status == RunStatus.QUEUED
    assert run.payload == {
        "artist_account_id": str(artist.pk),
        "template": "artist-caption-bedroom",
        "lipsync": False,
        "caption_length": "short",
        "upscale": False,
        "songs": None,
    }


def test_run_ids_are_run_and_24_lowercase_letters_and_digits(api, artist):
    ids = create(api, artist_account_id=str(artist.pk), batch=5).json()["runIds"]
    assert len(set(ids)) == 5
    for run_id in ids:
        assert run_id.startswith("run_") and len(run_id) == 28
        assert all(c.islower() or c.isdigit() for c in run_id[4:])


def test_lipsync_defaults_to_the_templates_default(api, artist):
    body = create(api, artist_account_id=str(artist.pk), template="artist-caption-stage").json()
    assert body["lipsync"] is True
    assert Run.objects.get(pk=body["runIds"][0]).payload["lipsync"] is True


def test_an_explicit_lipsync_overrides_the_template(api, artist):
    body = create(api, artist_account_id=str(artist.pk), template="artist-caption-stage", lipsync=False).json()
    assert body["lipsync"] is False


def test_a_batch_of_thirty_queues_thirty_runs_in_one_transaction(api, artist):
    with CaptureQueriesContext(connection) as queries:
        body = create(api, artist_account_id=str(artist.pk), batch=30).json()
    assert len(body["runIds"]) == 30
    assert Run.objects.filter(pk__in=body["runIds"]).count() == 30
    inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "tasks_run"')]
    assert len(inserts) == 1


@pytest.mark.parametrize("batch", [0, 31, 2.5, "3", True, None, -1, 10**30])
def test_a_bad_batch_is_rejected_and_nothing_is_queued(api, artist, batch):
    assert_field_error(create(api, artist_account_id=str(artist.pk), batch=batch), "batch")
    assert not Run.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("template", "no-such-template"),
        ("template", 7),
        ("caption_length", "huge"),
        ("caption_length", None),
        ("lipsync", "yes"),
        ("upscale", 1),
        ("songs", "neon-hours"),
        ("songs", []),
        ("callback_url", "ftp://example.com/hook"),
        ("callback_url", "not a url"),
    ],
)
def test_bad_option_values_are_rejected_with_the_field_named(api, artist, field, value):
    assert_field_error(create(api, artist_account_id=str(artist.pk), **{field: value}), field)
    assert not Run.objects.exists()


@pytest.mark.parametrize("value", ["not-a-uuid", 12, None, ""])
def test_a_bad_artist_id_is_rejected(api, value):
    assert_field_error(create(api, artist_account_id=value), "artist_account_id")


def test_a_missing_artist_id_is_rejected(api):
    assert_field_error(create(api), "artist_account_id")


def test_unknown_fields_are_rejected(api, artist):
    assert_field_error(create(api, artist_account_id=str(artist.pk), bacth=3), "bacth")


def test_malformed_json_is_a_400_json_error(api):
    response = api.post(URL, data='{"artist_account_id": ', content_type="application/json")
    body = assert_field_error(response, "body")
    assert "JSON" in body["error"]


def test_a_json_body_that_is_not_an_object_is_rejected(api):
    response = api.post(URL, data=json.dumps([1, 2]), content_type="application/json")
    assert_field_error(response, "non_field_errors")


def test_a_wrong_content_type_is_a_415_json_error_naming_the_body(api, artist):
    response = api.post(URL, data=f"artist_account_id={artist.pk}", content_type="text/plain")
    body = assert_field_error(response, "body", status=415)
    assert "text/plain" in body["error"]
    assert not Run.objects.exists()


def test_get_is_not_allowed(api):
    response = api.get(URL)
    assert response.status_code == 405
    assert response.json()["status"] == "error"


def test_an_artist_without_files_is_not_ready(api, bare_artist):
    response = create(api, artist_account_id=str(bare_artist.pk))
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "error"
    assert body["missing"] == ["face_guide", "songs"]
    assert not Run.objects.exists()


def test_a_template_without_the_face_guide_only_needs_songs(api, bare_artist, assets):
    from artists.models import FileKind
    from artists.services import artist_file_add
    from tests.conftest import upload

    artist_file_add(artist=bare_artist, kind=FileKind.SONG, upload=upload(assets["song"]))
    assert create(api, artist_account_id=str(bare_artist.pk)).json()["missing"] == ["face_guide"]
    response = create(api, artist_account_id=str(bare_artist.pk), template="album-record-store")
    assert response.status_code == 202


def test_songs_may_be_named_by_slug_or_id(api, artist):
    song = artist.files.get(kind="song")
    body = create(api, artist_account_id=str(artist.pk), songs=["neon-hours", str(song.pk)]).json()
    assert Run.objects.get(pk=body["runIds"][0]).payload["songs"] == [str(song.pk)]


def test_an_unknown_song_is_rejected(api, artist):
    body = assert_field_error(create(api, artist_account_id=str(artist.pk), songs=["b-side"]), "songs")
    assert "b-side" in body["error"]


def test_a_callback_url_is_stored_on_each_run(api, artist):
    body = create(api, artist_account_id=str(artist.pk), batch=2, callback_url="https://example.com/hook").json()
    assert {run.callback_url for run in Run.objects.filter(pk__in=body["runIds"])} == {"https://example.com/hook"}


def test_repeating_an_idempotency_key_replays_the_first_answer_and_triggers_nothing(api, artist):
    body = {"artist_account_id": str(artist.pk), "batch": 2}
    first = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert Run.objects.count() == 2


def test_an_idempotency_key_reused_with_another_body_is_a_conflict(api, artist):
    api.post(URL, {"artist_account_id": str(artist.pk)}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = api.post(URL, {"artist_account_id": str(artist.pk), "batch": 3}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 409
    assert response.json()["status"] == "error"
    assert Run.objects.count() == 1


def test_an_idempotency_key_belongs_to_one_account(api, stranger_api, artist, stranger):
    from artists.models import ArtistAccess

    ArtistAccess.objects.create(artist=artist, account=stranger)
    body = {"artist_account_id": str(artist.pk)}
    api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = stranger_api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 202
    assert Run.objects.count() == 2


def test_a_failed_request_does_not_burn_its_idempotency_key(api, bare_artist):
    body = {"artist_account_id": str(bare_artist.pk)}
    assert api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 400
    assert api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 400
