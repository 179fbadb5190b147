"""Writes on runs: trigger a batch, cancel, retry."""

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.brokers.redis_broker import Redis as RedisBroker
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


class _SignedJobs:
    """Stands in for the Redis broker in async_task: keeps the signed jobs to push in one command."""

    def __init__(self, list_key: str):
        self.list_key = list_key
        self.jobs: list = []

    def enqueue(self, job) -> None:
        self.jobs.append(job)


def _enqueue_batch(run_ids: list[str]) -> list[str]:
    """Queues the runs through one broker (one connection); returns the ids it refused.

    On Redis the whole batch goes out in one RPUSH, queued or refused together: a round trip
    per run was about a third of what a batch of 30 cost over a batch of 1.
    """
    try:
        broker = get_broker()
    except Exception:  # noqa: BLE001 - an unreachable broker refuses every run
        logger.exception("no job broker")
        return list(run_ids)
    if not isinstance(broker, RedisBroker):
        return [run_id for run_id in run_ids if not _enqueue(run_id, broker)]
    signed = _SignedJobs(broker.list_key)
    refused = [run_id for run_id in run_ids if not _enqueue(run_id, signed)]
    if signed.jobs:  # none in Q_SYNC mode, where async_task runs each job at once
        try:
            broker.connection.rpush(broker.list_key, *signed.jobs)
        except Exception:  # noqa: BLE001 - any broker failure means "not queued"
            logger.exception("could not enqueue runs %s", ", ".join(run_ids))
            return list(run_ids)
    return refused


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
        refused.extend(_enqueue_batch(ids))
        queued.extend(run_id for run_id in ids if run_id not in refused)

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
