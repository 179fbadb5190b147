"""What a pipeline step sees: plain data about the run, the outputs of earlier steps,
the provider, and run-scoped file storage."""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from content.providers.base import Provider


@dataclass(frozen=True)
class FileRef:
    id: str
    title: str
    slug: str
    name: str  # name in default_storage
    checksum: str
    duration_seconds: float | None = None
    lyrics: str = ""

    @classmethod
    def of(cls, record) -> "FileRef":
        """The plain view of an artists.models.ArtistFile that steps work with."""
        return cls(
            id=str(record.id),
            title=record.title,
            slug=record.slug,
            name=record.file.name,
            checksum=record.checksum,
            duration_seconds=record.duration_seconds,
            lyrics=record.lyrics,
        )


@dataclass(frozen=True)
class StepResult:
    output: dict
    cost_cents: int = 0


@dataclass
class StepContext:
    run_id: str
    seed: int
    payload: dict
    artist_id: str
    artist_name: str
    # Template fields (id, image_prompt, style_rules, uses_face_guide, uses_artist_image,
    # default_lipsync, moods, movements, caption_guide) and "reference_images": [storage names].
    template: dict
    face_guide: FileRef | None
    songs: list[FileRef]
    images: list[FileRef]
    provider: Provider
    workdir: Path
    video_seconds: float
    outputs: dict[str, dict] = field(default_factory=dict)

    @property
    def lipsync(self) -> bool:
        return bool(self.payload["lipsync"])

    @property
    def upscale(self) -> bool:
        return bool(self.payload["upscale"])

    def song(self, song_id: str) -> FileRef:
        return next(song for song in self.songs if song.id == song_id)

    def path(self, name: str) -> Path:
        """A local path for a file in storage (copied into workdir when storage is remote)."""
        try:
            return Path(default_storage.path(name))
        except NotImplementedError:
            local = self.workdir / "inputs" / name.replace("/", "_")
            if not local.exists():
                local.parent.mkdir(parents=True, exist_ok=True)
                with default_storage.open(name, "rb") as src, open(local, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            return local

    def save(self, local: Path, filename: str) -> str:
        """Stores a file the step made under runs/<run_id>/ and returns its storage name."""
        name = f"runs/{self.run_id}/{filename}"
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(local, "rb") as handle:
            return default_storage.save(name, File(handle, name=filename))
