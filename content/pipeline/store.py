"""Step 10, shared by every provider: the final MP4 under the run's name in storage, and the
run's output as the runs API shows it (the API turns the keys into absolute URLs)."""

from django.core.files.storage import default_storage

from content.pipeline.context import StepContext, StepResult


def run(ctx: StepContext) -> StepResult:
    prepare, clip, render = ctx.outputs["prepare"], ctx.outputs["clip"], ctx.outputs["render"]
    video_key = ctx.save(ctx.path(render["video"]), f"{ctx.run_id}.mp4")
    image = (ctx.outputs.get("upscale_image") or ctx.outputs["image"])["image"]
    song = ctx.song(prepare["song_id"])
    output = {
        "videoKey": video_key,
        "imageKey": image,
        "captionText": ctx.outputs["caption"]["text"],
        "audio": {
            "songId": song.id,
            "songTitle": song.title,
            "startSeconds": clip["start"],
            "durationSeconds": clip["seconds"],
            "clipLyrics": clip["lyrics"],
            "clipMood": clip["mood"],
        },
        "mood": prepare["mood"],
        "movement": prepare["movement"],
        "template": ctx.template["id"],
        "lipsync": ctx.lipsync,
        "width": render["width"],
        "height": render["height"],
        "durationSeconds": render["durationSeconds"],
        "bytes": default_storage.size(video_key),
    }
    return StepResult(output=output, cost_cents=ctx.provider.cost_cents("store", seconds=ctx.video_seconds))
