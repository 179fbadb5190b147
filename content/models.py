from django.core.validators import RegexValidator
from django.db import models

from recoup.models import Account

DEFAULT_TEMPLATE = "artist-caption-bedroom"


class CaptionLength(models.TextChoices):
    SHORT = "short", "Short: 1-2 punchy lines"
    MEDIUM = "medium", "Medium: 1-2 sentences"
    LONG = "long", "Long: a paragraph"
    NONE = "none", "No caption"


class Template(models.Model):
    """A scene and voice for videos. Five ship with the service; operators add more in the admin."""

    id = models.SlugField(primary_key=True, max_length=80, validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$")])
    description = models.CharField(max_length=300)
    image_prompt = models.TextField()
    # {"camera": ..., "environment": ..., "subject": ..., "realism": ...}
    style_rules = models.JSONField(default=dict)
    uses_face_guide = models.BooleanField(default=True)
    # Templates such as the record store put one of the artist's images (album art) in the scene.
    uses_artist_image = models.BooleanField(default=False)
    default_lipsync = models.BooleanField(default=False)
    moods = models.JSONField(default=list)
    movements = models.JSONField(default=list)
    # {"tone": str, "rules": [str], "formats": [str],
    #  "max_chars": {"short": int, "medium": int, "long": int},
    #  "examples": {"short": [str], "medium": [str], "long": [str]}}
    caption_guide = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id


def reference_image_path(instance: "TemplateReferenceImage", filename: str) -> str:
    return f"templates/{instance.template_id}/{filename}"


class TemplateReferenceImage(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="reference_images")
    title = models.CharField(max_length=200)
    image = models.ImageField(upload_to=reference_image_path, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.template_id}: {self.title}"


class IdempotencyRecord(models.Model):
    """The first answer to a create request made with an Idempotency-Key, replayed for 24 hours."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "key"], name="unique_idempotency_key")]
