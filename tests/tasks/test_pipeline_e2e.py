"""A run from the API to a postable MP4, with the cluster in sync mode (the worker runs in-process)."""

from pathlib import Path

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django_q.conf import Conf

from content.media import ffmpeg
from tasks.models import Run
from tasks.runner import execute_run
from tests.mp4 import top_level_boxes

# Runs are queued on commit, so these tests commit for real.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


@pytest.fixture
def sync_cluster(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)


def make_video(api, artist, capture, **options) -> dict:
    with capture(execute=True):
        response = api.post(
            "/api/content/create", {"artist_account_id": str(artist.pk), **options}, format="json"
        )
    assert response.status_code == 202, response.content
    [run_id] = response.json()["runIds"]
    [run] = api.get(f"/api/tasks/runs?runId={run_id}").json()["runs"]
    assert run["status"] == "COMPLETED", run["error"]
    return run


def local_file(url: str) -> Path:
    return Path(default_storage.path(url.split("/media/", 1)[1]))


def frame_at(path: Path, seconds: float) -> bytes:
    return ffmpeg.run(["-ss", f"{seconds}", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])


def test_a_triggered_run_ends_as_a_postable_mp4(api, artist, sync_cluster, django_capture_on_commit_callbacks):
    run = make_video(api, artist, django_capture_on_commit_callbacks)
    output = run["output"]
    video = local_file(output["videoUrl"])
    facts = ffmpeg.probe(video)
    assert (facts.width, facts.height) == (720, 1280)
    assert facts.video_codec == "h264" and facts.pix_fmt == "yuv420p"
    assert facts.audio_codec == "aac"
    assert 7.5 <= facts.duration <= 8.5
    boxes = top_level_boxes(video)
    assert boxes.index("moov") < boxes.index("mdat"), "faststart puts the index first"
    assert abs(ffmpeg.loudness(video)["integrated"] - -14.0) <= 1.0
    assert output["bytes"] == video.stat().st_size
    assert (output["width"], output["height"]) == (720, 1280)
    assert output["captionText"]
    assert output["audio"]["songTitle"] == "Neon Hours"
    assert local_file(output["imageUrl"]).exists()
    assert run["progress"] == 100 and run["stage"] == "store"
    assert {step["status"] for step in run["steps"]} == {"COMPLETED"}
    assert run["durationMs"] > 0 and run["attempts"] == 1


def test_the_caption_is_burned_in_inside_the_safe_zone(api, artist, sync_cluster, django_capture_on_commit_callbacks):
    captioned = make_video(api, artist, django_capture_on_commit_callbacks, caption_length="medium")
    # The same run (same seed, so the same scene, clip and motion) without a caption.
    first = Run.objects.get(pk=captioned["id"])
    twin = Run.objects.create(
        account=first.account,
        artist=first.artist,
        template=first.template,
        payload={**first.payload, "caption_length": "none"},
        seed=first.seed,
    )
    execute_run(twin.pk)
    twin.refresh_from_db()
    assert twin.status == "COMPLETED" and twin.output["captionText"] == ""
    a = frame_array(local_file(captioned["output"]["videoUrl"]), 4.0)
    b = frame_array(Path(default_storage.path(twin.output["videoKey"])), 4.0)
    changed = np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 60
    assert changed.mean() > 0.003, "the caption changes the frame"
    ys, xs = np.nonzero(changed)
    height, width = changed.shape
    assert np.quantile(ys, 0.999) < 0.8 * height, "clear of the bottom 20%"
    assert np.quantile(xs, 0.999) < 0.88 * width, "clear of the right 12%"


def frame_array(path: Path, seconds: float) -> np.ndarray:
    return np.frombuffer(frame_at(path, seconds), dtype=np.uint8).reshape(1280, 720, 3)
