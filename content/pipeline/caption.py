"""Step 8: the caption text, in the template's voice, for the requested length."""

from content.pipeline.context import StepContext, StepResult


def run(ctx: StepContext) -> StepResult:
    length = ctx.payload["caption_length"]
    if length == "none":
        return StepResult(output={"text": ""})
    song = ctx.song(ctx.outputs["prepare"]["song_id"])
    text = ctx.provider.write_caption(
        template=ctx.template,
        length=length,
        mood=ctx.outputs["prepare"]["mood"],
        clip_lyrics=ctx.outputs["clip"]["lyrics"],
        song_title=song.title,
        artist_name=ctx.artist_name,
        seed=ctx.seed,
    )
    return StepResult(output={"text": text}, cost_cents=ctx.provider.cost_cents("caption", seconds=ctx.video_seconds))
