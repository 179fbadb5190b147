"""Step 3: the window of the song, as long as the video, that carries its hook, cut to mastered audio."""

from content.media import audio, ffmpeg, loudness
from content.media.cpu import cpu_slot
from content.media.lyrics import words_between
from content.pipeline.context import StepContext, StepResult


def run(ctx: StepContext) -> StepResult:
    song = ctx.song(ctx.outputs["prepare"]["song_id"])
    source = ctx.path(song.name)
    seconds = ctx.video_seconds
    song_seconds = song.duration_seconds or ffmpeg.probe(source).duration or 0.0
    transcript = ctx.outputs["transcribe"]
    start = ctx.provider.choose_clip(
        song=source, song_seconds=song_seconds, clip_seconds=seconds, transcript=transcript
    )
    # Providers (an LLM, for one) may answer past the end: keep the window inside the song.
    start = round(min(max(0.0, float(start)), max(0.0, song_seconds - seconds)), 3)
    cut, local = ctx.workdir / "clip.wav", ctx.workdir / "clip.m4a"
    with cpu_slot():
        audio.cut_clip(source, start=start, seconds=seconds, out=cut)
        mood = audio.energy_label(cut)
        # Mastered once here, the clip goes into the final video as it is (see the render step).
        loudness.master(cut, local, seconds=seconds)
    output = {
        "start": start,
        "seconds": seconds,
        "audio": ctx.save(local, "clip.m4a"),
        "lyrics": words_between(transcript, start, start + seconds),
        "mood": mood,
    }
    return StepResult(output=output, cost_cents=ctx.provider.cost_cents("clip", seconds=seconds))
