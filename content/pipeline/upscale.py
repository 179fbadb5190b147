"""Steps 5 and 7 (only when the run asks to upscale): the image, then the video, at twice the size."""

from content.pipeline.context import StepContext, StepResult


def run_image(ctx: StepContext) -> StepResult:
    out = ctx.workdir / "image-upscaled.png"
    ctx.provider.upscale_image(src=ctx.path(ctx.outputs["image"]["image"]), out=out)
    output = {"image": ctx.save(out, "image-upscaled.png")}
    return StepResult(output=output, cost_cents=ctx.provider.cost_cents("upscale_image", seconds=ctx.video_seconds))


def run_video(ctx: StepContext) -> StepResult:
    out = ctx.workdir / "video-upscaled.mp4"
    ctx.provider.upscale_video(src=ctx.path(ctx.outputs["video"]["video"]), out=out)
    output = {"video": ctx.save(out, "video-upscaled.mp4")}
    return StepResult(output=output, cost_cents=ctx.provider.cost_cents("upscale_video", seconds=ctx.video_seconds))
