"""The content pipeline of SPEC section 9: one module a step, run in this order.

A step is a function `run(ctx: StepContext) -> StepResult`. The runner
(tasks.runner) persists each step's output and reuses it on retry; a step reads
earlier outputs from `ctx.outputs[<step name>]`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from content.pipeline import caption, clip, image, prepare, render, store, transcribe, upscale, video
from content.pipeline.context import FileRef, StepContext, StepResult

__all__ = ["STEPS", "Step", "StepContext", "StepResult", "FileRef", "steps_for"]


@dataclass(frozen=True)
class Step:
    name: str
    # Share of the run's progress bar.
    weight: int
    run: Callable[[StepContext], StepResult]
    only_when_upscale: bool = False


STEPS: list[Step] = [
    Step("prepare", 2, prepare.run),
    Step("transcribe", 6, transcribe.run),
    Step("clip", 6, clip.run),
    Step("image", 14, image.run),
    Step("upscale_image", 6, upscale.run_image, only_when_upscale=True),
    Step("video", 34, video.run),
    Step("upscale_video", 12, upscale.run_video, only_when_upscale=True),
    Step("caption", 4, caption.run),
    Step("render", 14, render.run),
    Step("store", 2, store.run),
]


def steps_for(payload: dict) -> list[Step]:
    return [step for step in STEPS if payload.get("upscale") or not step.only_when_upscale]
