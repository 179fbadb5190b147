"""The local provider: every generative call made offline, deterministic for a seed."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from content.media import ffmpeg, synth
from content.providers import get_provider
from content.providers.local import LocalProvider
from content.scenes import draw_scene
from content.seed import BEDROOM

STEPS = [
    "prepare",
    "transcribe",
    "clip",
    "image",
    "upscale_image",
    "video",
    "upscale_video",
    "caption",
    "render",
    "store",
]


@pytest.fixture(scope="module")
def song(tmp_path_factory) -> Path:
    return synth.song_wav(tmp_path_factory.mktemp("song") / "song.wav", seconds=30, chorus_start=14, chorus_seconds=8)


def test_it_is_the_default_provider_and_costs_nothing(settings):
    settings.CONTENT_PROVIDER = "local"
    provider = get_provider()
    assert isinstance(provider, LocalProvider) and provider.name == "local"
    assert all(provider.cost_cents(step, seconds=8.0) == 0 for step in STEPS)


def test_it_transcribes_from_the_uploaded_lyrics(song):
    transcript = LocalProvider().transcribe(song=song, lyrics=synth.song_lyrics_lrc(30, 14, 8))
    assert "turn it up" in transcript["text"]
    chorus = [word for word in transcript["words"] if 14 <= word["start"] < 22]
    assert chorus and all(word["end"] >= word["start"] for word in transcript["words"])


def test_it_chooses_the_loud_chorus_as_the_clip(song):
    start = LocalProvider().choose_clip(
        song=song, song_seconds=30, clip_seconds=8, transcript={"text": "", "words": []}
    )
    assert abs(start - 14) <= 0.5


def test_it_writes_a_caption_in_the_templates_voice_within_the_length(song):
    provider = LocalProvider()
    for length in ("short", "medium", "long"):
        text = provider.write_caption(
            template=BEDROOM, length=length, mood="tender", clip_lyrics="turn it up turn it up",
            song_title="Neon Hours", artist_name="Nova Vale", seed=4,
        )  # fmt: skip
        assert 0 < len(text) <= BEDROOM["caption_guide"]["max_chars"][length]


@pytest.mark.slow
def test_the_same_seed_makes_the_same_image_and_video(tmp_path):
    provider = LocalProvider()
    scene = tmp_path / "scene.png"
    draw_scene(BEDROOM["id"], 2).save(scene)
    face = synth.face_guide_png(tmp_path / "face.png", seed=5)
    made = []
    for attempt in range(2):
        image, video = tmp_path / f"image{attempt}.png", tmp_path / f"video{attempt}.mp4"
        provider.make_image(
            reference=scene, face_guide=face, artist_image=None, template=BEDROOM, mood="numb", seed=8, out=image
        )
        provider.make_video(
            image=image, template=BEDROOM, mood="numb", movement="gentle handheld sway", seconds=1.0, seed=8, out=video
        )
        made.append((image.read_bytes(), ffmpeg.decode_frames(video, width=180, height=320)))
    assert made[0][0] == made[1][0]
    assert np.array_equal(made[0][1], made[1][1])


@pytest.mark.slow
def test_upscaling_doubles_the_image_with_a_sharp_scaler(tmp_path):
    src, out = tmp_path / "image.png", tmp_path / "big.png"
    draw_scene(BEDROOM["id"], 0).save(src)
    LocalProvider().upscale_image(src=src, out=out)
    with Image.open(out) as big, Image.open(src) as small:
        assert big.size == (1440, 2560)
        back = np.asarray(big.convert("RGB").resize(small.size, Image.Resampling.BOX)).astype(int)
        assert np.abs(back - np.asarray(small.convert("RGB")).astype(int)).mean() < 3


@pytest.mark.slow
def test_upscaling_doubles_the_video_and_keeps_its_audio(tmp_path):
    src, out = tmp_path / "video.mp4", tmp_path / "big.mp4"
    ffmpeg.run([
        "-f", "lavfi", "-i", "testsrc2=size=720x1280:rate=30:duration=1",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-pix_fmt", "yuv420p", "-c:a", "aac", src,
    ])  # fmt: skip
    LocalProvider().upscale_video(src=src, out=out)
    facts = ffmpeg.probe(out)
    assert (facts.width, facts.height) == (1440, 2560)
    assert facts.video_codec == "h264" and facts.pix_fmt == "yuv420p" and facts.audio_codec == "aac"
    assert facts.duration == pytest.approx(1.0, abs=0.1)


def test_each_heavy_call_gives_the_runner_a_chance_to_cancel(tmp_path):
    calls = []
    provider = LocalProvider(on_wait=lambda: calls.append(1))
    src, out = tmp_path / "image.png", tmp_path / "big.png"
    Image.new("RGB", (36, 64)).save(src)
    provider.upscale_image(src=src, out=out)
    assert calls
