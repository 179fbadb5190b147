"""Executes one run: what the django-q2 cluster calls (tasks.runner.execute_run).

A job may be delivered twice, so the run is claimed with a conditional UPDATE; each
claim is one attempt. Every later write is conditional on the run still being
EXECUTING in this attempt, so a cancel, or the reaper handing the run to another
worker, always wins over a worker that is still going.

While the runner works, a heartbeat thread writes Run.heartbeat_at. When the worker
dies the beats stop, and the reaper (tasks.reaper) queues the run again; it resumes
from its last completed step.
"""

import contextlib
import logging
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from content.pipeline import StepContext, steps_for
from content.pipeline.context import FileRef
from content.providers import ProviderError, get_provider
from tasks.models import Run, RunStatus, RunStep, StepStatus

logger = logging.getLogger(__name__)

T = TypeVar("T")


class RunCanceled(Exception):
    """The run was canceled (or taken back by the reaper) while a step was working."""


def execute_run(run_id: str) -> None:
    now = timezone.now()
    claimed = _reconnecting(
        Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).update,
        status=RunStatus.EXECUTING,
        started_at=now,
        heartbeat_at=now,
        updated_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        logger.info("run %s is not queued any more; nothing to do", run_id)
        return
    run = _reconnecting(Run.objects.select_related("artist", "template").get, pk=run_id)
    # One folder per attempt: a worker that was frozen, not dead, may wake up while this attempt
    # works, and must not delete its files. Earlier attempts' leftovers are half-written: drop them.
    run_dir = Path(settings.VAR_DIR) / "work" / run_id
    shutil.rmtree(run_dir, ignore_errors=True)
    workdir = run_dir / str(run.attempts)
    workdir.mkdir(parents=True)
    heartbeat = _Heartbeat(run_id, run.attempts)
    heartbeat.start()
    try:
        _execute(run, workdir, heartbeat)
    finally:
        heartbeat.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        with contextlib.suppress(OSError):  # not empty: a later attempt is at work
            run_dir.rmdir()


def _execute(run: Run, workdir: Path, heartbeat: "_Heartbeat") -> None:
    attempt = run.attempts
    steps = steps_for(run.payload)
    rows = _reconnecting(_ensure_steps, run, [step.name for step in steps])
    ctx = _reconnecting(build_context, run, workdir=workdir, on_wait=heartbeat.raise_if_lost)
    total = sum(step.weight for step in steps)
    done = 0
    for step in steps:
        row = rows[step.name]
        if row.status == StepStatus.COMPLETED:
            ctx.outputs[step.name] = row.output or {}
            done += step.weight
            continue
        if not _advance(run.pk, attempt, stage=step.name, progress=done * 100 // total):
            return
        update_step = RunStep.objects.filter(pk=row.pk, run__attempts=attempt).update
        _reconnecting(update_step, status=StepStatus.EXECUTING, started_at=timezone.now(), error=None)
        try:
            result = _reconnecting(step.run, ctx)
        except RunCanceled:
            _reconnecting(update_step, status=StepStatus.PENDING, started_at=None)
            return
        except Exception as exc:  # noqa: BLE001 - any failure becomes the run's error
            error = _error_for(step.name, exc)
            _reconnecting(update_step, status=StepStatus.FAILED, finished_at=timezone.now(), error=error)
            _finish(heartbeat, RunStatus.FAILED, error=error)
            logger.warning("run %s failed at %s: %s", run.pk, step.name, error["message"])
            return
        _reconnecting(
            update_step,
            status=StepStatus.COMPLETED,
            finished_at=timezone.now(),
            output=result.output,
            cost_cents=result.cost_cents,
        )
        ctx.outputs[step.name] = result.output
        done += step.weight
        if result.cost_cents:
            # The sum of the steps' costs rather than an increment, so that writing it twice is harmless.
            spent = RunStep.objects.filter(run=OuterRef("pk")).values("run").annotate(total=Sum("cost_cents"))
            _reconnecting(Run.objects.filter(pk=run.pk).update, cost_cents=Subquery(spent.values("total")))
    _finish(heartbeat, RunStatus.COMPLETED, output=ctx.outputs["store"])


def _this_attempt(run_id: str, attempt: int) -> QuerySet[Run]:
    return Run.objects.filter(pk=run_id, status=RunStatus.EXECUTING, attempts=attempt)


# Tries of one piece of work across dropped connections (0.5 s, 1 s, 2 s, 4 s apart); a
# database down for longer leaves the run to the reaper.
RECONNECT_ATTEMPTS = 5


def _reconnecting(work: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Does one piece of the runner's work, again on a new connection if the database dropped the old one.

    A step can take minutes: long enough for the database to drop the idle connection (a
    restart, a failover, pg_terminate_backend). Doing the piece twice is harmless: the
    runner's writes are conditional and set values rather than add to them, and a step may
    always run again (a retry does). At worst a claim whose answer was lost leaves the run
    EXECUTING without a heartbeat, for the reaper.
    """
    for attempt in range(1, RECONNECT_ATTEMPTS):
        try:
            return work(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            # Inside a transaction (Q_SYNC, tests) the connection cannot be swapped for a new one.
            if connection.in_atomic_block:
                raise
            logger.warning("lost the database connection (%s); retrying on a new one", str(exc).strip())
            connection.close()
            # A new connection can be dropped too while the database restarts: back off a little.
            time.sleep(0.5 * 2 ** (attempt - 1))
    return work(*args, **kwargs)


def _ensure_steps(run: Run, names: list[str]) -> dict[str, RunStep]:
    existing = {row.name: row for row in run.steps.all()}
    missing = [
        RunStep(run=run, position=position, name=name)
        for position, name in enumerate(names)
        if name not in existing
    ]
    if missing:
        RunStep.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {row.name: row for row in run.steps.all()}
    return existing


def _advance(run_id: str, attempt: int, *, stage: str, progress: int) -> bool:
    """Moves stage and progress forward; False when the run is no longer ours to work on."""
    return bool(
        _reconnecting(
            _this_attempt(run_id, attempt).update,
            stage=stage,
            progress=Greatest(F("progress"), progress),
            updated_at=timezone.now(),
        )
    )


def _finish(heartbeat: "_Heartbeat", status: str, *, output: dict | None = None, error: dict | None = None) -> None:
    # A beat after the final write would find the run no longer EXECUTING and take it for lost.
    heartbeat.stop()
    run_id = heartbeat.run_id
    now = timezone.now()
    fields: dict = {"status": status, "finished_at": now, "updated_at": now, "output": output, "error": error}
    if status == RunStatus.COMPLETED:
        fields["progress"] = 100
    if _reconnecting(_this_attempt(run_id, heartbeat.attempt).update, **fields):
        from tasks.webhooks import run_finished

        run_finished(run_id)


def _error_for(step: str, exc: Exception) -> dict:
    if isinstance(exc, ProviderError):
        return {"message": str(exc), "name": "ProviderError", "step": step}
    name = type(exc).__name__
    message = str(exc) or name
    return {"message": f"The {step} step failed: {message}", "name": name, "step": step}


class _Heartbeat(threading.Thread):
    """Writes Run.heartbeat_at every HEARTBEAT_SECONDS while the runner works, on its own connection.

    A thread, so that beats continue while a step blocks for minutes (ffmpeg, a fal.ai
    request). It also notices when the run stopped being this attempt's (canceled, or
    handed to another worker by the reaper); providers call raise_if_lost() while they
    wait, which ends the step early.
    """

    def __init__(self, run_id: str, attempt: int):
        super().__init__(name=f"heartbeat-{run_id}", daemon=True)
        self.run_id = run_id
        self.attempt = attempt
        self.lost = threading.Event()
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopping.wait(settings.HEARTBEAT_SECONDS):
                try:
                    beating = _this_attempt(self.run_id, self.attempt).update(heartbeat_at=timezone.now())
                except DatabaseError as exc:
                    # The reaper allows for missed beats; the next one gets a new connection.
                    logger.warning("run %s: heartbeat not written (%s)", self.run_id, str(exc).strip())
                    connection.close()
                    continue
                if not beating:
                    logger.info(
                        "run %s is no longer this worker's (canceled, or handed to another worker); stopping",
                        self.run_id,
                    )
                    self.lost.set()
                    return
        finally:
            # Each thread has its own connection; nothing else would close this one.
            connection.close()

    def stop(self) -> None:
        self._stopping.set()
        self.join()

    def raise_if_lost(self) -> None:
        if self.lost.is_set():
            raise RunCanceled(self.run_id)


def build_context(run: Run, *, workdir: Path, on_wait: Callable[[], None] | None = None) -> StepContext:
    from artists.models import FileKind

    files = list(run.artist.files.order_by("created_at"))

    faces = [FileRef.of(f) for f in files if f.kind == FileKind.FACE_GUIDE]
    template = run.template
    template_data = {
        "id": template.id,
        "description": template.description,
        "image_prompt": template.image_prompt,
        "style_rules": template.style_rules,
        "uses_face_guide": template.uses_face_guide,
        "uses_artist_image": template.uses_artist_image,
        "default_lipsync": template.default_lipsync,
        "moods": template.moods,
        "movements": template.movements,
        "caption_guide": template.caption_guide,
        "reference_images": [image.image.name for image in template.reference_images.all()],
    }
    return StepContext(
        run_id=run.pk,
        seed=run.seed,
        payload=run.payload,
        artist_id=str(run.artist_id),
        artist_name=run.artist.name,
        template=template_data,
        face_guide=faces[-1] if faces else None,
        songs=[FileRef.of(f) for f in files if f.kind == FileKind.SONG],
        images=[FileRef.of(f) for f in files if f.kind == FileKind.IMAGE],
        provider=get_provider(on_wait=on_wait),
        workdir=workdir,
        video_seconds=settings.VIDEO_SECONDS,
    )
