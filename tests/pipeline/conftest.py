"""A step context over the shared cast's artist, with a small template of our own."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from artists.models import Artist, FileKind
from content.pipeline.context import FileRef, StepContext
from content.providers import get_provider

TEMPLATE = {
    "id": "test-bedroom",
    "uses_face_guide": True,
    "uses_artist_image": False,
    "default_lipsync": False,
    "moods": ["melancholic", "restless", "tender"],
    "movements": ["slow push-in", "handheld sway", "static"],
    "reference_images": ["templates/test-bedroom/a.png", "templates/test-bedroom/b.png"],
    "caption_guide": {
        "tone": "deadpan, lowercase, like a text to a friend",
        "rules": ["no hashtags", "no emojis"],
        "formats": ["lyric line, then a dry aside"],
        "max_chars": {"short": 70, "medium": 160, "long": 400},
        "examples": {
            "short": ["i keep the lights on for you", "not sleeping\njust thinking about it"],
            "medium": ["made this at 3am and it shows. don't tell my mum.", "the lamp is doing most of the work here"],
            "long": [
                "it's 2am and the led strip is doing that thing again. i wrote this one on the floor. "
                "nobody asked but here it is, the whole mess of it, the part where i almost deleted it "
                "and the part where i didn't"
            ],
        },
    },
}


@pytest.fixture
def make_context(tmp_path: Path) -> Callable[..., StepContext]:
    def make(artist: Artist, *, seed: int = 7, template: dict | None = None, **payload) -> StepContext:
        files = list(artist.files.order_by("created_at"))
        faces = [FileRef.of(f) for f in files if f.kind == FileKind.FACE_GUIDE]
        return StepContext(
            run_id=f"run_test{seed:020d}",
            seed=seed,
            payload={"lipsync": False, "upscale": False, "caption_length": "short", "songs": None, **payload},
            artist_id=str(artist.id),
            artist_name=artist.name,
            template=template or TEMPLATE,
            face_guide=faces[-1] if faces else None,
            songs=[FileRef.of(f) for f in files if f.kind == FileKind.SONG],
            images=[FileRef.of(f) for f in files if f.kind == FileKind.IMAGE],
            provider=get_provider(name="local"),
            workdir=tmp_path,
            video_seconds=settings.VIDEO_SECONDS,
        )

    return make
