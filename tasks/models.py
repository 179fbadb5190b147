import secrets
import string

from django.db import models
from django.utils import timezone

from artists.models import Artist
from content.models import Template
from recoup.models import Account

RUN_ID_ALPHABET = string.ascii_lowercase + string.digits
TASK_CREATE_CONTENT = "create-content"


RUN_ID_LENGTH = 24


def new_run_id() -> str:
    # One random number in the id space, written in the alphabet: a batch of 30 is made 30 ids
    # at a time, and a secrets.choice() per character took a millisecond of it.
    number, chars = secrets.randbelow(len(RUN_ID_ALPHABET) ** RUN_ID_LENGTH), []
    for _ in range(RUN_ID_LENGTH):
        number, index = divmod(number, len(RUN_ID_ALPHABET))
        chars.append(RUN_ID_ALPHABET[index])
    return "run_" + "".join(chars)


class RunStatus(models.TextChoices):
    QUEUED = "QUEUED"
    EXECUTING = "EXECUTING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.EXECUTING)
FINAL_STATUSES = (RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELED)


class StepStatus(models.TextChoices):
    PENDING = "PENDING"
    EXECUTING = "EXECUTING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


class Run(models.Model):
    id = models.CharField(primary_key=True, max_length=28, default=new_run_id, editable=False)
    task_identifier = models.CharField(max_length=40, default=TASK_CREATE_CONTENT)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="runs")
    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="runs")
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # What the client asked for: artist_account_id, template, lipsync, caption_length, upscale, songs.
    payload = models.JSONField()
    seed = models.BigIntegerField()
    stage = models.CharField(max_length=32, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    output = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    cost_cents = models.PositiveIntegerField(default=0)
    callback_url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written by the runner while it works; the reaper requeues runs whose heartbeat stopped.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When the run's job was last handed to the broker: the reaper enqueues it again when a
    # QUEUED run waited too long since (the broker lost the job).
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="run_account_newest"),
            models.Index(fields=["status", "heartbeat_at"], name="run_status_heartbeat"),
            # The in-flight cap counts an account's active runs on every create.
            models.Index(fields=["account", "status"], name="run_account_status"),
        ]

    def __str__(self) -> str:
        return self.id

    @property
    def tags(self) -> list[str]:
        return [f"account:{self.account_id}", f"artist:{self.artist_id}", f"template:{self.template_id}"]


class RunStep(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=StepStatus.choices, default=StepStatus.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the step produced (file names in storage, picks, text): reused on retry.
    output = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    cost_cents = models.PositiveIntegerField(default=0)

    class Meta:
        # Not "run": ordering by a relation joins it to sort by its own ordering.
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="unique_run_step")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.name}"


class WebhookDelivery(models.Model):
    """One attempt to POST a finished run to its callback_url (the delivery log in the admin)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="webhook_deliveries")
    message_id = models.CharField(max_length=80)
    attempt = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=2000)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    delivered = models.BooleanField(default=False)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
