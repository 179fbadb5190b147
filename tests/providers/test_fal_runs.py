"""A run made with CONTENT_PROVIDER=fal by the runner, against fal.ai faked with respx."""

import pytest

from content.models import Template
from tasks.models import Run
from tasks.runner import execute_run

pytestmark = pytest.mark.django_db


def test_a_run_whose_video_model_keeps_failing_fails_naming_the_step_and_the_model(api, owner, artist, fal, settings):
    settings.CONTENT_PROVIDER = "fal"
    model = settings.FAL_MODELS["video"]
    fal.submit_failures[model] = [500] * 10
    payload = {"lipsync": False, "upscale": False, "caption_length": "short", "songs": None}
    template = Template.objects.get(pk="artist-caption-bedroom")
    run = Run.objects.create(
        account=owner, artist=artist, template=template, payload={**payload, "template": template.pk}, seed=7
    )

    execute_run(run.pk)

    [shown] = api.get(f"/api/tasks/runs?runId={run.pk}").json()["runs"]
    assert shown["status"] == "FAILED"
    assert shown["error"]["step"] == "video" and shown["error"]["name"] == "ProviderError"
    assert shown["error"]["message"] == (
        f"fal.ai model {model} kept failing (HTTP 500 after 3 attempts); fal.ai may be degraded — retry the run later"
    )
    assert [step["status"] for step in shown["steps"]][:5] == ["COMPLETED"] * 4 + ["FAILED"]
    # Whisper, the clip's LLM and the image were paid for; the video that failed was not.
    assert shown["costInCents"] == 1 + 1 + 8
    [image] = fal.bodies(settings.FAL_MODELS["image"])
    assert image["image_urls"][0] == fal.url_of(settings.MEDIA_ROOT / artist.files.get(kind="face_guide").file.name)
