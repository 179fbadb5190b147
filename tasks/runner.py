"""Executes one run: what the django-q2 cluster calls (tasks.runner.execute_run).

A job may be delivered twice, so the run is claimed with a conditional UPDATE.
Every status write is conditional on the run still being EXECUTING, so a
cancel or the reaper always wins over a worker that is still going.
"""

import logging
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from content.pipeline import StepContext, steps_for
from content.pipeline.context import FileRef
from content.providers import ProviderError, get_provider
from tasks.models import Run, RunStatus, RunStep, StepStatus

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY_SECONDS = 5.0


class RunCanceled(Exception):
    """The run was canceled (or taken back by the reaper) while a step was working."""


def execute_run(run_id: str) -> None:
    now = timezone.now()
    claimed = Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.EXECUTING,
        started_at=now,
        heartbeat_at=now,
        updated_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        logger.info("run %s is not queued any more; nothing to do", run_id)
        return
    run = Run.objects.select_related("artist", "template").get(pk=run_id)
    workdir = Path(settings.VAR_DIR) / "work" / run_id
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        _execute(run, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _execute(run: Run, workdir: Path) -> None:
    steps = steps_for(run.payload)
    rows = _ensure_steps(run, [step.name for step in steps])
    heartbeat = _Heartbeat(run.pk)
    ctx = build_context(run, workdir=workdir, on_wait=heartbeat)
    total = sum(step.weight for step in steps)
    done = 0
    for step in steps:
        row = rows[step.name]
        if row.status == StepStatus.COMPLETED:
            ctx.outputs[step.name] = row.output or {}
            done += step.weight
            continue
        if not _advance(run.pk, stage=step.name, progress=done * 100 // total):
            return
        started = timezone.now()
        RunStep.objects.filter(pk=row.pk).update(status=StepStatus.EXECUTING, started_at=started, error=None)
        try:
            result = step.run(ctx)
        except RunCanceled:
            RunStep.objects.filter(pk=row.pk).update(status=StepStatus.PENDING, started_at=None)
            return
        except Exception as exc:  # noqa: BLE001 - any failure becomes the run's error
            error = _error_for(step.name, exc)
            RunStep.objects.filter(pk=row.pk).update(
                status=StepStatus.FAILED, finished_at=timezone.now(), error=error
            )
            _finish(run.pk, RunStatus.FAILED, error=error)
            logger.warning("run %s failed at %s: %s", run.pk, step.name, error["message"])
            return
        RunStep.objects.filter(pk=row.pk).update(
            status=StepStatus.COMPLETED,
            finished_at=timezone.now(),
            output=result.output,
            cost_cents=result.cost_cents,
        )
        ctx.outputs[step.name] = result.output
        done += step.weight
        if result.cost_cents:
            Run.objects.filter(pk=run.pk).update(cost_cents=F("cost_cents") + result.cost_cents)
    _finish(run.pk, RunStatus.COMPLETED, output=ctx.outputs["store"])


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


def _advance(run_id: str, *, stage: str, progress: int) -> bool:
    """Moves stage and progress forward; False when the run is no longer ours to work on."""
    now = timezone.now()
    return bool(
        Run.objects.filter(pk=run_id, status=RunStatus.EXECUTING).update(
            stage=stage, progress=Greatest(F("progress"), progress), heartbeat_at=now, updated_at=now
        )
    )


def _finish(run_id: str, status: str, *, output: dict | None = None, error: dict | None = None) -> None:
    now = timezone.now()
    fields: dict = {"status": status, "finished_at": now, "updated_at": now, "output": output, "error": error}
    if status == RunStatus.COMPLETED:
        fields["progress"] = 100
    if Run.objects.filter(pk=run_id, status=RunStatus.EXECUTING).update(**fields):
        from tasks.webhooks import run_finished

        run_finished(run_id)


def _error_for(step: str, exc: Exception) -> dict:
    if isinstance(exc, ProviderError):
        return {"message": str(exc), "name": "ProviderError", "step": step}
    name = type(exc).__name__
    message = str(exc) or name
    return {"message": f"The {step} step failed: {message}", "name": name, "step": step}


class _Heartbeat:
    """Passed to providers as on_wait: records liveness and notices a cancel."""

    def __init__(self, run_id: str):
        self.run_id = run_id
        self.last = 0.0

    def __call__(self) -> None:
        if time.monotonic() - self.last < HEARTBEAT_EVERY_SECONDS:
            return
        self.last = time.monotonic()
        now = timezone.now()
        if not Run.objects.filter(pk=self.run_id, status=RunStatus.EXECUTING).update(heartbeat_at=now):
            raise RunCanceled(self.run_id)


def build_context(run: Run, *, workdir: Path, on_wait=None) -> StepContext:
    from artists.models import FileKind

    files = list(run.artist.files.order_by("created_at"))

    def ref(f) -> FileRef:
        return FileRef(
            id=str(f.id),
            title=f.title,
            slug=f.slug,
            name=f.file.name,
            checksum=f.checksum,
            duration_seconds=f.duration_seconds,
            lyrics=f.lyrics,
        )

    faces = [ref(f) for f in files if f.kind == FileKind.FACE_GUIDE]
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
        songs=[ref(f) for f in files if f.kind == FileKind.SONG],
        images=[ref(f) for f in files if f.kind == FileKind.IMAGE],
        provider=get_provider(on_wait=on_wait),
        workdir=workdir,
        video_seconds=settings.VIDEO_SECONDS,
    )
