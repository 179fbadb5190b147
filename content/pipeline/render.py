"""Step 9, shared by every provider: the postable MP4.

Cropped to 9:16 at 720x1280 (1440x2560 when upscaled), the caption burned in inside the
platforms' safe zone, the song clip (or the lipsync model's own audio) at -14 LUFS with true
peak <= -1 dBTP, H.264 yuv420p + AAC, faststart, exactly the clip's length.

One ffmpeg run encodes the picture and copies in the soundtrack. The clip step has mastered
the song clip already (content.media.loudness); a lipsync model's own audio is mastered here,
while Pillow draws the caption.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from content.media import ffmpeg, loudness
from content.media.cpu import cpu_slot
from content.media.overlay import Caption, render_caption
from content.pipeline.context import StepContext, StepResult

# superfast at CRF 23 against veryfast at CRF 22, on a grainy 8-s video: the same size, a higher
# SSIM (0.941 against 0.922) and 30% less CPU, which is what a batch of renders waits for.
# Two encoder threads and a short look-ahead hold fewer frames in memory (the worker's budget is
# 300 MB with this child included) at the same speed on two cores. mbtree off: with it x264
# starves the last frames (nothing refers to them) until the final one repeats its predecessor.
FINAL_X264 = [
    "-c:v", "libx264", "-preset", "superfast", "-crf", "23", "-pix_fmt", "yuv420p", "-profile:v", "high",
    "-threads", "2", "-x264-params", "rc-lookahead=5:mbtree=0",
]  # fmt: skip
# One decoder thread is plenty for the intermediate video and holds fewer frames.
DECODE = ["-threads", "1"]


def run(ctx: StepContext) -> StepResult:
    video_output = ctx.outputs.get("upscale_video") or ctx.outputs["video"]
    width, height = (1440, 2560) if ctx.upscale else (720, 1280)
    out = ctx.workdir / "final.mp4"
    with cpu_slot():
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

    The soundtrack is the video's own audio, mastered here, when `keep_video_audio` (lipsync: the
    model's audio is in sync with the lips) and the video has any; otherwise `clip`, as the clip
    step made it (mastered: it goes in as it is). The caption stays off the `keep_clear` band of
    the frame (fractions of its height) when there is room."""
    source = ffmpeg.probe(video)
    own_audio = keep_video_audio and source.audio_codec is not None
    soundtrack = out.with_name(out.stem + "-audio.m4a") if own_audio else clip
    with ThreadPoolExecutor(max_workers=1) as pool:
        mastering = pool.submit(loudness.master, video, soundtrack, seconds=seconds) if own_audio else None
        overlay = render_caption(
            caption, width=width, height=height, out=out.with_name(out.stem + "-caption.png"), keep_clear=keep_clear
        )
        if mastering is not None:
            mastering.result()

    inputs: list[str | Path] = [*DECODE, "-i", video]
    if overlay is not None:
        inputs += ["-i", overlay.path]
    audio_input = inputs.count("-i")
    inputs += ["-i", soundtrack]
    ffmpeg.run(
        [
            *inputs,
            "-filter_complex", _picture(source, seconds, width, height, overlay), "-map", "[v]",
            "-map", f"{audio_input}:a:0", "-c:a", "copy",
            "-t", f"{seconds:.3f}", "-fps_mode", "passthrough", *FINAL_X264,
            "-map_metadata", "-1", "-movflags", "+faststart", out,
        ]
    )  # fmt: skip
    made = ffmpeg.probe(out)
    return {
        "width": made.width,
        "height": made.height,
        "durationSeconds": round(made.duration or seconds, 3),
        "bytes": out.stat().st_size,
    }


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
        # Blended in the video's own yuv420: left to choose (format=auto), the overlay converts
        # every frame to and fro, which costs an eighth of the render.
        chain += "[base];[1:v]format=yuva420p[caption];"
        chain += f"[base][caption]overlay=x={overlay.x}:y={overlay.y}:format=yuv420"
    return chain + ",format=yuv420p[v]"
