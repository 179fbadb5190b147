import base64
import binascii
import re
from datetime import UTC, datetime

from rest_framework import serializers

from content.pipeline import steps_for
from recoup.lib.fields import NoUnknownFieldsMixin
from recoup.lib.urls import media_url
from tasks.models import RUN_ID_ALPHABET, Run, RunStatus, StepStatus

RUN_ID = re.compile(rf"run_[{RUN_ID_ALPHABET}]{{24}}")


def is_run_id(value: str) -> bool:
    """Whether the value has the form of a run id; nothing else can name a run."""
    return RUN_ID.fullmatch(value) is not None


def iso_ms(value: datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


class RunErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    name = serializers.CharField()
    step = serializers.CharField()


class RunStepSerializer(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=StepStatus.choices)
    startedAt = serializers.CharField(allow_null=True)  # noqa: N815
    finishedAt = serializers.CharField(allow_null=True)  # noqa: N815
    error = RunErrorSerializer(allow_null=True)


class RunAudioSerializer(serializers.Serializer):
    songId = serializers.CharField()  # noqa: N815
    songTitle = serializers.CharField()  # noqa: N815
    startSeconds = serializers.FloatField()  # noqa: N815
    durationSeconds = serializers.FloatField()  # noqa: N815
    clipLyrics = serializers.CharField(allow_blank=True)  # noqa: N815
    clipMood = serializers.CharField(allow_blank=True)  # noqa: N815


class RunOutputSerializer(serializers.Serializer):
    videoUrl = serializers.URLField()  # noqa: N815
    imageUrl = serializers.URLField()  # noqa: N815
    captionText = serializers.CharField(allow_blank=True)  # noqa: N815
    audio = RunAudioSerializer()
    mood = serializers.CharField()
    movement = serializers.CharField()
    template = serializers.CharField()
    lipsync = serializers.BooleanField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    durationSeconds = serializers.FloatField()  # noqa: N815
    bytes = serializers.IntegerField()


class RunPayloadSerializer(serializers.Serializer):
    artist_account_id = serializers.UUIDField()
    template = serializers.CharField()
    lipsync = serializers.BooleanField()
    caption_length = serializers.CharField()
    upscale = serializers.BooleanField()
    songs = serializers.ListField(child=serializers.CharField(), allow_null=True)


class RunSerializer(serializers.Serializer):
    """The run object of SPEC section 5 (read-only)."""

    id = serializers.CharField()
    taskIdentifier = serializers.CharField(source="task_identifier")  # noqa: N815
    status = serializers.ChoiceField(choices=RunStatus.choices)
    createdAt = serializers.CharField()  # noqa: N815
    updatedAt = serializers.CharField()  # noqa: N815
    startedAt = serializers.CharField(allow_null=True)  # noqa: N815
    finishedAt = serializers.CharField(allow_null=True)  # noqa: N815
    durationMs = serializers.IntegerField(allow_null=True)  # noqa: N815
    attempts = serializers.IntegerField()
    tags = serializers.ListField(child=serializers.CharField())
    payload = RunPayloadSerializer()
    stage = serializers.CharField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    steps = RunStepSerializer(many=True)
    output = RunOutputSerializer(allow_null=True)
    error = RunErrorSerializer(allow_null=True)
    costInCents = serializers.IntegerField(source="cost_cents")  # noqa: N815

    def to_representation(self, run: Run) -> dict:
        # Built by hand: runs are polled constantly and DRF's per-field machinery costs
        # more than the rest of the request. The declared fields above document the shape.
        return {
            "id": run.pk,
            "taskIdentifier": run.task_identifier,
            "status": run.status,
            "createdAt": iso_ms(run.created_at),
            "updatedAt": iso_ms(run.updated_at),
            "startedAt": iso_ms(run.started_at),
            "finishedAt": iso_ms(run.finished_at),
            "durationMs": _duration_ms(run),
            "attempts": run.attempts,
            "tags": run.tags,
            "payload": run.payload,
            "stage": run.stage,
            "progress": run.progress,
            "steps": _steps(run),
            "output": _output(run, self.context.get("request")),
            "error": run.error,
            "costInCents": run.cost_cents,
        }


def _duration_ms(run: Run) -> int | None:
    if run.started_at is None or run.finished_at is None:
        return None
    return int((run.finished_at - run.started_at).total_seconds() * 1000)


def _steps(run: Run) -> list[dict]:
    """Every step the run goes through, in order, PENDING until the runner reaches it."""
    # A run from tasks.selectors.run_get() comes with its steps read; any other asks for them.
    read = getattr(run, "step_rows", None)
    rows = {row.name: row for row in (run.steps.all() if read is None else read)}
    out = []
    for step in steps_for(run.payload):
        row = rows.get(step.name)
        out.append(
            {
                "name": step.name,
                "status": row.status if row else StepStatus.PENDING,
                "startedAt": iso_ms(row.started_at) if row else None,
                "finishedAt": iso_ms(row.finished_at) if row else None,
                "error": row.error if row else None,
            }
        )
    return out


def _output(run: Run, request) -> dict | None:
    if run.status != RunStatus.COMPLETED or not run.output:
        return None
    output = dict(run.output)
    video_key, image_key = output.pop("videoKey", None), output.pop("imageKey", None)
    return {"videoUrl": media_url(video_key, request), "imageUrl": media_url(image_key, request), **output}


class RunListQuerySerializer(NoUnknownFieldsMixin, serializers.Serializer):
    # An id, not text: untrimmed, so " " is an unknown run (404) like any other wrong id.
    runId = serializers.CharField(required=False, max_length=64, trim_whitespace=False)  # noqa: N815
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)
    status = serializers.ChoiceField(choices=RunStatus.choices, required=False)
    artist_account_id = serializers.UUIDField(required=False)
    cursor = serializers.CharField(required=False, max_length=200)

    def validate_cursor(self, value: str) -> tuple[datetime, str]:
        return decode_cursor(value)


def encode_cursor(run: Run) -> str:
    raw = f"{run.created_at.isoformat()}|{run.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        created, run_id = raw.split("|", 1)
        moment = datetime.fromisoformat(created)
        # A forged id would reach the query, and PostgreSQL refuses text holding NUL (a 500).
        if moment.tzinfo is None or not is_run_id(run_id):
            raise ValueError
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise serializers.ValidationError("Invalid cursor; pass next_cursor from the previous page.") from None
    return moment, run_id


class RunListResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success"])
    runs = RunSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True, required=False)


class RunResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["success"])
    run = RunSerializer()
