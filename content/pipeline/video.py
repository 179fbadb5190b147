"""Step 6: the image animated by the template's movement; with lipsync, moved by the song clip,
which the video then carries."""

from content.media import ffmpeg
from content.pipeline.context import StepContext, StepResult


def run(ctx: StepContext) -> StepResult:
    prepare = ctx.outputs["prepare"]
    # The upscaled image, when there is one, gives the motion more detail to work with.
    image = (ctx.outputs.get("upscale_image") or ctx.outputs["image"])["image"]
    out = ctx.workdir / "video.mp4"
    ctx.provider.make_video(
        image=ctx.path(image),
        template=ctx.template,
        mood=prepare["mood"],
        movement=prepare["movement"],
        seconds=ctx.video_seconds,
        seed=ctx.seed,
        out=out,
        audio=ctx.path(ctx.outputs["clip"]["audio"]) if ctx.lipsync else None,
    )
    output = {"video": ctx.save(out, "video.mp4"), "has_audio": ffmpeg.probe(out).audio_codec is not None}
    return StepResult(output=output, cost_cents=ctx.provider.cost_cents("video", seconds=ctx.video_seconds))
