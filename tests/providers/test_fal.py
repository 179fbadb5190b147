"""The fal provider against fal.ai's HTTP API faked with respx (tests/providers/conftest.py)."""

import math
import threading
from pathlib import Path

import pytest
from PIL import Image

from content.media import audio, ffmpeg
from content.providers.base import ProviderError
from content.providers.fal import FalProvider
from content.providers.local_captions import compose_caption
from tests.conftest import CHORUS_START
from tests.providers.conftest import TEMPLATE


class RunCanceled(Exception):
    pass


@pytest.fixture
def reference(tmp_path) -> Path:
    path = tmp_path / "reference.png"
    Image.new("RGB", (720, 1280), (20, 20, 60)).save(path)
    return path


@pytest.fixture
def models(settings) -> dict[str, str]:
    return settings.FAL_MODELS


def make_image(provider: FalProvider, assets, reference: Path, out: Path) -> None:
    provider.make_image(
        reference=reference,
        face_guide=assets["face"],
        artist_image=None,
        template=TEMPLATE,
        mood="melancholic",
        seed=7,
        out=out,
    )


def make_video(provider: FalProvider, image: Path, out: Path, audio_clip: Path | None = None) -> None:
    provider.make_video(
        image=image,
        template=TEMPLATE,
        mood="melancholic",
        movement="slow push-in",
        seconds=8.0,
        seed=7,
        out=out,
        audio=audio_clip,
    )


def answer_llm(fal, models, text: str) -> None:
    fal.results[models["llm"]] = lambda body: {"output": text, "partial": False, "error": None}


def test_the_image_and_video_requests_carry_the_face_guide_the_scene_and_the_arguments(
    fal, models, assets, reference, tmp_path
):
    provider = FalProvider()
    image = tmp_path / "image.png"
    make_image(provider, assets, reference, image)

    [body] = fal.bodies(models["image"])
    assert body["image_urls"] == [fal.url_of(assets["face"]), fal.url_of(reference)]
    assert TEMPLATE["image_prompt"] in body["prompt"] and "melancholic" in body["prompt"]
    assert "front phone camera at arm's length" in body["prompt"]
    assert body | {"prompt": "", "image_urls": []} == {
        "prompt": "",
        "image_urls": [],
        "num_images": 1,
        "aspect_ratio": "9:16",
        "output_format": "png",
        "resolution": "1K",
    }
    with Image.open(image) as made:
        # nano-banana's 768x1344 is not exactly 9:16: centre-cropped to it.
        assert made.format == "PNG" and made.size == (756, 1344)

    video = tmp_path / "video.mp4"
    make_video(provider, image, video)

    [body] = fal.bodies(models["video"])
    assert body["image_url"] == fal.url_of(image)
    assert "slow push-in" in body["prompt"] and "melancholic" in body["prompt"]
    assert (body["duration"], body["resolution"], body["aspect_ratio"]) == ("8s", "720p", "9:16")
    assert body["generate_audio"] is False and "audio_url" not in body
    assert ffmpeg.probe(video).video_codec == "h264"
    assert {headers["authorization"] for headers in fal.queue_headers} == {"Key test-key"}
    assert provider.cost_cents("image", seconds=8) == 8
    assert provider.cost_cents("video", seconds=8) == 80


def test_a_template_without_the_face_guide_sends_the_scene_and_the_artists_artwork(fal, models, reference, tmp_path):
    album = tmp_path / "album.png"
    Image.new("RGB", (600, 600), (200, 30, 30)).save(album)

    FalProvider().make_image(
        reference=reference,
        face_guide=None,
        artist_image=album,
        template={**TEMPLATE, "uses_face_guide": False, "uses_artist_image": True},
        mood="warm",
        seed=7,
        out=tmp_path / "image.png",
    )

    [body] = fal.bodies(models["image"])
    assert body["image_urls"] == [fal.url_of(reference), fal.url_of(album)]
    assert "The second image is the artist's artwork" in body["prompt"]
    assert "face" not in body["prompt"]


def test_lipsync_sends_the_cut_clip_and_never_the_song(fal, models, assets, reference, tmp_path):
    clip = tmp_path / "clip.m4a"
    audio.cut_clip(assets["song"], start=CHORUS_START, seconds=8.0, out=clip)
    image = tmp_path / "image.png"
    Image.new("RGB", (720, 1280), (200, 120, 90)).save(image)
    provider = FalProvider()

    make_video(provider, image, tmp_path / "video.mp4", audio_clip=clip)

    assert fal.bodies(models["video"]) == []
    [body] = fal.bodies(models["lipsync"])
    assert body["audio_url"] == fal.url_of(clip)
    assert body["image_url"] == fal.url_of(image)
    assert "sings" in body["prompt"]
    song = assets["song"].read_bytes()
    assert all(data != song for _, data in fal.uploads)
    assert provider.cost_cents("video", seconds=8) == 80  # the lipsync model's price


def test_upscaling_sends_the_image_and_the_video_with_factor_2(fal, models, tmp_path):
    small = tmp_path / "small.png"
    Image.new("RGB", (720, 1280), (10, 90, 40)).save(small)
    clip = tmp_path / "small.mp4"
    clip.write_bytes(fal.media["video"])
    provider = FalProvider()

    provider.upscale_image(src=small, out=tmp_path / "big.png")
    provider.upscale_video(src=clip, out=tmp_path / "big.mp4")

    assert fal.bodies(models["upscale_image"]) == [{"image_url": fal.url_of(small), "upscale_factor": 2.0}]
    assert fal.bodies(models["upscale_video"]) == [{"video_url": fal.url_of(clip), "upscale_factor": 2.0}]
    with Image.open(tmp_path / "big.png") as big:
        assert big.format == "PNG" and big.width * 16 == big.height * 9
    assert ffmpeg.probe(tmp_path / "big.mp4").video_codec == "h264"


def test_a_batch_of_30_uploads_the_face_guide_and_the_reference_once(fal, models, assets, reference, tmp_path):
    # Already 9:16 and RGB, so that the 30 results need no re-encoding: the test is about uploads.
    fal.media = {**fal.media, "image": reference.read_bytes()}
    for index in range(30):
        make_image(FalProvider(), assets, reference, tmp_path / f"image-{index}.png")

    assert len(fal.bodies(models["image"])) == 30
    assert sorted(name for name, _ in fal.uploads) == sorted([assets["face"].name, reference.name])


def test_concurrent_workers_share_one_upload_of_each_file(fal, models, assets, reference, tmp_path, settings):
    # Redis in production; locmem here, whose add() is atomic across threads like Redis's.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            make_image(FalProvider(), assets, reference, tmp_path / f"image-{index}.png")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(fal.bodies(models["image"])) == 8
    assert len(fal.uploads) == 2


def test_a_429_is_retried_until_fal_accepts_the_request(fal, models, assets, reference, tmp_path):
    fal.submit_failures[models["image"]] = [429]

    make_image(FalProvider(), assets, reference, tmp_path / "image.png")

    assert fal.submit_attempts.count(models["image"]) == 2
    assert len(fal.bodies(models["image"])) == 1


def test_a_failing_status_poll_is_retried_without_submitting_again(fal, models, assets, reference, tmp_path):
    fal.status_failures[models["image"]] = [503]

    make_image(FalProvider(), assets, reference, tmp_path / "image.png")

    assert len(fal.bodies(models["image"])) == 1
    assert fal.cancels == []


@pytest.mark.parametrize("where", ["submit", "result"])
def test_500s_until_the_retry_budget_runs_out_fail_naming_the_model(fal, models, reference, tmp_path, where):
    model = models["video"]
    failures = fal.submit_failures if where == "submit" else fal.result_failures
    failures[model] = [500] * 10

    with pytest.raises(ProviderError) as caught:
        make_video(FalProvider(), reference, tmp_path / "video.mp4")

    # FAL_MAX_RETRIES is 2 here: three attempts in all.
    assert fal.submit_attempts.count(model) == 3
    message = str(caught.value)
    assert f"fal.ai model {model} kept failing (HTTP 500 after 3 attempts)" in message
    assert "retry the run later" in message and "test-key" not in message
    assert caught.value.model == model and caught.value.retryable


def test_a_request_rejected_as_invalid_is_not_retried(fal, models, reference, tmp_path):
    model = models["video"]
    fal.result_failures[model] = [422]

    with pytest.raises(ProviderError) as caught:
        make_video(FalProvider(), reference, tmp_path / "video.mp4")

    assert fal.submit_attempts.count(model) == 1
    assert f"fal.ai model {model} rejected the request (HTTP 422: fal says 422)" in str(caught.value)
    assert not caught.value.retryable


def test_a_request_over_its_step_time_limit_is_cancelled_at_fal(fal, models, reference, tmp_path, settings):
    settings.FAL_STEP_TIMEOUT_SECONDS = {**settings.FAL_STEP_TIMEOUT_SECONDS, "video": 0.2}
    model = models["video"]
    fal.pending[model] = math.inf

    with pytest.raises(ProviderError) as caught:
        make_video(FalProvider(), reference, tmp_path / "video.mp4")

    assert fal.cancels == fal.request_ids(model)
    assert f"fal.ai model {model} did not finish within 0.2 s, the video step's time limit" in str(caught.value)
    assert "FAL_TIMEOUT_VIDEO_SECONDS" in str(caught.value)
    assert not (tmp_path / "video.mp4").exists()


def test_a_run_canceled_while_waiting_cancels_the_request_at_fal(fal, models, reference, tmp_path):
    model = models["video"]
    fal.pending[model] = math.inf
    polls = []

    def on_wait() -> None:
        polls.append(1)
        if len(polls) == 3:
            raise RunCanceled

    with pytest.raises(RunCanceled):
        make_video(FalProvider(on_wait=on_wait), reference, tmp_path / "video.mp4")

    assert fal.cancels == fal.request_ids(model)


def test_a_result_that_is_not_an_image_is_refused(fal, models, assets, reference, tmp_path):
    fal.results[models["image"]] = lambda body: {"images": [fal.serve("image", content_type="text/html")]}

    with pytest.raises(ProviderError, match=r"returned text/html instead of an image"):
        make_image(FalProvider(), assets, reference, tmp_path / "image.png")

    assert not (tmp_path / "image.png").exists()


def test_an_empty_fal_key_fails_the_step_with_what_to_set(fal, assets, reference, tmp_path, settings):
    settings.FAL_KEY = ""

    with pytest.raises(ProviderError, match=r"FAL_KEY is empty: set FAL_KEY to a fal.ai API key"):
        make_image(FalProvider(), assets, reference, tmp_path / "image.png")

    assert fal.uploads == [] and fal.submit_attempts == []


def test_transcribe_asks_whisper_for_words_once_per_song(fal, models, assets):
    fal.results[models["transcribe"]] = lambda body: {
        "text": " neon hours neon",
        "chunks": [
            {"timestamp": [14.0, 14.4], "text": " neon"},
            {"timestamp": [14.4, 15.1], "text": " hours"},
            {"timestamp": [15.3, None], "text": " neon"},
        ],
    }
    first = FalProvider()

    lyrics = "[Chorus]\n[00:14.00]neon hours\n[00:16.00]neon <00:16.50>hours"
    transcript = first.transcribe(song=assets["song"], lyrics=lyrics)
    again = FalProvider()
    assert again.transcribe(song=assets["song"], lyrics=lyrics) == transcript

    assert transcript == {
        "text": "neon hours neon",
        "words": [
            {"text": "neon", "start": 14.0, "end": 14.4},
            {"text": "hours", "start": 14.4, "end": 15.1},
            {"text": "neon", "start": 15.3, "end": 15.8},
        ],
    }
    [body] = fal.bodies(models["transcribe"])
    assert body == {
        "task": "transcribe",
        "chunk_level": "word",
        "version": "3",
        "audio_url": fal.url_of(assets["song"]),
        "prompt": "neon hours neon hours",
    }
    assert (first.cost_cents("transcribe", seconds=30), again.cost_cents("transcribe", seconds=30)) == (1, 0)


def chorus_transcript() -> dict:
    """A verse at 2 s, then the chorus line sung twice from 14 s: the hook."""
    words = []
    for start, line in [(2.0, "walking home alone"), (14.0, "neon hours"), (16.0, "neon hours"), (18.0, "stay")]:
        for index, text in enumerate(line.split()):
            words.append({"text": text, "start": start + index * 0.4, "end": start + index * 0.4 + 0.35})
    return {"text": "", "words": words}


def test_the_clip_answer_is_validated_and_ranked_by_hook(fal, models, assets):
    answer_llm(fal, models, '```json\n{"starts": [500, "0:02", 14.0, -1]}\n```')

    start = FalProvider().choose_clip(
        song=assets["song"], song_seconds=30.0, clip_seconds=8.0, transcript=chorus_transcript()
    )

    assert start == 14.0
    [body] = fal.bodies(models["llm"])
    assert body["model"] == "google/gemini-2.5-flash"
    assert "[14.0] neon hours" in body["prompt"] and "between 0 and 22.0" in body["prompt"]


@pytest.mark.parametrize("answer", ["The chorus, around the middle!", '{"starts": [999, -3]}', ""])
def test_a_malformed_clip_answer_falls_back_to_the_loudest_window(fal, models, assets, answer):
    answer_llm(fal, models, answer)
    provider = FalProvider()

    start = provider.choose_clip(
        song=assets["song"], song_seconds=30.0, clip_seconds=8.0, transcript=chorus_transcript()
    )

    assert start == audio.loudest_window(assets["song"], 8.0)
    assert abs(start - CHORUS_START) < 1.0
    assert len(fal.bodies(models["llm"])) == 1


def write_caption(provider: FalProvider, length: str = "short") -> str:
    return provider.write_caption(
        template=TEMPLATE,
        length=length,
        mood="melancholic",
        clip_lyrics="neon hours\nneon hours",
        song_title="Neon Hours",
        artist_name="Nova Vale",
        seed=7,
    )


@pytest.mark.parametrize(
    ("answer", "caption"),
    [
        ('Caption: "**neon hours again** 🌙 #newmusic"', "neon hours again"),
        ("- line one\n- line two\n- line three", "line one\nline two"),
        ("the lamp stays on and i stay up and neither of us is sorry", "the lamp stays on and i stay up and"),
    ],
)
def test_the_caption_is_cleaned_to_the_guide(fal, models, answer, caption):
    answer_llm(fal, models, answer)

    assert write_caption(FalProvider()) == caption
    [body] = fal.bodies(models["llm"])
    assert "deadpan, lowercase" in body["prompt"] and "at most 40 characters" in body["prompt"]
    assert "i keep the lights on for you" in body["prompt"]


@pytest.mark.parametrize("answer", ["🌙✨🎧", "I'm sorry, I can't help with that.", "i keep the lights on for you"])
def test_an_unusable_caption_falls_back_to_the_local_composer(fal, models, answer):
    answer_llm(fal, models, answer)

    assert write_caption(FalProvider()) == compose_caption(
        template=TEMPLATE,
        length="short",
        mood="melancholic",
        clip_lyrics="neon hours\nneon hours",
        song_title="Neon Hours",
        artist_name="Nova Vale",
        seed=7,
    )


def test_the_price_table_prices_a_run_before_it_starts():
    provider = FalProvider()

    assert provider.cost_cents("lipsync", seconds=8) == 80
    assert provider.cost_cents("upscale_video", seconds=8) == 72
    assert provider.cost_cents("render", seconds=8) == 0
