"""Step 2: the song's lyrics with word timings, cached on the song file.

A transcript is reused while the file's bytes and its lyrics are unchanged, so a
song is transcribed once however many runs pick it.
"""

import hashlib

from artists.models import ArtistFile
from content.pipeline.context import StepContext, StepResult


def run(ctx: StepContext) -> StepResult:
    song = ctx.song(ctx.outputs["prepare"]["song_id"])
    lyrics_sha256 = hashlib.sha256(song.lyrics.encode()).hexdigest()
    cached = ArtistFile.objects.filter(pk=song.id).values_list("transcript", flat=True).first()
    if cached and cached.get("checksum") == song.checksum and cached.get("lyrics_sha256") == lyrics_sha256:
        return StepResult(output={"text": cached["text"], "words": cached["words"]})
    transcript = ctx.provider.transcribe(song=ctx.path(song.name), lyrics=song.lyrics)
    output = {"text": transcript["text"], "words": transcript["words"]}
    ArtistFile.objects.filter(pk=song.id).update(
        transcript={**output, "checksum": song.checksum, "lyrics_sha256": lyrics_sha256}
    )
    cost = ctx.provider.cost_cents("transcribe", seconds=song.duration_seconds or 0.0)
    return StepResult(output=output, cost_cents=cost)
