import uuid

from django.db import models
from django.utils.text import slugify

from recoup.models import Account


class Artist(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    accounts = models.ManyToManyField(Account, through="ArtistAccess", related_name="artists")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "created_at"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200] or "artist"
        super().save(*args, **kwargs)


class ArtistAccess(models.Model):
    """Which accounts may use an artist. Anyone else gets 404."""

    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="access")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="artist_access")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["artist", "account"], name="unique_artist_access")]
        verbose_name_plural = "artist access"


class FileKind(models.TextChoices):
    FACE_GUIDE = "face_guide", "Face guide"
    SONG = "song", "Song"
    IMAGE = "image", "Image"


def artist_file_path(instance: "ArtistFile", filename: str) -> str:
    return f"artists/{instance.artist_id}/{instance.kind}/{instance.id}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:8] if dot > 0 else ""


class ArtistFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=16, choices=FileKind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    file = models.FileField(upload_to=artist_file_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the bytes")
    duration_seconds = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Songs: lyrics uploaded with the file, plain text or LRC (used by the local transcriber).
    lyrics = models.TextField(blank=True)
    # Songs: the transcript with word timings, cached per file by the transcribe step.
    transcript = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at"]
        indexes = [models.Index(fields=["artist", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
