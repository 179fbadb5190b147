"""The runner as the django-q2 cluster calls it: tasks.runner.execute_run(run_id)."""

import shutil

import pytest
from django.core.files.storage import default_storage

from tasks.models import Run, RunStatus, RunStep
from tasks.runner import execute_run

# Runs are queued on commit, so these tests commit for real.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def trigger(api, artist, **options) -> str:
    body = {"artist_account_id": str(artist.pk), **options}
    return api.post("/api/content/create", body, format="json").json()["runIds"][0]


def finished_times(run_id: str) -> dict[str, object]:
    return dict(RunStep.objects.filter(run_id=run_id).values_list("name", "finished_at"))


def test_the_same_job_delivered_twice_makes_one_video(api, artist):
    run_id = trigger(api, artist)
    execute_run(run_id)
    run = Run.objects.get(pk=run_id)
    assert run.status == RunStatus.COMPLETED
    before = (run.finished_at, run.output, finished_times(run_id))
    execute_run(run_id)
    run.refresh_from_db()
    assert (run.finished_at, run.output, finished_times(run_id)) == before
    assert run.attempts == 1
    videos = [name for name in default_storage.listdir(f"runs/{run_id}")[1] if name.endswith(".mp4")]
    assert len([v for v in videos if v.startswith(run_id)]) == 1


def test_a_failed_middle_step_is_retried_without_redoing_the_steps_before_it(api, artist, tmp_path):
    run_id = trigger(api, artist)
    face = artist.files.get(kind="face_guide").file
    kept = tmp_path / "face.png"
    shutil.move(default_storage.path(face.name), kept)

    execute_run(run_id)

    run = Run.objects.get(pk=run_id)
    assert run.status == RunStatus.FAILED
    assert run.error["step"] == "image"
    assert run.error["message"]
    assert run.output is None
    done_before = finished_times(run_id)
    assert all(done_before[name] for name in ("prepare", "transcribe", "clip"))

    shutil.move(kept, default_storage.path(face.name))
    response = api.post(f"/api/tasks/runs/{run_id}/retry")
    assert response.status_code == 200
    assert response.json()["run"]["status"] == "QUEUED"
    execute_run(run_id)

    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED, run.error
    assert run.error is None
    assert run.attempts == 2
    done_after = finished_times(run_id)
    for name in ("prepare", "transcribe", "clip"):
        assert done_after[name] == done_before[name], f"{name} ran again"
    assert default_storage.exists(run.output["videoKey"])


def test_a_canceled_run_is_never_executed(api, artist):
    run_id = trigger(api, artist)
    assert api.post(f"/api/tasks/runs/{run_id}/cancel").status_code == 200
    execute_run(run_id)
    run = Run.objects.get(pk=run_id)
    assert run.status == RunStatus.CANCELED
    assert run.started_at is None
    assert not RunStep.objects.filter(run=run).exists()
