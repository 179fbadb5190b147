"""Step 1: the run's random choices, all drawn from its seed so a retry makes the same ones."""

import random

from content.pipeline.context import FileRef, StepContext, StepResult


def run(ctx: StepContext) -> StepResult:
    songs = _allowed_songs(ctx)
    references = ctx.template.get("reference_images") or []
    if not references:
        raise ValueError(f"template {ctx.template['id']} has no reference images; add one in the admin")
    # One generator per choice: restricting `songs` must not change the mood or the scene.
    song = _rng(ctx, "song").choice(songs)
    artist_image = None
    if ctx.template.get("uses_artist_image") and ctx.images:
        artist_image = _rng(ctx, "artist_image").choice(ctx.images).name
    output = {
        "song_id": song.id,
        "reference_image": _rng(ctx, "reference_image").choice(references),
        "mood": _pick(_rng(ctx, "mood"), ctx.template.get("moods")),
        "movement": _pick(_rng(ctx, "movement"), ctx.template.get("movements")),
        "artist_image": artist_image,
    }
    return StepResult(output=output, cost_cents=ctx.provider.cost_cents("prepare", seconds=ctx.video_seconds))


def _allowed_songs(ctx: StepContext) -> list[FileRef]:
    if not ctx.songs:
        raise ValueError("the artist has no songs; upload one")
    wanted = ctx.payload.get("songs")
    if wanted is None:
        return ctx.songs
    # Ids may arrive in upper case; slugs are lower case by construction.
    keys = {str(item).lower() for item in wanted}
    songs = [song for song in ctx.songs if song.id in keys or song.slug in keys]
    if not songs:
        raise ValueError("none of the requested songs is one of the artist's songs; upload a song or change `songs`")
    return songs


def _rng(ctx: StepContext, choice: str) -> random.Random:
    return random.Random(f"{ctx.seed}:{choice}")


def _pick(rng: random.Random, options: list[str] | None) -> str:
    return rng.choice(options) if options else ""
