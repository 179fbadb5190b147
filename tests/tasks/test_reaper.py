"""The stale-run reaper (tasks.reaper.reap_stale_runs), on runs left as dead workers and lost jobs leave them.

Worker processes are killed for real in tests/reliability; here the rows are set up directly.
"""

import ast
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule

from content.models import Template
from content.pipeline import steps_for
from tasks.models import Run, RunStatus, RunStep, StepStatus
from tasks.reaper import reap_stale_runs
from tasks.services import RUN_JOB
from tasks.webhooks import DELIVER_JOB

pytestmark = pytest.mark.django_db

PAYLOAD = {"lipsync": False, "upscale": False, "caption_length": "short", "songs": None}


@pytest.fixture(autouse=True)
def orm_broker(monkeypatch) -> None:
    """Jobs go to a real ORM broker in the test database, whichever broker the suite runs on, to be read back."""
    monkeypatch.setattr(Conf, "ORM", "default")


def queued_jobs() -> list[str]:
    """The run ids of the jobs waiting in the broker, oldest first."""
    return [q.task["args"][0] for q in OrmQ.objects.order_by("id") if q.task["func"] == RUN_JOB]


def make_run(
    owner,
    artist,
    *,
    status: str,
    stage: str = "",
    attempts: int = 1,
    heartbeat_ago: float | None = None,
    queued_ago: float = 0.0,
    done: tuple[str, ...] = (),
) -> Run:
    """A run as the runner leaves it: `done` steps COMPLETED with outputs, `stage` EXECUTING, the rest PENDING."""
    now = timezone.now()
    run = Run.objects.create(
        account=owner,
        artist=artist,
        template=Template.objects.get(pk="artist-caption-bedroom"),
        payload={**PAYLOAD, "template": "artist-caption-bedroom"},
        seed=7,
        status=status,
        stage=stage,
        attempts=attempts,
        started_at=now if status == RunStatus.EXECUTING else None,
        heartbeat_at=now - timedelta(seconds=heartbeat_ago) if heartbeat_ago is not None else None,
        queued_at=now - timedelta(seconds=queued_ago),
    )
    for position, step in enumerate(steps_for(run.payload)):
        if step.name in done:
            fields = {
                "status": StepStatus.COMPLETED,
                "started_at": now,
                "finished_at": now,
                "output": {"made": step.name},
            }
        elif step.name == stage:
            fields = {"status": StepStatus.EXECUTING, "started_at": now}
        else:
            fields = {}
        RunStep.objects.create(run=run, position=position, name=step.name, **fields)
    return run


def steps(run: Run) -> dict[str, tuple[str, dict | None]]:
    return {row.name: (row.status, row.output) for row in run.steps.all()}


def reap(django_capture_on_commit_callbacks) -> dict[str, list[str]]:
    with django_capture_on_commit_callbacks(execute=True):
        return reap_stale_runs()


DONE = ("prepare", "transcribe", "clip", "image")


def test_a_run_whose_worker_stopped_beating_is_queued_again_from_its_last_completed_step(
    owner, bare_artist, django_capture_on_commit_callbacks
):
    run = make_run(owner, bare_artist, status=RunStatus.EXECUTING, stage="video", heartbeat_ago=120, done=DONE)
    before = steps(run)

    assert reap(django_capture_on_commit_callbacks)["requeued"] == [run.pk]

    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    assert run.attempts == 1  # counted again when a worker claims it
    assert timezone.now() - run.queued_at < timedelta(seconds=5)
    after = steps(run)
    assert after["video"] == (StepStatus.PENDING, None)
    assert run.steps.get(name="video").started_at is None
    assert {name: after[name] for name in DONE} == {name: before[name] for name in DONE}
    assert queued_jobs() == [run.pk]


def test_a_run_whose_worker_stopped_on_its_last_attempt_fails_with_worker_lost_naming_the_step(
    owner, bare_artist, django_capture_on_commit_callbacks, settings
):
    settings.RUN_MAX_ATTEMPTS = 3
    run = make_run(
        owner, bare_artist, status=RunStatus.EXECUTING, stage="video", attempts=3, heartbeat_ago=120, done=DONE
    )

    assert reap(django_capture_on_commit_callbacks)["failed"] == [run.pk]

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.finished_at is not None
    assert run.error["name"] == "WorkerLost"
    assert run.error["step"] == "video"
    assert "stopped before finishing it, during the video step" in run.error["message"]
    assert "attempted 3 times" in run.error["message"]
    assert "Retry the run to resume it from the video step" in run.error["message"]
    # Left as a failed step is, so that POST .../retry resumes from it.
    assert steps(run)["video"][0] == StepStatus.FAILED
    assert queued_jobs() == []


def test_a_run_failed_by_the_reaper_reports_its_end_to_its_callback_url(
    owner, bare_artist, django_capture_on_commit_callbacks, settings
):
    settings.RUN_MAX_ATTEMPTS = 1
    run = make_run(owner, bare_artist, status=RunStatus.EXECUTING, stage="video", heartbeat_ago=120)
    Run.objects.filter(pk=run.pk).update(callback_url="https://hooks.example.com/recoup")

    reap(django_capture_on_commit_callbacks)

    [delivery] = [q.task for q in OrmQ.objects.all() if q.task["func"] == DELIVER_JOB]
    reported = json.loads(delivery["args"][2])
    assert (reported["id"], reported["status"], reported["error"]["name"]) == (run.pk, "FAILED", "WorkerLost")


def test_a_run_whose_worker_died_before_its_first_step_fails_naming_the_first_step(
    owner, bare_artist, django_capture_on_commit_callbacks, settings
):
    settings.RUN_MAX_ATTEMPTS = 1
    run = make_run(owner, bare_artist, status=RunStatus.EXECUTING, heartbeat_ago=120)

    reap(django_capture_on_commit_callbacks)

    run.refresh_from_db()
    assert (run.status, run.error["step"]) == (RunStatus.FAILED, "prepare")


def test_a_run_with_a_fresh_heartbeat_is_left_alone(owner, bare_artist, django_capture_on_commit_callbacks, settings):
    settings.REAPER_STALE_SECONDS = 60
    run = make_run(owner, bare_artist, status=RunStatus.EXECUTING, stage="video", heartbeat_ago=10, done=DONE)
    before = (Run.objects.filter(pk=run.pk).values().get(), steps(run))

    assert reap(django_capture_on_commit_callbacks) == {"requeued": [], "failed": [], "reenqueued": []}

    assert (Run.objects.filter(pk=run.pk).values().get(), steps(run)) == before
    assert queued_jobs() == []


def test_a_run_queued_long_ago_is_enqueued_again_and_a_recent_one_is_not(
    owner, bare_artist, django_capture_on_commit_callbacks, settings
):
    settings.REAPER_QUEUED_SECONDS = 600
    lost = make_run(owner, bare_artist, status=RunStatus.QUEUED, queued_ago=900)
    waiting = make_run(owner, bare_artist, status=RunStatus.QUEUED, queued_ago=60)
    waiting_since = waiting.queued_at

    assert reap(django_capture_on_commit_callbacks)["reenqueued"] == [lost.pk]

    assert queued_jobs() == [lost.pk]
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.status == RunStatus.QUEUED
    assert timezone.now() - lost.queued_at < timedelta(seconds=5)
    assert waiting.queued_at == waiting_since
    # Enqueued once per REAPER_QUEUED_SECONDS, not at every pass.
    assert reap(django_capture_on_commit_callbacks)["reenqueued"] == []
    assert len(queued_jobs()) == 1


def test_finished_runs_are_never_touched(owner, bare_artist, django_capture_on_commit_callbacks):
    for status in (RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELED):
        make_run(owner, bare_artist, status=status, heartbeat_ago=3600, queued_ago=3600)
    before = list(Run.objects.values())

    reap(django_capture_on_commit_callbacks)

    assert list(Run.objects.values()) == before
    assert queued_jobs() == []


def test_the_reaper_is_scheduled_every_minute_by_migrate_without_keeping_its_results():
    schedule = Schedule.objects.get(name="reap-stale-runs")
    assert schedule.func == "tasks.reaper.reap_stale_runs"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)
    assert ast.literal_eval(schedule.kwargs) == {"q_options": {"save": False}}
