"""The one small interface both providers implement.

Providers take and return plain data and local file paths. They never touch the
ORM or HTTP requests; the pipeline steps do the bookkeeping around them.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Protocol


class ProviderError(Exception):
    """A generative call failed. The message says what to do, in words a user can act on."""

    def __init__(self, message: str, *, model: str = "", retryable: bool = False):
        super().__init__(message)
        self.model = model
        self.retryable = retryable


class Provider(Protocol):
    name: str

    def transcribe(self, *, song: Path, lyrics: str) -> dict:
        """{"text": str, "words": [{"text": str, "start": float, "end": float}, ...]}."""

    def choose_clip(self, *, song: Path, song_seconds: float, clip_seconds: float, transcript: dict) -> float:
        """Start time in seconds of the clip window that carries the song's hook."""

    def make_image(
        self,
        *,
        reference: Path,
        face_guide: Path | None,
        artist_image: Path | None,
        template: dict,
        mood: str,
        seed: int,
        out: Path,
    ) -> None:
        """Writes a 720x1280 (or larger, 9:16) PNG of the artist in the template's scene to `out`."""

    def make_video(
        self,
        *,
        image: Path,
        template: dict,
        mood: str,
        movement: str,
        seconds: float,
        seed: int,
        out: Path,
        audio: Path | None = None,
    ) -> None:
        """Writes an MP4 to `out`. With `audio` (lipsync) the video moves with it and carries it."""

    def upscale_image(self, *, src: Path, out: Path) -> None: ...

    def upscale_video(self, *, src: Path, out: Path) -> None: ...

    def write_caption(
        self,
        *,
        template: dict,
        length: str,
        mood: str,
        clip_lyrics: str,
        song_title: str,
        artist_name: str,
        seed: int,
    ) -> str:
        """Caption text within the template's max_chars for `length` ("" never: length "none" is not asked)."""

    def cost_cents(self, step: str, *, seconds: float) -> int:
        """What one call of `step` costs (0 for local)."""


# Called by providers while they wait on remote work: it raises when the run is no
# longer this worker's (canceled, or handed on by the reaper), so the provider can
# cancel its request. Liveness heartbeats come from the runner's own thread.
WaitHook = Callable[[], None]
