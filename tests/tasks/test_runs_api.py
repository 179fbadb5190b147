import re

import pytest

from tasks.models import Run, RunStatus

# Runs are queued on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def trigger(api, artist, batch=1, **extra) -> list[str]:
    body = {"artist_account_id": str(artist.pk), "batch": batch, **extra}
    return api.post("/api/content/create", body, format="json").json()["runIds"]


def test_one_run_by_id_has_the_documented_shape(api, artist, owner):
    [run_id] = trigger(api, artist)
    response = api.get(f"/api/tasks/runs?runId={run_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success"
    [run] = body["runs"]
    assert run["id"] == run_id
    assert run["taskIdentifier"] == "create-content"
    assert run["status"] == "QUEUED"
    assert ISO_MS.match(run["createdAt"]) and ISO_MS.match(run["updatedAt"])
    assert run["startedAt"] is None and run["finishedAt"] is None and run["durationMs"] is None
    assert run["attempts"] == 0
    assert run["tags"] == [f"account:{owner.pk}", f"artist:{artist.pk}", "template:artist-caption-bedroom"]
    assert run["payload"]["template"] == "artist-caption-bedroom"
    assert run["progress"] == 0
    assert [s["name"] for s in run["steps"]] == [
        "prepare", "transcribe", "clip", "image", "video", "caption", "render", "store"
    ]
    assert {s["status"] for s in run["steps"]} == {"PENDING"}
    assert run["output"] is None and run["error"] is None
    assert run["costInCents"] == 0


def test_upscale_runs_list_the_upscale_steps(api, artist):
    [run_id] = trigger(api, artist, upscale=True)
    [run] = api.get(f"/api/tasks/runs?runId={run_id}").json()["runs"]
    names = [s["name"] for s in run["steps"]]
    assert names.index("upscale_image") == names.index("image") + 1
    assert names.index("upscale_video") == names.index("video") + 1


def test_an_unknown_run_id_is_404(api):
    response = api.get("/api/tasks/runs?runId=run_aaaaaaaaaaaaaaaaaaaaaaaa")
    assert response.status_code == 404
    assert response.json()["status"] == "error"


def test_the_list_is_newest_first_and_pages_with_a_cursor(api, artist):
    ids = []
    for _ in range(5):
        ids += trigger(api, artist)
    first = api.get("/api/tasks/runs?limit=2").json()
    assert [r["id"] for r in first["runs"]] == ids[::-1][:2]
    second = api.get(f"/api/tasks/runs?limit=2&cursor={first['next_cursor']}").json()
    third = api.get(f"/api/tasks/runs?limit=2&cursor={second['next_cursor']}").json()
    assert [r["id"] for r in second["runs"] + third["runs"]] == ids[::-1][2:]
    assert third["next_cursor"] is None


def test_runs_of_one_batch_page_without_gaps_or_repeats(api, artist):
    ids = trigger(api, artist, batch=7)
    seen, cursor = [], ""
    while True:
        page = api.get(f"/api/tasks/runs?limit=3{cursor}").json()
        seen += [r["id"] for r in page["runs"]]
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert sorted(seen) == sorted(ids)
    assert len(seen) == 7


def test_the_list_filters_by_status_and_artist(api, artist, owner):
    from artists.services import artist_create

    ids = trigger(api, artist, batch=3)
    Run.objects.filter(pk=ids[0]).update(status=RunStatus.FAILED)
    other = artist_create(account=owner, name="Other")
    failed = api.get("/api/tasks/runs?status=FAILED").json()["runs"]
    assert [r["id"] for r in failed] == [ids[0]]
    assert api.get(f"/api/tasks/runs?artist_account_id={other.pk}").json()["runs"] == []
    assert len(api.get(f"/api/tasks/runs?artist_account_id={artist.pk}").json()["runs"]) == 3


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("status=DONE", "status"),
        ("artist_account_id=x", "artist_account_id"),
        ("cursor=%%%", "cursor"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("colour=red", "colour"),
    ],
)
def test_bad_list_queries_are_400_with_the_field(api, query, field):
    response = api.get(f"/api/tasks/runs?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_cancel_stops_a_queued_run_and_cannot_repeat(api, artist):
    [run_id] = trigger(api, artist)
    response = api.post(f"/api/tasks/runs/{run_id}/cancel")
    assert response.status_code == 200
    assert response.json()["run"]["status"] == "CANCELED"
    again = api.post(f"/api/tasks/runs/{run_id}/cancel")
    assert again.status_code == 409


def test_only_failed_runs_can_be_retried(api, artist):
    [run_id] = trigger(api, artist)
    assert api.post(f"/api/tasks/runs/{run_id}/retry").status_code == 409


def test_a_polled_run_reads_exactly_as_in_the_list(api, artist):
    """The poll reads a run and its steps in one query of its own; the list goes through the ORM."""
    from datetime import UTC, datetime, timedelta

    from tasks.models import RunStep, StepStatus

    done, failed, fresh = trigger(api, artist, batch=3)
    started = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    Run.objects.filter(pk=done).update(
        status=RunStatus.COMPLETED,
        started_at=started,
        finished_at=started + timedelta(seconds=95, microseconds=4321),
        attempts=1,
        stage="store",
        progress=100,
        cost_cents=42,
        output={"videoKey": f"runs/{done}/v.mp4", "imageKey": f"runs/{done}/i.png", "captionText": "é ✓", "bytes": 7},
    )
    Run.objects.filter(pk=failed).update(
        status=RunStatus.FAILED, error={"message": "boom", "name": "ProviderError", "step": "image"}
    )
    RunStep.objects.create(run_id=done, position=0, name="prepare", status=StepStatus.COMPLETED, started_at=started)
    RunStep.objects.create(run_id=done, position=1, name="transcribe", status=StepStatus.EXECUTING, started_at=started)
    error = {"message": "boom", "name": "E", "step": "image"}
    RunStep.objects.create(run_id=failed, position=3, name="image", status=StepStatus.FAILED, error=error)
    listed = {run["id"]: run for run in api.get("/api/tasks/runs").json()["runs"]}
    for run_id in (done, failed, fresh):
        [polled] = api.get(f"/api/tasks/runs?runId={run_id}").json()["runs"]
        assert polled == listed[run_id]
    [polled] = api.get(f"/api/tasks/runs?runId={done}").json()["runs"]
    assert polled["durationMs"] == 95004
    assert polled["output"]["videoUrl"].endswith(f"runs/{done}/v.mp4")
    assert [s["status"] for s in polled["steps"][:3]] == ["COMPLETED", "EXECUTING", "PENDING"]


def test_a_polled_run_of_another_account_is_404(api, stranger_api, artist):
    [run_id] = trigger(api, artist)
    assert stranger_api.get(f"/api/tasks/runs?runId={run_id}").status_code == 404


@pytest.mark.parametrize("run_id", ["nope", "run_AAAAAAAAAAAAAAAAAAAAAAAA", "run_aaaaaaaaaaaaaaaaaaaaaaaa "])
def test_a_run_id_of_another_form_is_404(api, run_id):
    response = api.get("/api/tasks/runs", {"runId": run_id})
    assert response.status_code == 404


def test_a_run_id_with_other_parameters_is_still_checked(api, artist):
    [run_id] = trigger(api, artist)
    response = api.get(f"/api/tasks/runs?runId={run_id}&colour=red")
    assert response.status_code == 400
    assert response.json()["field"] == "colour"
    assert api.get(f"/api/tasks/runs?runId={run_id}&limit=5").json()["runs"][0]["id"] == run_id


@pytest.mark.parametrize("accept, status", [("*/*", 200), ("application/json", 200), ("text/html", 406)])
def test_a_poll_answers_json_to_clients_that_take_it_and_406_to_others(api, artist, accept, status):
    [run_id] = trigger(api, artist)
    response = api.get(f"/api/tasks/runs?runId={run_id}", HTTP_ACCEPT=accept)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
