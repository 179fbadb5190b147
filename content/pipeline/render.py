"""Step 9, shared by every provider: the postable MP4.

Cropped to 9:16 at 720x1280 (1440x2560 when upscaled), the caption burned in inside the
platforms' safe zone, the song clip (or the lipsync model's own audio) normalised to -14 LUFS
with true peak <= -1 dBTP, H.264 yuv420p + AAC, faststart, exactly the clip's length.

One ffmpeg run encodes everything. Before it, and side by side, the audio's loudness is measured
(two-pass normalisation: a single pass must guess the loudness of what it has not heard yet and
misses the target on short clips) and the caption is drawn by Pillow.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from content.media import ffmpeg
from content.media.overlay import Caption, render_caption
from content.pipeline.context import StepContext, StepResult

TARGET_LUFS = -14.0
# The limiter acts on samples; inter-sample peaks and the AAC encoder add up to about 1 dB on
# top, so it holds samples 1 dB under the -1 dBTP the platforms ask for.
CEILING_DB = -2.0
# Quieter than this is silence or noise, and turning it up 30 dB would only show the hiss.
MAX_GAIN_DB = 30.0
# How close the limited audio must come to the target before we stop re-measuring.
TOLERANCE_LU = 0.3
FINAL_X264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-pix_fmt", "yuv420p", "-profile:v", "high"]
FINAL_AAC = ["-c:a", "aac", "-b:a", "192k", "-ar", "48000"]


def run(ctx: StepContext) -> StepResult:
    video_output = ctx.outputs.get("upscale_video") or ctx.outputs["video"]
    width, height = (1440, 2560) if ctx.upscale else (720, 1280)
    out = ctx.workdir / "final.mp4"
    facts = render(
        video=ctx.path(video_output["video"]),
        clip=ctx.path(ctx.outputs["clip"]["audio"]),
        keep_video_audio=ctx.lipsync,
        caption=ctx.outputs["caption"]["text"],
        seconds=ctx.video_seconds,
        width=width,
        height=height,
        out=out,
    )
    output = {"video": ctx.save(out, "final.mp4"), **facts}
    return StepResult(output=output, cost_cents=ctx.provider.cost_cents("render", seconds=ctx.video_seconds))


def render(
    *,
    video: Path,
    clip: Path,
    keep_video_audio: bool,
    caption: str,
    seconds: float,
    width: int,
    height: int,
    out: Path,
) -> dict:
    """Renders `out` and returns {"width", "height", "durationSeconds", "bytes"}.

    The soundtrack is the video's own audio when `keep_video_audio` (lipsync: the model's audio
    is in sync with the lips) and the video has any, otherwise the song clip."""
    source = ffmpeg.probe(video)
    audio = None if keep_video_audio and source.audio_codec else clip
    sound = audio or video
    with ThreadPoolExecutor(max_workers=1) as pool:
        measuring = pool.submit(loudness_filters, sound)
        overlay = render_caption(caption, width=width, height=height, out=out.with_name(out.stem + "-caption.png"))
        audio_filters = measuring.result()

    inputs: list[str | Path] = ["-i", video]
    if overlay is not None:
        inputs += ["-i", overlay.path]
    audio_input = 0
    if audio is not None:
        audio_input = inputs.count("-i")
        inputs += ["-i", audio]
    graph = f"{_picture(source, seconds, width, height, overlay)}[v];[{audio_input}:a:0]{audio_filters},apad[a]"
    ffmpeg.run(
        [
            *inputs, "-filter_complex", graph, "-map", "[v]", "-map", "[a]", "-t", f"{seconds:.3f}",
            *FINAL_X264, *FINAL_AAC, "-map_metadata", "-1", "-movflags", "+faststart", out,
        ]
    )  # fmt: skip
    made = ffmpeg.probe(out)
    return {
        "width": made.width,
        "height": made.height,
        "durationSeconds": round(made.duration or seconds, 3),
        "bytes": out.stat().st_size,
    }


def _picture(source: ffmpeg.Probe, seconds: float, width: int, height: int, overlay: Caption | None) -> str:
    # Cover the 9:16 frame (a no-op when the video already is that size), then crop the overflow.
    chain = (
        f"[0:v]scale={width}:{height}:force_original_aspect_ratio=increase:flags=lanczos,"
        f"crop={width}:{height},setsar=1"
    )
    if source.duration and source.duration < seconds - 0.05:
        # A model that made a slightly short video is slowed to fit: repeating the last frame
        # instead would freeze the end of the clip.
        chain += f",setpts=PTS*{seconds / source.duration:.5f}"
    if overlay is not None:
        chain += f"[base];[base][1:v]overlay=x={overlay.x}:y={overlay.y}:format=auto"
    return chain + ",format=yuv420p"


def loudness_filters(audio: Path) -> str:
    """The audio filters that bring `audio` to TARGET_LUFS with true peak under -1 dBTP.

    A gain, then a look-ahead limiter that holds the peaks a gain alone would push too high.
    Limiting lowers the loudness a little, so when it has work to do the limited audio is
    measured again and the gain corrected (each pass reads 8 s of audio in ~0.07 s)."""
    measured = ffmpeg.loudness(audio)
    gain = _clamp(TARGET_LUFS - measured["integrated"])
    filters = _gain_and_limit(gain)
    if measured["true_peak"] + gain <= CEILING_DB:
        return filters
    for _ in range(3):
        error = TARGET_LUFS - ffmpeg.loudness(audio, filters=filters)["integrated"]
        if abs(error) <= TOLERANCE_LU:
            break
        gain = _clamp(gain + error)
        filters = _gain_and_limit(gain)
    return filters


def _gain_and_limit(gain_db: float) -> str:
    limit = 10 ** (CEILING_DB / 20)
    return (
        f"volume={gain_db:.2f}dB,"
        f"alimiter=limit={limit:.4f}:attack=5:release=60:level=false:latency=true"
    )


def _clamp(gain_db: float) -> float:
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain_db))
