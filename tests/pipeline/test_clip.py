import pytest
from django.core.files.storage import default_storage

from artists.models import FileKind
from content.media import ffmpeg
from content.pipeline import clip, transcribe
from tests.conftest import CHORUS_SECONDS, CHORUS_START

pytestmark = pytest.mark.django_db


@pytest.fixture
def clip_output(artist, make_context) -> dict:
    ctx = make_context(artist)
    ctx.outputs["prepare"] = {"song_id": str(artist.files.get(kind=FileKind.SONG).id)}
    ctx.outputs["transcribe"] = transcribe.run(ctx).output
    return clip.run(ctx).output


def test_it_picks_the_loud_chorus_of_a_song_that_is_quiet_elsewhere(clip_output):
    start, end = clip_output["start"], clip_output["start"] + clip_output["seconds"]
    overlap = min(end, CHORUS_START + CHORUS_SECONDS) - max(start, CHORUS_START)
    assert overlap >= 0.9 * clip_output["seconds"]


def test_the_clip_is_cut_to_an_aac_file_in_storage_as_long_as_the_video(clip_output, settings):
    assert clip_output["seconds"] == settings.VIDEO_SECONDS
    assert clip_output["audio"].endswith(".m4a") and default_storage.exists(clip_output["audio"])
    facts = ffmpeg.probe(default_storage.path(clip_output["audio"]))
    assert facts.audio_codec == "aac" and facts.duration == pytest.approx(settings.VIDEO_SECONDS, abs=0.06)


def test_the_clip_is_mastered_for_the_platforms(clip_output):
    measured = ffmpeg.loudness(default_storage.path(clip_output["audio"]))
    assert abs(measured["integrated"] - -14.0) <= 0.5
    assert measured["true_peak"] <= -1.0


def test_the_clip_carries_the_chorus_lyrics_and_a_mood(clip_output):
    assert clip_output["lyrics"].startswith("turn it up turn it up")
    assert "streetlights" not in clip_output["lyrics"]
    assert clip_output["mood"] in {"euphoric", "driving"}
