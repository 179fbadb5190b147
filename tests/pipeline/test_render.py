"""The render and store steps: a postable MP4 from the video, the caption and the song clip."""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from django.core.files.storage import default_storage

from content.media import audio, ffmpeg, loudness, synth
from content.media.overlay import SAFE_ZONE
from content.pipeline import render as render_step
from content.pipeline import store as store_step
from content.providers.local import LocalProvider
from content.scenes import draw_scene
from content.seed import BEDROOM
from tests.mp4 import top_level_boxes

pytestmark = pytest.mark.slow

SECONDS = 8.0
CAPTION = "made this at 3am and it shows. don't tell my mum. the lamp is doing most of the work here."


def to_storage(name: str, path: Path) -> str:
    with open(path, "rb") as handle:
        return default_storage.save(name, handle)


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict[str, Path]:
    """An 8-s video from the local provider; cheap stand-ins (a flat video, one with the clip
    baked in as a lipsync model would) where only the audio matters; clips of the song."""
    folder = tmp_path_factory.mktemp("render")
    provider = LocalProvider()
    scene, image = folder / "scene.png", folder / "image.png"
    draw_scene(BEDROOM["id"], 0).save(scene)
    face = synth.face_guide_png(folder / "face.png", seed=1)
    provider.make_image(
        reference=scene, face_guide=face, artist_image=None, template=BEDROOM, mood="tender", seed=3, out=image
    )
    video = folder / "video.mp4"
    provider.make_video(
        image=image, template=BEDROOM, mood="tender", movement="slow push-in", seconds=SECONDS, seed=3, out=video
    )
    song = synth.song_wav(folder / "song.wav", seconds=24, chorus_start=12, chorus_seconds=8)
    clips = {}
    for name, start in (("chorus", 12.0), ("verse", 2.0)):
        clips[name] = folder / f"{name}.m4a"
        audio.cut_clip(song, start=start, seconds=SECONDS, out=clips[name])
    # A hot master: the chorus 9 dB up into a hard clip, peaks at full scale.
    clips["hot"] = folder / "hot.m4a"
    ffmpeg.run(["-i", clips["chorus"], "-af", "volume=9dB,alimiter=limit=1:level=false", "-c:a", "aac", clips["hot"]])
    clips["silence"] = folder / "silence.m4a"
    ffmpeg.run(["-f", "lavfi", "-i", f"anullsrc=r=44100:cl=stereo:d={SECONDS}", "-c:a", "aac", clips["silence"]])
    flat, lipsync = folder / "flat.mp4", folder / "lipsync.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", f"color=c=0x503060:s=360x640:r=30:d={SECONDS}", "-pix_fmt", "yuv420p", flat])
    # A lipsync model's audio, not mastered: the chorus as it was cut.
    ffmpeg.run(["-i", flat, "-i", clips["chorus"], "-c:v", "copy", "-c:a", "aac", "-shortest", lipsync])
    # The render takes the clip as the clip step leaves it: mastered.
    mastered = {name: folder / f"{name}-mastered.m4a" for name in clips}
    for name, clip in clips.items():
        loudness.master(clip, mastered[name], seconds=SECONDS)
    return {"video": video, "flat": flat, "lipsync": lipsync, **mastered}


def render(media: dict, out: Path, *, video: str = "video", clip: str = "chorus", caption: str = CAPTION,
           lipsync: bool = False, width: int = 720, height: int = 1280, seconds: float = SECONDS) -> dict:  # fmt: skip
    return render_step.render(
        video=media[video], clip=media[clip], keep_video_audio=lipsync, caption=caption,
        seconds=seconds, width=width, height=height, out=out,
    )  # fmt: skip


@pytest.fixture(scope="module")
def rendered(media, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rendered")
    outs = {"captioned": folder / "captioned.mp4", "plain": folder / "plain.mp4"}
    render(media, outs["captioned"])
    render(media, outs["plain"], caption="")
    return outs


def loudnorm_analysis(path: Path) -> dict:
    """A second opinion on loudness: loudnorm's own analysis, independent of the ebur128 meter
    that ffmpeg.loudness (and the render) use."""
    cmd = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-vn"]
    text = subprocess.run(
        [*cmd, "-af", "loudnorm=print_format=json", "-f", "null", "-"], capture_output=True, text=True
    ).stderr
    data = json.loads(text[text.rfind("{") : text.rfind("}") + 1])
    return {"integrated": float(data["input_i"]), "true_peak": float(data["input_tp"])}


def test_the_mp4_is_720x1280_h264_yuv420p_with_aac_and_faststart(rendered):
    facts = ffmpeg.probe(rendered["captioned"])
    assert (facts.width, facts.height) == (720, 1280)
    assert facts.video_codec == "h264" and facts.pix_fmt == "yuv420p"
    assert facts.audio_codec == "aac"
    assert 7.5 <= facts.duration <= 8.5
    assert facts.duration == pytest.approx(SECONDS, abs=0.05), "exactly the clip's length"
    boxes = top_level_boxes(rendered["captioned"])
    assert boxes.index("moov") < boxes.index("mdat"), "faststart puts the index first"


@pytest.mark.parametrize("clip", ["chorus", "verse", "hot"])
def test_the_audio_is_normalised_to_minus_14_lufs_under_minus_1_dbtp(media, rendered, tmp_path, clip: str):
    out = rendered["captioned"] if clip == "chorus" else tmp_path / "out.mp4"
    if clip != "chorus":
        render(media, out, video="flat", clip=clip)
    for measured in (ffmpeg.loudness(out), loudnorm_analysis(out)):
        assert abs(measured["integrated"] - -14.0) <= 1.0
        assert measured["true_peak"] <= -1.0


def test_a_caption_changes_the_frames_only_inside_the_safe_zone(rendered):
    with_caption = ffmpeg.decode_frames(rendered["captioned"], width=720, height=1280, start=4.0, count=1)[0]
    without = ffmpeg.decode_frames(rendered["plain"], width=720, height=1280, start=4.0, count=1)[0]
    changed = np.abs(with_caption.astype(int) - without.astype(int)).max(axis=2) > 60
    assert changed.mean() > 0.003, "the caption is burned in"
    ys, xs = np.nonzero(changed)
    assert ys.max() < SAFE_ZONE.bottom * 1280 and xs.max() < SAFE_ZONE.right * 720


def test_there_are_no_black_or_frozen_frames(rendered):
    frames = ffmpeg.decode_frames(rendered["captioned"], width=90, height=160).astype(np.float32)
    assert len(frames) == round(SECONDS * 30)
    assert frames.mean(axis=(1, 2, 3)).min() > 16, "no black frame"
    assert np.abs(np.diff(frames, axis=0)).mean(axis=(1, 2, 3)).min() > 0.05, "no frozen frame"


def test_lipsync_keeps_the_videos_own_audio(media, tmp_path):
    out = tmp_path / "out.mp4"
    # Were the silent clip laid over the video, the result would be silent.
    render(media, out, video="lipsync", clip="silence", lipsync=True)
    assert abs(ffmpeg.loudness(out)["integrated"] - -14.0) <= 1.0


def test_a_lipsync_video_without_audio_gets_the_clip(media, tmp_path):
    out = tmp_path / "out.mp4"
    render(media, out, video="flat", clip="chorus", lipsync=True, seconds=2.0)
    assert ffmpeg.probe(out).audio_codec == "aac"
    assert abs(ffmpeg.loudness(out)["integrated"] - -14.0) <= 1.0


def test_a_slightly_short_video_is_slowed_to_the_clips_length_not_frozen(media, tmp_path):
    short = tmp_path / "short.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", "testsrc2=size=360x640:rate=30:duration=3.8", "-pix_fmt", "yuv420p", short])
    out = tmp_path / "out.mp4"
    render({**media, "short": short}, out, video="short", seconds=4.0)
    assert ffmpeg.probe(out).duration == pytest.approx(4.0, abs=0.05)
    tail = ffmpeg.decode_frames(out, width=90, height=160, start=3.5).astype(np.float32)
    assert np.abs(np.diff(tail, axis=0)).mean(axis=(1, 2, 3)).min() > 0.05


def test_a_landscape_video_is_cropped_to_9_16(media, tmp_path):
    wide = tmp_path / "wide.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=24:duration=2", "-pix_fmt", "yuv420p", wide])
    out = tmp_path / "out.mp4"
    render({**media, "wide": wide}, out, video="wide", seconds=2.0)
    facts = ffmpeg.probe(out)
    assert (facts.width, facts.height) == (720, 1280)


@pytest.mark.django_db
def test_the_render_and_store_steps_make_the_runs_output(artist, make_context, media):
    ctx = make_context(artist, caption_length="medium")
    ctx.video_seconds = 2.0
    song = ctx.songs[0]
    ctx.outputs = {
        "prepare": {"song_id": song.id, "mood": "tender", "movement": "slow push-in", "reference_image": "x"},
        "clip": {
            "start": 14.0, "seconds": SECONDS, "lyrics": "turn it up", "mood": "euphoric",
            "audio": to_storage("runs/t/clip.m4a", media["chorus"]),
        },
        "image": {"image": "runs/t/image.png"},
        "video": {"video": to_storage("runs/t/video.mp4", media["video"]), "has_audio": False},
        "caption": {"text": CAPTION},
    }  # fmt: skip
    rendered = render_step.run(ctx)
    assert rendered.output["video"] == f"runs/{ctx.run_id}/final.mp4"
    assert rendered.output["width"] == 720 and rendered.output["height"] == 1280
    assert rendered.output["durationSeconds"] == pytest.approx(2.0, abs=0.05)
    assert rendered.output["bytes"] == default_storage.size(rendered.output["video"])
    ctx.outputs["render"] = rendered.output

    stored = store_step.run(ctx).output
    assert stored["videoKey"] == f"runs/{ctx.run_id}/{ctx.run_id}.mp4"
    assert default_storage.size(stored["videoKey"]) == stored["bytes"] > 10_000
    assert stored["imageKey"] == "runs/t/image.png"
    assert stored["captionText"] == CAPTION
    assert stored["audio"] == {
        "songId": song.id, "songTitle": song.title, "startSeconds": 14.0, "durationSeconds": SECONDS,
        "clipLyrics": "turn it up", "clipMood": "euphoric",
    }  # fmt: skip
    assert (stored["mood"], stored["movement"], stored["template"], stored["lipsync"]) == (
        "tender", "slow push-in", ctx.template["id"], False,
    )  # fmt: skip
    assert (stored["width"], stored["height"], stored["durationSeconds"]) == (
        720,
        1280,
        rendered.output["durationSeconds"],
    )


@pytest.mark.django_db
def test_an_upscaled_run_renders_at_1440x2560(artist, make_context, media, tmp_path):
    ctx = make_context(artist, upscale=True)
    ctx.video_seconds = 1.0
    short = tmp_path / "short.mp4"
    ffmpeg.run(["-i", media["video"], "-t", "1", "-vf", "scale=1440:2560", "-preset", "ultrafast", "-an", short])
    ctx.outputs = {
        "clip": {"audio": to_storage("runs/t/clip.m4a", media["chorus"])},
        "video": {"video": "runs/t/small.mp4"},
        "upscale_video": {"video": to_storage("runs/t/big.mp4", short)},
        "caption": {"text": "i keep the lights on for you"},
    }
    output = render_step.run(ctx).output
    assert (output["width"], output["height"]) == (1440, 2560)
    assert output["durationSeconds"] == pytest.approx(1.0, abs=0.05)


def test_an_encoder_overshoot_is_caught_and_the_audio_redone(tmp_path, monkeypatch):
    song = synth.song_wav(tmp_path / "song.wav", seconds=24, chorus_start=12, chorus_seconds=8)
    chorus, out = tmp_path / "chorus.m4a", tmp_path / "mastered.m4a"
    audio.cut_clip(song, start=12.0, seconds=SECONDS, out=chorus)
    # A limiter at full scale stands in for an encoder that overshoots it: the peaks land too high.
    monkeypatch.setattr(loudness, "CEILING_DB", 0.0)
    encode, encodes = loudness._encode, []
    monkeypatch.setattr(loudness, "_encode", lambda *args: encodes.append(encode(*args)))
    loudness.master(chorus, out, seconds=SECONDS)
    assert len(encodes) == 2, "the first encode's true peak was over -1 dBTP, so the audio was encoded again"
    measured = ffmpeg.loudness(out)
    assert measured["true_peak"] <= -1.0
    assert abs(measured["integrated"] - -14.0) <= 1.0


def test_the_mastered_clip_goes_into_the_video_as_it_is(media, tmp_path):
    out = tmp_path / "out.mp4"
    render(media, out, video="flat", clip="hot")
    ours = ffmpeg.run(["-i", media["hot"], "-map", "0:a:0", "-c", "copy", "-f", "adts", "-"])
    delivered = ffmpeg.run(["-i", out, "-map", "0:a:0", "-c", "copy", "-f", "adts", "-"])
    assert delivered == ours, "the audio was encoded a second time"
