"""Step 9, shared by every provider: the postable MP4.

Cropped to 9:16 at 720x1280 (1440x2560 when upscaled), the caption burned in inside the
platforms' safe zone, the song clip (or the lipsync model's own audio) normalised to -14 LUFS
with true peak <= -1 dBTP, H.264 yuv420p + AAC, faststart, exactly the clip's length.

One ffmpeg run encodes everything. Before it, side by side, the audio's loudness is measured
(two passes: a single-pass normaliser must guess the loudness of what it has not heard yet and
misses the target on short clips) and Pillow draws the caption. After it the delivered audio's
true peak is checked, since the AAC encoder can overshoot on dense, clipped masters.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from content.media import ffmpeg
from content.media.overlay import Caption, render_caption
from content.pipeline.context import StepContext, StepResult

TARGET_LUFS = -14.0
MAX_TRUE_PEAK = -1.0
# The limiter acts on samples; inter-sample peaks and the AAC encoder add up to about 1 dB on
# top, so it holds samples 1 dB under the true peak the platforms allow.
CEILING_DB = -2.0
# Quieter than this is silence or noise, and turning it up further would only show the hiss.
MAX_GAIN_DB = 30.0
# How close the limited audio must come to the target before we stop re-measuring.
TOLERANCE_LU = 0.3
# Two encoder threads and a short look-ahead hold fewer frames in memory (the worker's budget is
# 300 MB with this child included) at the same speed on two cores. mbtree off: with it x264
# starves the last frames (nothing refers to them) until the final one repeats its predecessor.
FINAL_X264 = [
    "-c:v", "libx264", "-preset", "veryfast", "-crf", "22", "-pix_fmt", "yuv420p", "-profile:v", "high",
    "-threads", "2", "-x264-params", "rc-lookahead=5:mbtree=0",
]  # fmt: skip
# At 192 kb/s ffmpeg's AAC encoder overshoots dense masters by 2 dB and more; at 256 by a few tenths.
FINAL_AAC = ["-c:a", "aac", "-b:a", "256k", "-ar", "48000"]
# One decoder thread is plenty for the intermediate video and holds fewer frames.
DECODE = ["-threads", "1"]


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
        keep_clear=_subject_band(ctx.template),
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
    keep_clear: tuple[float, float] | None = None,
) -> dict:
    """Renders `out` and returns {"width", "height", "durationSeconds", "bytes"}.

    The soundtrack is the video's own audio when `keep_video_audio` (lipsync: the model's audio
    is in sync with the lips) and the video has any, otherwise the song clip. The caption stays
    off the `keep_clear` band of the frame (fractions of its height) when there is room."""
    source = ffmpeg.probe(video)
    sound = video if keep_video_audio and source.audio_codec else clip
    with ThreadPoolExecutor(max_workers=1) as pool:
        measuring = pool.submit(Level.measure, sound)
        overlay = render_caption(
            caption, width=width, height=height, out=out.with_name(out.stem + "-caption.png"), keep_clear=keep_clear
        )
        level = measuring.result()

    inputs: list[str | Path] = [*DECODE, "-i", video]
    if overlay is not None:
        inputs += ["-i", overlay.path]
    audio_input = 0
    if sound is not video:
        audio_input = inputs.count("-i")
        inputs += ["-i", sound]
    ffmpeg.run(
        [
            *inputs,
            "-filter_complex", _picture(source, seconds, width, height, overlay), "-map", "[v]",
            # The audio in its own simple filtergraph, which ffmpeg runs on its own thread.
            "-map", f"{audio_input}:a:0", "-filter:a", f"{level.filters()},apad",
            "-t", f"{seconds:.3f}", "-fps_mode", "passthrough", *FINAL_X264, *FINAL_AAC,
            "-map_metadata", "-1", "-movflags", "+faststart", out,
        ]
    )  # fmt: skip
    overshoot = ffmpeg.loudness(out)["true_peak"] - MAX_TRUE_PEAK
    if overshoot > 0:
        _redo_audio(out, sound, level.lowered(overshoot), seconds)
    made = ffmpeg.probe(out)
    return {
        "width": made.width,
        "height": made.height,
        "durationSeconds": round(made.duration or seconds, 3),
        "bytes": out.stat().st_size,
    }


@dataclass(frozen=True)
class Level:
    """A gain, then a look-ahead limiter that holds the peaks a gain alone would push too high."""

    gain_db: float
    ceiling_db: float

    @classmethod
    def measure(cls, audio: Path) -> "Level":
        """The level that brings `audio` to TARGET_LUFS. Limiting lowers the loudness a little, so
        when the limiter has work to do the limited audio is measured again and the gain
        corrected (each pass reads 8 s of audio in ~0.07 s)."""
        measured = ffmpeg.loudness(audio)
        level = cls(_clamp(TARGET_LUFS - measured["integrated"]), CEILING_DB)
        if measured["true_peak"] + level.gain_db <= level.ceiling_db:
            return level
        for _ in range(3):
            error = TARGET_LUFS - ffmpeg.loudness(audio, filters=level.filters())["integrated"]
            if abs(error) <= TOLERANCE_LU:
                break
            level = cls(_clamp(level.gain_db + error), level.ceiling_db)
        return level

    def lowered(self, overshoot_db: float) -> "Level":
        """The same gain under a ceiling low enough to absorb what the encoder added on top."""
        return Level(self.gain_db, self.ceiling_db - overshoot_db - 0.5)

    def filters(self) -> str:
        limit = max(0.0625, 10 ** (self.ceiling_db / 20))
        return f"volume={self.gain_db:.2f}dB,alimiter=limit={limit:.4f}:attack=5:release=60:level=false:latency=true"


def _redo_audio(out: Path, sound: Path, level: Level, seconds: float) -> None:
    """Re-encodes only the audio of `out` at `level`; the video stream is copied as it is."""
    fixed = out.with_name(out.stem + "-audio.mp4")
    ffmpeg.run(
        [
            "-i", out, "-i", sound, "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy",
            "-filter:a", f"{level.filters()},apad", "-t", f"{seconds:.3f}", *FINAL_AAC,
            "-map_metadata", "-1", "-movflags", "+faststart", fixed,
        ]
    )  # fmt: skip
    fixed.replace(out)


def _subject_band(template: dict) -> tuple[float, float] | None:
    """The band of the frame where the template puts its subject's face (or record label), with
    room for hair above and chin below."""
    composition = (template.get("style_rules") or {}).get("composition") or {}
    center, size = composition.get("subject_center"), composition.get("subject_height")
    if not center or not size:
        return None
    return float(center[1]) - 0.75 * float(size), float(center[1]) + 0.75 * float(size)


def _picture(source: ffmpeg.Probe, seconds: float, width: int, height: int, overlay: Caption | None) -> str:
    # Cover the 9:16 frame (a no-op when the video already is that size), then crop the overflow.
    chain = (
        f"[0:v]scale={width}:{height}:force_original_aspect_ratio=increase:flags=lanczos,crop={width}:{height},setsar=1"
    )
    if source.duration and source.duration < seconds - 0.05:
        # A model that made a slightly short video is slowed to fit: repeating the last frame
        # instead would freeze the end of the clip.
        chain += f",setpts=PTS*{seconds / source.duration:.5f}"
    if overlay is not None:
        chain += f"[base];[base][1:v]overlay=x={overlay.x}:y={overlay.y}:format=auto"
    return chain + ",format=yuv420p[v]"


def _clamp(gain_db: float) -> float:
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain_db))
