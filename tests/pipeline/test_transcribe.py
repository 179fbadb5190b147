import pytest

from artists.models import ArtistFile, FileKind
from content.pipeline import transcribe

pytestmark = pytest.mark.django_db


def _song(artist) -> ArtistFile:
    return artist.files.get(kind=FileKind.SONG)


def _context(artist, make_context):
    ctx = make_context(artist)
    ctx.outputs["prepare"] = {"song_id": str(_song(artist).id)}
    return ctx


def test_it_transcribes_the_uploaded_lyrics_with_word_timings(artist, make_context):
    output = transcribe.run(_context(artist, make_context)).output
    chorus = [w for w in output["words"] if 14.0 <= w["start"] < 22.0]
    assert chorus[0]["text"] == "turn" and output["text"].startswith("streetlights")


def test_it_stores_the_transcript_on_the_song_file_with_its_checksum(artist, make_context):
    output = transcribe.run(_context(artist, make_context)).output
    stored = _song(artist).transcript
    assert stored["checksum"] == _song(artist).checksum
    assert stored["words"] == output["words"]


def test_a_second_run_reuses_the_cached_transcript(artist, make_context):
    transcribe.run(_context(artist, make_context))
    song = _song(artist)
    song.transcript = {**song.transcript, "text": "from the cache", "words": []}
    song.save(update_fields=["transcript"])
    result = transcribe.run(_context(artist, make_context))
    assert result.output == {"text": "from the cache", "words": []}
    assert result.cost_cents == 0


def test_a_transcript_for_other_bytes_or_other_lyrics_is_made_again(artist, make_context):
    transcribe.run(_context(artist, make_context))
    song = _song(artist)
    song.transcript = {**song.transcript, "text": "stale", "checksum": "0" * 64}
    song.save(update_fields=["transcript"])
    assert transcribe.run(_context(artist, make_context)).output["text"] != "stale"

    ArtistFile.objects.filter(pk=song.pk).update(lyrics="new words only")
    assert transcribe.run(_context(artist, make_context)).output["text"] == "new words only"
