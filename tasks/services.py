"""Writes on runs: trigger a batch, cancel, retry."""

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.tasks import async_task
from rest_framework.exceptions import Throttled

from artists.models import Artist
from content.models import Template
from recoup.models import Account
from tasks.models import ACTIVE_STATUSES, Run, RunStatus, RunStep, StepStatus

logger = logging.getLogger(__name__)

RUN_JOB = "tasks.runner.execute_run"
RETRY_AFTER_IN_FLIGHT_SECONDS = 30


def _enqueue(run_id: str, broker=None) -> bool:
    try:
        async_task(RUN_JOB, run_id, task_name=run_id, group="runs", broker=broker)
    except Exception:  # noqa: BLE001 - any broker failure means "not queued"
        logger.exception("could not enqueue run %s", run_id)
        return False
    return True


def runs_trigger(
    *,
    account: Account,
    artist: Artist,
    template: Template,
    lipsync: bool,
    caption_length: str,
    upscale: bool,
    batch: int,
    songs: list[str] | None,
    callback_url: str = "",
) -> tuple[list[str], int]:
    """Creates `batch` runs in one transaction and queues them once it commits.

    Returns (ids of the queued runs, number that could not be queued). Runs the
    broker refused are deleted: the client is never told about them.
    """
    payload = {
        "artist_account_id": str(artist.pk),
        "template": template.pk,
        "lipsync": lipsync,
        "caption_length": caption_length,
        "upscale": upscale,
        "songs": songs,
    }
    queued: list[str] = []
    refused: list[str] = []

    def enqueue_all(ids: list[str]) -> None:
        # One broker (one connection) for the whole batch.
        try:
            broker = get_broker()
        except Exception:  # noqa: BLE001 - an unreachable broker refuses every run
            logger.exception("no job broker")
            refused.extend(ids)
            return
        for run_id in ids:
            (queued if _enqueue(run_id, broker) else refused).append(run_id)

    with transaction.atomic():
        # Serializes creates of one account so the in-flight cap holds under concurrency.
        Account.objects.select_for_update().filter(pk=account.pk).exists()
        in_flight = Run.objects.filter(account=account, status__in=ACTIVE_STATUSES).count()
        if in_flight + batch > settings.MAX_RUNS_IN_FLIGHT:
            raise Throttled(
                wait=RETRY_AFTER_IN_FLIGHT_SECONDS,
                detail=f"This account has {in_flight} runs queued or executing; at most "
                f"{settings.MAX_RUNS_IN_FLIGHT} may be in flight. Wait for some to finish.",
            )
        runs = Run.objects.bulk_create(
            [
                Run(
                    account=account,
                    artist=artist,
                    template=template,
                    payload=payload,
                    seed=secrets.randbits(62),
                    callback_url=callback_url,
                )
                for _ in range(batch)
            ]
        )
        ids = [run.pk for run in runs]
        transaction.on_commit(lambda: enqueue_all(ids))
    if refused:
        Run.objects.filter(pk__in=refused, status=RunStatus.QUEUED).delete()
    return queued, len(refused)


def run_cancel(*, run: Run) -> bool:
    """Cancels a QUEUED or EXECUTING run; the worker stops at its next step boundary or wait."""
    now = timezone.now()
    changed = Run.objects.filter(pk=run.pk, status__in=[RunStatus.QUEUED, RunStatus.EXECUTING]).update(
        status=RunStatus.CANCELED, finished_at=now, updated_at=now
    )
    if changed:
        from tasks.webhooks import run_finished

        run_finished(run.pk)
    return bool(changed)


def run_retry(*, run: Run) -> bool:
    """Queues a FAILED run again; the runner resumes from the step that failed."""
    now = timezone.now()
    with transaction.atomic():
        changed = Run.objects.filter(pk=run.pk, status=RunStatus.FAILED).update(
            status=RunStatus.QUEUED, error=None, finished_at=None, updated_at=now, queued_at=now
        )
        if not changed:
            return False
        RunStep.objects.filter(run=run, status__in=[StepStatus.FAILED, StepStatus.EXECUTING]).update(
            status=StepStatus.PENDING, error=None, started_at=None, finished_at=None
        )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return True
