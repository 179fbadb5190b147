"""Two accounts, every endpoint, every kind of id: nothing of one is visible to or changeable by the other.

The owner has an artist (face guide and song), queued runs (one made with an Idempotency-Key)
and, when a row needs it, a failed run. The stranger has an artist of the same name and a run
of its own. Each row of the matrix is one request by the stranger naming the owner's things;
after every row the owner's world is exactly as it was.
"""

import shutil
import uuid
from functools import cached_property
from pathlib import Path
from string import Formatter

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from rest_framework.response import Response
from rest_framework.test import APIClient

from artists.models import Artist, ArtistAccess, ArtistFile, FileKind
from artists.services import artist_create, artist_file_add
from content.models import IdempotencyRecord
from recoup.models import Account
from tasks.models import Run, RunStatus, new_run_id
from tasks.runner import execute_run
from tests.conftest import upload

# Runs are queued on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OWNERS_IDEMPOTENCY_KEY = "owner-request-1"


class Tenants:
    """The owner's things by kind of id, and the stranger's own, made on first use."""

    def __init__(
        self,
        api: APIClient,
        stranger_api: APIClient,
        owner: Account,
        stranger: Account,
        artist: Artist,
        assets: dict[str, Path],
    ):
        self.api, self.stranger_api, self.owner, self.owner_artist = api, stranger_api, owner, artist
        self.assets = assets
        # The stranger's things come first, so the owner's cursor points past them.
        own = artist_create(account=stranger, name=artist.name)
        artist_file_add(artist=own, kind=FileKind.SONG, upload=upload(assets["song"]), title="Neon Hours")
        self.own_artist = str(own.pk)
        self.own_run = self._trigger(stranger_api, own, template="album-record-store")
        self.artist = str(artist.pk)
        self.song = str(artist.files.get(kind=FileKind.SONG).pk)
        self.queued_run = self._trigger(api, artist, HTTP_IDEMPOTENCY_KEY=OWNERS_IDEMPOTENCY_KEY)
        self._trigger(api, artist)
        self.cursor = api.get("/api/tasks/runs?limit=1").json()["next_cursor"]

    @staticmethod
    def _trigger(client: APIClient, artist: Artist, template: str = "artist-caption-bedroom", **headers) -> str:
        body = {"artist_account_id": str(artist.pk), "template": template}
        response = client.post("/api/content/create", body, format="json", **headers)
        assert response.status_code == 202, response.content
        return response.json()["runIds"][0]

    @cached_property
    def failed_run(self) -> str:
        """A run that failed for real (its image step finds the face guide's file gone)."""
        run_id = self._trigger(self.api, self.owner_artist)
        face = default_storage.path(self.owner_artist.files.get(kind=FileKind.FACE_GUIDE).file.name)
        kept = shutil.copy(face, face + ".kept")
        default_storage.delete(face)
        execute_run(run_id)
        shutil.move(kept, face)
        assert Run.objects.get(pk=run_id).status == RunStatus.FAILED
        return run_id

    def ids(self, names: set[str]) -> dict[str, str]:
        return {name: getattr(self, name) for name in names}

    def owners_state(self) -> dict:
        """Everything of the owner's a request could reveal or change."""
        artist = self.owner_artist
        return {
            "artists": sorted(Artist.objects.filter(access__account=self.owner).values_list("id", "name", "slug")),
            "access": sorted(ArtistAccess.objects.filter(artist=artist).values_list("account_id", flat=True)),
            "files": sorted(ArtistFile.objects.filter(artist=artist).values_list("id", "kind", "checksum", "file")),
            "stored": stored_files(f"artists/{artist.pk}"),
            "runs": sorted(
                Run.objects.filter(Q(account=self.owner) | Q(artist=artist)).values_list(
                    "id", "account_id", "status", "attempts", "updated_at", "finished_at", "error"
                )
            ),
            "idempotency": sorted(IdempotencyRecord.objects.filter(account=self.owner).values_list("key", "response")),
        }


def stored_files(folder: str) -> list[str]:
    if not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    nested = [name for sub in folders for name in stored_files(f"{folder}/{sub}")]
    return sorted([f"{folder}/{name}" for name in files] + nested)


@pytest.fixture
def tenants(api, stranger_api, owner, stranger, artist, assets) -> Tenants:
    return Tenants(api, stranger_api, owner, stranger, artist, assets)


# What a stranger's request may name in place of the owner's ids: ids that never existed.
def never_existing(name: str) -> str:
    return new_run_id() if name.endswith("_run") else str(uuid.uuid4())


# A row's body: JSON with "{name}" placeholders, or "image upload" for a multipart image.
Body = dict[str, str | list[str]] | str | None


def send(
    client: APIClient, tenants: Tenants, method: str, url: str, body: Body, headers: dict[str, str], ids: dict[str, str]
) -> Response:
    url = url.format(**ids)
    if body == "image upload":
        image = SimpleUploadedFile("face.png", tenants.assets["face"].read_bytes())
        return client.post(url, {"kind": "image", "file": image})
    if body is not None:
        body = {
            key: [v.format(**ids) for v in value] if isinstance(value, list) else value.format(**ids)
            for key, value in body.items()
        }
    return getattr(client, method)(url, body, format="json", **headers)


def placeholders(url: str, body: Body) -> set[str]:
    """The names of the ids a row's URL and JSON body stand for ("{artist}" and so on)."""
    texts = [url]
    if isinstance(body, dict):
        texts += [v for value in body.values() for v in (value if isinstance(value, list) else [value])]
    return {name for text in texts for _, name, _, _ in Formatter().parse(text) if name}


# (method, URL, body, headers): each names one of the owner's ids. The stranger must get the very
# answer a never-existing id of that kind gets (mostly 404; an unknown song is the 400 it always is).
HIDDEN = [
    pytest.param("get", "/api/artists/{artist}", None, {}, id="artist detail: artist id"),
    pytest.param("post", "/api/artists/{artist}/files", "image upload", {}, id="file upload: artist id"),
    pytest.param("get", "/api/content/validate?artist_account_id={artist}", None, {}, id="validate: artist id"),
    pytest.param("post", "/api/content/create", {"artist_account_id": "{artist}"}, {}, id="create: artist id"),
    pytest.param(
        "post",
        "/api/content/create",
        {"artist_account_id": "{artist}"},
        {"HTTP_IDEMPOTENCY_KEY": OWNERS_IDEMPOTENCY_KEY},
        id="create: the owner's Idempotency-Key",
    ),
    pytest.param(
        "post",
        "/api/content/create",
        {"artist_account_id": "{own_artist}", "template": "album-record-store", "songs": ["{song}"]},
        {},
        id="create on one's own artist: song (file) id",
    ),
    pytest.param("get", "/api/tasks/runs?runId={queued_run}", None, {}, id="runs by id: run id"),
    pytest.param("get", "/api/tasks/runs?artist_account_id={artist}", None, {}, id="runs by artist: artist id"),
    pytest.param("post", "/api/tasks/runs/{queued_run}/cancel", None, {}, id="cancel: run id"),
    pytest.param("post", "/api/tasks/runs/{failed_run}/retry", None, {}, id="retry: run id"),
]


@pytest.mark.parametrize(("method", "url", "body", "headers"), HIDDEN)
def test_the_owners_ids_answer_as_if_they_never_existed(tenants, method, url, body, headers):
    names = placeholders(url, body)
    real = tenants.ids(names)
    fake = {name: real[name] if name == "own_artist" else never_existing(name) for name in names}
    before = tenants.owners_state()

    answer = send(tenants.stranger_api, tenants, method, url, body, headers, real)
    unknown = send(tenants.stranger_api, tenants, method, url, body, headers, fake)

    assert answer.status_code in (200, 400, 404), answer.content
    # Error messages may echo the id the client sent; everything else must be identical.
    echoed = answer.content.decode()
    for name in names:
        echoed = echoed.replace(real[name], f"<{name}>")
    expected = unknown.content.decode()
    for name in names:
        expected = expected.replace(fake[name], f"<{name}>")
    assert (answer.status_code, echoed) == (unknown.status_code, expected)
    assert tenants.owners_state() == before


# Lists: the stranger sees exactly its own things, whichever filter or cursor it passes.
LISTS = [
    pytest.param("/api/artists", "artists", {"own_artist"}, id="artists"),
    pytest.param("/api/tasks/runs", "runs", {"own_run"}, id="runs"),
    pytest.param("/api/tasks/runs?status=QUEUED", "runs", {"own_run"}, id="runs by status"),
    pytest.param("/api/tasks/runs?artist_account_id={own_artist}", "runs", {"own_run"}, id="runs by own artist"),
    pytest.param("/api/tasks/runs?cursor={cursor}", "runs", {"own_run"}, id="runs after the owner's cursor"),
]


@pytest.mark.parametrize(("url", "key", "expected"), LISTS)
def test_lists_hold_only_the_callers_own_things(tenants, url, key, expected):
    before = tenants.owners_state()
    response = tenants.stranger_api.get(url.format(own_artist=tenants.own_artist, cursor=tenants.cursor))
    assert response.status_code == 200, response.content
    assert {item["id"] for item in response.json()[key]} == {getattr(tenants, name) for name in expected}
    assert tenants.owners_state() == before


# The template catalog and the price list belong to no account: both see the same answer.
SHARED = [
    pytest.param("/api/content/templates", id="templates"),
    pytest.param("/api/content/templates/artist-caption-bedroom", id="template detail: template id"),
    pytest.param("/api/content/estimate?batch=3&upscale=true", id="estimate"),
]


@pytest.mark.parametrize("url", SHARED)
def test_what_belongs_to_no_account_is_the_same_for_both(tenants, url):
    owners, strangers = tenants.api.get(url), tenants.stranger_api.get(url)
    assert owners.status_code == strangers.status_code == 200
    assert owners.json() == strangers.json()


def test_an_artist_of_the_same_name_is_the_callers_own(tenants):
    before = tenants.owners_state()
    response = tenants.stranger_api.post("/api/artists", {"name": tenants.owner_artist.name}, format="json")
    assert response.status_code == 201
    assert response.json()["artist"]["id"] not in {tenants.artist, tenants.own_artist}
    assert tenants.owners_state() == before


def test_the_in_flight_cap_counts_only_the_callers_runs(tenants, settings):
    settings.MAX_RUNS_IN_FLIGHT = 2  # the owner has two runs queued, the stranger one
    body = {"artist_account_id": tenants.artist}
    assert tenants.api.post("/api/content/create", body, format="json").status_code == 429
    own = {"artist_account_id": tenants.own_artist, "template": "album-record-store"}
    assert tenants.stranger_api.post("/api/content/create", own, format="json").status_code == 202


def test_a_shared_artist_still_keeps_each_accounts_runs_apart(tenants, stranger):
    ArtistAccess.objects.create(artist=tenants.owner_artist, account=stranger)
    before = tenants.owners_state()
    assert tenants.stranger_api.get(f"/api/artists/{tenants.artist}").status_code == 200
    runs = tenants.stranger_api.get(f"/api/tasks/runs?artist_account_id={tenants.artist}").json()["runs"]
    assert runs == []
    assert tenants.stranger_api.get(f"/api/tasks/runs?runId={tenants.queued_run}").status_code == 404
    assert tenants.stranger_api.post(f"/api/tasks/runs/{tenants.queued_run}/cancel").status_code == 404
    assert tenants.owners_state() == before
