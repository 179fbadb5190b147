"""The stale-run reaper: no run stays QUEUED or EXECUTING forever.

django-q2 calls reap_stale_runs every minute (the schedule is made by the data migration
tasks/migrations/0003_reaper_schedule.py). It mends the two ways a run gets stuck:

- Its worker died (killed, out of memory, its host lost, or past RUN_TIMEOUT_SECONDS): the
  run stays EXECUTING and its heartbeat stops. It is queued again and resumes from its last
  completed step; once it has been claimed RUN_MAX_ATTEMPTS times it fails with a
  WorkerLost error instead.
- The broker lost its job (Redis restarted without persistence, a flushed list): the run
  stays QUEUED. Its job is enqueued again.

Each decision is a conditional UPDATE, so a worker that beats again in the meantime keeps
its run, and two reapers at once do no harm. A duplicate job is harmless too: the runner
claims a run only while it is QUEUED.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.brokers import Broker, get_broker

from content.pipeline import STEPS
from tasks.models import Run, RunStatus, RunStep, StepStatus
from tasks.services import _enqueue
from tasks.webhooks import run_finished

logger = logging.getLogger(__name__)


def reap_stale_runs() -> dict[str, list[str]]:
    """Requeues or fails runs whose worker died and enqueues again runs whose job was lost.

    Returns the ids it acted on, by decision, for whoever called it by hand (a shell, a test).
    """
    now = timezone.now()
    broker = get_broker()
    reaped: dict[str, list[str]] = {"requeued": [], "failed": [], "reenqueued": []}

    beat_before = now - timedelta(seconds=settings.REAPER_STALE_SECONDS)
    for run in Run.objects.filter(status=RunStatus.EXECUTING, heartbeat_at__lt=beat_before).only(
        "pk", "attempts", "stage", "heartbeat_at"
    ):
        if run.attempts < settings.RUN_MAX_ATTEMPTS:
            if _requeue(run, beat_before=beat_before, now=now, broker=broker):
                reaped["requeued"].append(run.pk)
        elif _fail(run, beat_before=beat_before, now=now):
            reaped["failed"].append(run.pk)

    enqueued_before = now - timedelta(seconds=settings.REAPER_QUEUED_SECONDS)
    waiting = Run.objects.filter(status=RunStatus.QUEUED, queued_at__lt=enqueued_before).order_by("queued_at")
    for run_id, queued_at in waiting.values_list("pk", "queued_at"):
        if not _enqueue(run_id, broker):
            logger.error("reaper: could not enqueue run %s again; the next pass will try again", run_id)
            # The broker is down: trying the rest now would only fail the same way.
            break
        Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(queued_at=now)
        reaped["reenqueued"].append(run_id)
        logger.warning(
            "reaper: run %s was still QUEUED %.0f s after its last enqueue (the broker may have lost "
            "the job); enqueued it again",
            run_id,
            (now - queued_at).total_seconds(),
        )
    return reaped


def _requeue(run: Run, *, beat_before: datetime, now: datetime, broker: Broker) -> bool:
    """Puts a run whose worker died back in the queue; its completed steps keep their outputs."""
    with transaction.atomic():
        changed = Run.objects.filter(pk=run.pk, status=RunStatus.EXECUTING, heartbeat_at__lt=beat_before).update(
            status=RunStatus.QUEUED, queued_at=now, updated_at=now
        )
        if not changed:
            return False
        RunStep.objects.filter(run_id=run.pk, status=StepStatus.EXECUTING).update(
            status=StepStatus.PENDING, started_at=None
        )
        transaction.on_commit(lambda: _enqueue_requeued(run.pk, broker))
    logger.warning(
        "reaper: run %s has had no heartbeat since %s (its worker stopped during the %s step, attempt %d of "
        "at most %d); queued it again to resume from its last completed step",
        run.pk,
        run.heartbeat_at.isoformat(),
        run.stage or STEPS[0].name,
        run.attempts,
        settings.RUN_MAX_ATTEMPTS,
    )
    return True


def _enqueue_requeued(run_id: str, broker: Broker) -> None:
    if not _enqueue(run_id, broker):
        logger.error(
            "reaper: run %s is QUEUED but its job could not be enqueued; it will be enqueued again "
            "after REAPER_QUEUED_SECONDS",
            run_id,
        )


def _fail(run: Run, *, beat_before: datetime, now: datetime) -> bool:
    """Fails a run whose worker died once too often, with an error the client can act on."""
    step = run.stage or STEPS[0].name
    error = {
        "message": (
            f"The worker running this run stopped before finishing it, during the {step} step, and "
            f"the run had been attempted {run.attempts} times, so it is not tried again. Workers stop "
            "when they are killed, run out of memory or run past the time limit of a run. Retry the "
            f"run to resume it from the {step} step; if it stops again, contact the service's operators."
        ),
        "name": "WorkerLost",
        "step": step,
    }
    with transaction.atomic():
        changed = Run.objects.filter(pk=run.pk, status=RunStatus.EXECUTING, heartbeat_at__lt=beat_before).update(
            status=RunStatus.FAILED, finished_at=now, updated_at=now, error=error, output=None
        )
        if not changed:
            return False
        # As the runner leaves a failed step, so that a retry resumes from it.
        RunStep.objects.filter(run_id=run.pk, status=StepStatus.EXECUTING).update(
            status=StepStatus.FAILED, finished_at=now, error=error
        )
        transaction.on_commit(lambda: run_finished(run.pk))
    logger.error(
        "reaper: run %s has had no heartbeat since %s (its worker stopped during the %s step) after %d "
        "attempts; failed it (WorkerLost)",
        run.pk,
        run.heartbeat_at.isoformat(),
        step,
        run.attempts,
    )
    return True
