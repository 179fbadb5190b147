"""Redis, the job broker, stopped and started again in the middle of a batch: no run is lost.

Redis here keeps nothing on disk, so the restart loses every job still in its list. The
cluster's scheduler runs the reaper (the schedule made by migrate), which enqueues those
runs again.
"""

import pytest
from django_q.conf import Conf

from tasks.models import Run, RunStatus
from tests.reliability.conftest import final_videos, wait_for

# The workers are other processes: the test's data must be committed for them to see it.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_no_run_of_a_batch_is_lost_when_redis_stops_and_starts_again_mid_batch(
    api, artist, redis_server, workers, monkeypatch
):
    # This test process enqueues to the same Redis as its workers, whatever broker the suite runs on.
    monkeypatch.setattr(Conf, "BROKER_CLASS", None)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", redis_server.url)
    # One worker holds three jobs (one running, one in its queue, one in its pusher's hands): the rest wait in Redis.
    workers.start(REDIS_URL=redis_server.url, Q_WORKERS="1", REAPER_QUEUED_SECONDS="5")
    body = {"artist_account_id": str(artist.pk), "batch": 5}
    run_ids = api.post("/api/content/create", body, format="json").json()["runIds"]
    assert len(run_ids) == 5
    runs = Run.objects.filter(pk__in=run_ids)

    waiting = wait_for(
        lambda: runs.filter(status=RunStatus.EXECUTING).exists() and redis_server.queued(workers.queue),
        timeout=30,
        what="a run executing while others still wait in Redis",
    )
    assert len(waiting) >= 2
    redis_server.shutdown()
    # The worker carries on without its broker.
    wait_for(lambda: runs.filter(status=RunStatus.COMPLETED).exists(), timeout=30, what="a run to complete")
    redis_server.start()
    assert redis_server.queued(workers.queue) == [], "the restart should have lost the waiting jobs"

    wait_for(
        lambda: not runs.exclude(status__in=[RunStatus.COMPLETED, RunStatus.FAILED]).exists(),
        timeout=90,
        what="every run of the batch to end",
    )
    assert dict(runs.values_list("pk", "status")) == dict.fromkeys(run_ids, RunStatus.COMPLETED)
    # Each ran once, to one video: the extra jobs the reaper made were no-ops.
    assert set(runs.values_list("attempts", flat=True)) == {1}
    assert {run_id: final_videos(run_id) for run_id in run_ids} == {run_id: [f"{run_id}.mp4"] for run_id in run_ids}
    # The scheduled reaper enqueued the lost jobs again (one of them, at least: the worker might
    # have taken the other between the look at the list and the shutdown).
    logged = workers.logged()
    assert any(f"reaper: run {run_id} was still QUEUED" in logged for run_id in waiting)
