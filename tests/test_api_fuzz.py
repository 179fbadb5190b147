"""schemathesis over /api/schema/: whatever a client sends, the answer is documented and never a 5xx.

Every operation of the schema is fuzzed in-process through the WSGI app with a valid key,
in positive and negative modes. Generated ids are random, so a drawn share of them is
swapped for ids that exist (the owner's artist, runs in every status, templates, a song,
a real image for the upload) and the fuzz reaches the success paths as well as the 404s.
"""

import base64
import random
import shutil
from typing import Any

import pytest
import schemathesis
from django.core.files.storage import default_storage
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis import Case, GenerationMode, Response
from schemathesis.core.failures import Failure
from schemathesis.openapi.checks import RejectedPositiveData

from artists.models import FileKind
from content.models import Template
from recoup.wsgi import application
from tasks.models import Run, RunStatus
from tasks.runner import execute_run

# Runs are queued on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Loaded once at collection: the schema view needs neither a key nor the database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# Each request carries the owner's key; made-up Authorization headers next to it would only
# ever get the (correct) 401 for sending two credentials and starve the rest of the fuzz.
# The missing-key and wrong-key answers are still checked by schemathesis' auth checks.
schema.config.generation.update(with_security_parameters=False, deterministic=True)

# Rules an OpenAPI schema cannot state: a template or song must exist, a cursor must be one
# we handed out, an upload's bytes must decode, a callback URL needs a real host name ("uri"
# admits "http://"). Schema-valid input that breaks them gets the documented 400 naming the
# field, which is the right answer, not a schema mismatch.
FIELDS_CHECKED_BEYOND_THE_SCHEMA = {"template", "songs", "cursor", "file", "callback_url"}
# Text fields refuse NUL characters (PostgreSQL cannot store them) and text that is only
# whitespace: two more documented 400s the schema's string types do not spell out.
TEXT_RULES = {"Null characters are not allowed.", "This field may not be blank."}


@schema.hook
def filter_failure(context: schemathesis.HookContext, failure: Failure, case: Case, response: Response) -> bool:
    """Keeps every failure except a 400 for one of the rules above."""
    if isinstance(failure, RejectedPositiveData) and response.status_code == 400:
        body = response.json()
        messages = set(body.get("errors", {}).get(body.get("field"), []))
        return body.get("field") not in FIELDS_CHECKED_BEYOND_THE_SCHEMA and not messages & TEXT_RULES
    return True


FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        # The key, the artist and the runs are set up once per operation on purpose: examples
        # share them like real clients share an account, and what one example changes (a
        # canceled run, a new artist) is state the next one must answer for too.
        HealthCheck.function_scoped_fixture,
        # Generating multipart uploads and the nested bodies is slow; that is not the API's doing.
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture(autouse=True)
def same_examples_in_any_suite() -> None:
    # Hypothesis is derandomized, but schemathesis' negative mutations also draw from the global
    # random module, which the tests before these leave in any state.
    random.seed(0)


def trigger(api: APIClient, artist) -> str:
    response = api.post("/api/content/create", {"artist_account_id": str(artist.pk)}, format="json")
    assert response.status_code == 202, response.content
    return response.json()["runIds"][0]


@pytest.fixture
def known(artist, assets) -> dict[str, list[Any]]:
    """Ids that exist for the owner, by the names the schema gives them."""
    artist_id = str(artist.pk)
    song = artist.files.get(kind=FileKind.SONG)
    templates = list(Template.objects.values_list("pk", flat=True))
    return {
        "artist_id": [artist_id],
        "artist_account_id": [artist_id],
        "template_id": templates,
        "template": templates,
        "songs": [[song.slug], [str(song.pk)]],
        "file": [assets["face"].read_bytes()],
    }


def failed_run(api: APIClient, artist) -> str:
    """A run that failed for real: its image step finds the face guide's file gone."""
    run_id = trigger(api, artist)
    face = artist.files.get(kind=FileKind.FACE_GUIDE).file
    kept = shutil.copy(default_storage.path(face.name), default_storage.path(face.name) + ".kept")
    default_storage.delete(face.name)
    execute_run(run_id)
    shutil.move(kept, default_storage.path(face.name))
    assert Run.objects.get(pk=run_id).status == RunStatus.FAILED
    return run_id


@pytest.fixture
def actionable_runs(api, artist, known) -> dict[str, list[Any]]:
    """A queued run (cancel answers 200 once) and a failed one (retry answers 200 once)."""
    runs = [trigger(api, artist), failed_run(api, artist)]
    return {**known, "run_id": runs, "runId": runs}


@pytest.fixture
def runs_in_every_status(api, artist, known, settings) -> dict[str, list[Any]]:
    """Queued, failed and completed runs, so the list renders every shape of the run object."""
    settings.VIDEO_SECONDS = 2.0  # a short video renders in a second or two; the shape is the same
    completed = trigger(api, artist)
    execute_run(completed)
    assert Run.objects.get(pk=completed).status == RunStatus.COMPLETED
    runs = [trigger(api, artist), failed_run(api, artist), completed]
    return {**known, "run_id": runs, "runId": runs}


def use_known_ids(case: Case, data: st.DataObject, known: dict[str, list[Any]]) -> None:
    """Swaps some generated ids for existing ones; which ones is drawn, so it shrinks and replays.

    Only in valid requests: an invalid one keeps what makes it invalid.
    """
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    containers = [case.path_parameters, case.query, case.body if isinstance(case.body, dict) else None]
    for container in containers:
        for name, candidates in known.items():
            if container and name in container and data.draw(st.booleans(), label=f"known {name}"):
                container[name] = data.draw(st.sampled_from(candidates), label=name)


def assert_is_an_error_body(body: dict) -> None:
    """SPEC 3: {"status": "error", "error": message}; a validation error names its first field."""
    assert body["status"] == "error", body
    assert isinstance(body["error"], str) and body["error"], body
    if "errors" in body:
        assert body["field"] in body["errors"], body
        assert all(isinstance(message, str) for messages in body["errors"].values() for message in messages)


def assert_answers_as_documented(case: Case, key: str) -> None:
    # schemathesis' checks: no 5xx, a documented status, a body and headers matching the schema
    # for it, invalid input refused, valid input accepted, a missing or wrong key answered 401.
    response = case.call_and_validate(headers={"x-api-key": key})
    if response.status_code >= 400:
        assert_is_an_error_body(response.json())


# Three groups, each with the stored state its operations act on; together every operation.
ARTISTS_AND_CONTENT, RUN_ACTIONS, RUN_LIST = "^/api/(?!tasks/)", "^/api/tasks/runs/", "/api/tasks/runs"


@schema.include(path_regex=ARTISTS_AND_CONTENT).parametrize()
@schema.given(data=st.data())
@FUZZ
def test_artist_and_content_operations_answer_as_documented(case, data, owner_key, known):
    use_known_ids(case, data, known)
    assert_answers_as_documented(case, owner_key)


@schema.include(path_regex=RUN_ACTIONS).parametrize()
@schema.given(data=st.data())
@FUZZ
def test_cancel_and_retry_answer_as_documented(case, data, owner_key, actionable_runs):
    use_known_ids(case, data, actionable_runs)
    assert_answers_as_documented(case, owner_key)


@schema.include(path=RUN_LIST).parametrize()
@schema.given(data=st.data())
@FUZZ
def test_the_run_list_answers_as_documented(case, data, owner_key, runs_in_every_status):
    use_known_ids(case, data, runs_in_every_status)
    assert_answers_as_documented(case, owner_key)


def test_the_three_groups_fuzz_every_operation_exactly_once():
    groups = [
        schema.include(path_regex=ARTISTS_AND_CONTENT),
        schema.include(path_regex=RUN_ACTIONS),
        schema.include(path=RUN_LIST),
    ]
    fuzzed = sorted(result.ok().label for group in groups for result in group.get_all_operations())
    every = sorted(result.ok().label for result in schema.get_all_operations())
    assert fuzzed == every and every


def test_an_undocumented_method_answers_405_with_a_json_error(api, artist):
    ids = {"artist_id": artist.pk, "run_id": "run_" + "a" * 24, "template_id": "artist-caption-bedroom"}
    for path, operations in schema.raw_schema["paths"].items():
        for method in {"get", "post", "put", "patch", "delete"} - set(operations):
            response = getattr(api, method)(path.format(**ids))
            assert response.status_code == 405, (method, path)
            assert_is_an_error_body(response.json())


# Regressions: what the fuzz found, pinned down one by one.


def test_the_schema_offers_the_key_header_or_a_bearer_token_not_both():
    # One requirement naming both schemes told SDKs to send the key twice, which answers 401.
    for operations in schema.raw_schema["paths"].values():
        for operation in operations.values():
            assert operation["security"] == [{"ApiKeyAuth": []}, {"BearerAuth": []}]


def test_either_credential_alone_is_enough(owner_key):
    client = APIClient()
    assert client.get("/api/artists", HTTP_X_API_KEY=owner_key).status_code == 200
    assert client.get("/api/artists", HTTP_AUTHORIZATION=f"Bearer {owner_key}").status_code == 200


def test_the_schema_states_the_input_rules_the_api_enforces():
    components = schema.raw_schema["components"]["schemas"]
    # Unknown body fields get a 400, so the bodies say they take no others.
    assert components["ArtistCreateInputRequest"]["additionalProperties"] is False
    assert components["ContentCreateInputRequest"]["additionalProperties"] is False
    # An empty songs list gets a 400.
    assert components["ContentCreateInputRequest"]["properties"]["songs"]["minItems"] == 1
    create = schema.raw_schema["paths"]["/api/content/create"]["post"]
    [key] = [p for p in create["parameters"] if p["name"] == "Idempotency-Key"]
    assert key["schema"] == {"type": "string", "minLength": 1, "maxLength": 255}


def test_a_run_id_of_whitespace_is_an_unknown_run(api):
    response = api.get("/api/tasks/runs", {"runId": "\v"})
    assert response.status_code == 404
    assert response.json() == {"status": "error", "error": "Not found"}


def forged_cursor(run_id: str) -> str:
    return base64.urlsafe_b64encode(f"2026-01-01T00:00:00+00:00|{run_id}".encode()).decode().rstrip("=")


# PostgreSQL refuses text holding NUL, so these answered 500 there before ids were checked.
@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/content/templates/artist%00caption", 404),
        ("post", "/api/tasks/runs/run_%00/cancel", 404),
        ("post", "/api/tasks/runs/run_%00/retry", 404),
        ("get", "/api/tasks/runs?cursor=" + forged_cursor("run_\x00"), 400),
    ],
)
def test_an_id_holding_nul_is_refused_like_any_unknown_id(api, method, url, status):
    response = getattr(api, method)(url)
    assert response.status_code == status, response.content
    assert response.json()["status"] == "error"


def test_an_idempotency_key_holding_nul_is_a_validation_error(api, artist):
    body = {"artist_account_id": str(artist.pk)}
    response = api.post("/api/content/create", body, format="json", HTTP_IDEMPOTENCY_KEY="a\x00b")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "Idempotency-Key"
    assert not Run.objects.exists()
