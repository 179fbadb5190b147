"""A qcluster worker lost in the middle of a run (SIGKILL, or frozen): the reaper hands the run to a new worker."""

import os
import signal
import time

import pytest

from tasks.models import Run, RunStatus, RunStep, StepStatus
from tasks.reaper import reap_stale_runs
from tests.reliability.conftest import WORKER_ENV, final_videos, wait_for

# The workers are other processes: the test's data must be committed for them to see it.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

FINAL = {RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELED}


@pytest.fixture(autouse=True)
def reaper_settings(settings) -> None:
    # The reaper runs in this test process, with the workers' idea of a stale heartbeat.
    settings.REAPER_STALE_SECONDS = float(WORKER_ENV["REAPER_STALE_SECONDS"])


def completed_steps(run_id: str) -> dict[str, object]:
    return dict(RunStep.objects.filter(run_id=run_id, status=StepStatus.COMPLETED).values_list("name", "finished_at"))


def test_a_live_worker_keeps_its_run_past_the_stale_limit_by_its_heartbeat(api, artist, workers):
    workers.start(VIDEO_SECONDS="8")  # a run of several seconds, longer than the stale limit
    run_id = api.post("/api/content/create", {"artist_account_id": str(artist.pk)}, format="json").json()["runIds"][0]
    run = Run.objects.filter(pk=run_id)
    claimed = wait_for(
        lambda: run.filter(status=RunStatus.EXECUTING).values_list("heartbeat_at", flat=True).first(),
        timeout=30,
        what="a worker to claim the run",
    )

    time.sleep(float(WORKER_ENV["REAPER_STALE_SECONDS"]) + 1)
    assert run.get().status == RunStatus.EXECUTING
    assert reap_stale_runs()["requeued"] == []
    assert run.get().heartbeat_at > claimed

    wait_for(lambda: run.get().status in FINAL, timeout=60, what="the run to end")
    assert (run.get().status, run.get().attempts) == (RunStatus.COMPLETED, 1)


def test_a_run_whose_worker_is_killed_mid_video_completes_on_a_new_worker_with_one_video(api, artist, workers):
    first = workers.start()
    run_id = api.post("/api/content/create", {"artist_account_id": str(artist.pk)}, format="json").json()["runIds"][0]
    run = Run.objects.filter(pk=run_id)
    wait_for(lambda: run.filter(status=RunStatus.EXECUTING, stage="video").exists(), timeout=45, what="the video step")
    workers.kill(first)
    assert run.get().status == RunStatus.EXECUTING
    done_before = completed_steps(run_id)
    assert {"prepare", "transcribe", "clip", "image"} <= done_before.keys()

    wait_for(lambda: run_id in reap_stale_runs()["requeued"], timeout=15, what="the reaper to requeue the run")
    assert run.get().status == RunStatus.QUEUED
    workers.start()
    wait_for(lambda: run.get().status in FINAL, timeout=60, what="the run to end")

    finished = run.get()
    assert finished.status == RunStatus.COMPLETED, finished.error
    assert finished.attempts == 2
    assert final_videos(run_id) == [f"{run_id}.mp4"]
    # Resumed from its last completed step: nothing before the video was made again.
    done_after = completed_steps(run_id)
    assert {name: done_after[name] for name in done_before} == done_before
    assert set(RunStep.objects.filter(run_id=run_id).values_list("status", flat=True)) == {StepStatus.COMPLETED}


def test_a_frozen_worker_that_wakes_after_its_run_was_handed_on_changes_nothing(api, artist, workers):
    workers.start(Q_WORKERS="2")
    run_id = api.post("/api/content/create", {"artist_account_id": str(artist.pk)}, format="json").json()["runIds"][0]
    run = Run.objects.filter(pk=run_id)
    wait_for(lambda: run.filter(status=RunStatus.EXECUTING, stage="video").exists(), timeout=45, what="the video step")
    frozen = workers.worker_pid(run_id)
    # SIGSTOP, as a paused VM or a process stalled on swap: alive but silent. Right after a beat,
    # so that it is not frozen in the middle of a write, holding a lock everyone would wait for.
    beat = run.get().heartbeat_at
    wait_for(lambda: run.get().heartbeat_at != beat, timeout=10, what="a heartbeat", every=0.01)
    os.kill(frozen, signal.SIGSTOP)
    try:
        # The cluster's other worker takes the run over.
        wait_for(lambda: run_id in reap_stale_runs()["requeued"], timeout=15, what="the reaper to requeue the run")
        wait_for(lambda: run.get().status in FINAL, timeout=60, what="the run to end")
        finished = run.filter(status=RunStatus.COMPLETED).values().get()
        steps = list(RunStep.objects.filter(run_id=run_id).values())
    finally:
        os.kill(frozen, signal.SIGCONT)

    # The monitor reports the job done twice: the frozen worker woke, found the run handed on, and stopped.
    ended = f"'tasks.runner.execute_run' ({run_id})"
    wait_for(lambda: workers.logged().count(ended) == 2, timeout=30, what="the frozen worker to finish its job")
    assert workers.logged().count(f"Processed {ended}") == 2
    assert run.values().get() == finished
    assert list(RunStep.objects.filter(run_id=run_id).values()) == steps
    assert finished["attempts"] == 2
    assert final_videos(run_id) == [f"{run_id}.mp4"]
