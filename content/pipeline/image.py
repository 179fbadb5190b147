"""Step 4: the artist's face guide (or, for some templates, another of their images) placed into
the template's reference scene."""

from content.pipeline.context import StepContext, StepResult


def run(ctx: StepContext) -> StepResult:
    prepare = ctx.outputs["prepare"]
    use_face = bool(ctx.template.get("uses_face_guide")) and ctx.face_guide is not None
    artist_image = prepare.get("artist_image")
    out = ctx.workdir / "image.png"
    ctx.provider.make_image(
        reference=ctx.path(prepare["reference_image"]),
        face_guide=ctx.path(ctx.face_guide.name) if use_face else None,
        artist_image=ctx.path(artist_image) if artist_image else None,
        template=ctx.template,
        mood=prepare["mood"],
        seed=ctx.seed,
        out=out,
    )
    output = {"image": ctx.save(out, "image.png")}
    return StepResult(output=output, cost_cents=ctx.provider.cost_cents("image", seconds=ctx.video_seconds))
