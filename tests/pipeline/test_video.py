"""The video: camera motion from the movement words, and the lipsync pulse that follows the clip."""

from pathlib import Path

import numpy as np
import pytest
from django.core.files.storage import default_storage

from content.media import audio, ffmpeg, motion, synth
from content.pipeline import video as video_step
from content.providers.local import LocalProvider
from content.scenes import draw_scene
from content.seed import BEDROOM

SECONDS = 1.5


def to_storage(name: str, path: Path) -> str:
    with open(path, "rb") as handle:
        return default_storage.save(name, handle)


@pytest.fixture(scope="module")
def still(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("video") / "still.png"
    draw_scene(BEDROOM["id"], 1).save(path)
    return path


@pytest.fixture(scope="module")
def static_motion(still, tmp_path_factory) -> np.ndarray:
    return motion_per_frame(make_video(still, tmp_path_factory.mktemp("static") / "static.mp4", "static"))


def make_video(still: Path, out: Path, movement: str, *, seconds: float = SECONDS, sound: Path | None = None) -> Path:
    LocalProvider().make_video(
        image=still, template=BEDROOM, mood="tender", movement=movement, seconds=seconds, seed=5, out=out, audio=sound
    )
    return out


def motion_per_frame(path: Path) -> np.ndarray:
    """Mean absolute change between consecutive frames, on frames shrunk 8x so the fixed sensor
    grain averages out and what is left is the picture moving."""
    frames = ffmpeg.decode_frames(path, width=90, height=160).astype(np.float32)
    return np.abs(np.diff(frames, axis=0)).mean(axis=(1, 2, 3))


class TestCameraPath:
    def test_a_push_in_zooms_toward_the_focus(self):
        path = motion.camera_path("slow push-in on the face", frames=240, focus=(0.5, 0.3))
        assert path.zoom[-1] > path.zoom[0] * 1.08
        assert path.y[-1] < path.y[0]

    def test_a_pull_back_zooms_out(self):
        path = motion.camera_path("slow pull-back to show the room", frames=240)
        assert path.zoom[-1] < path.zoom[0]

    @pytest.mark.parametrize(("movement", "sign"), [("slow pan left", -1), ("slow pan right", 1)])
    def test_pans_move_the_view_sideways(self, movement: str, sign: int):
        path = motion.camera_path(movement, frames=240)
        assert np.sign(path.x[-1] - path.x[0]) == sign

    def test_tilts_move_the_view_up_or_down(self):
        assert motion.camera_path("slight tilt up", frames=240).y[-1] < 0.5
        assert motion.camera_path("slow tilt down to the pillows", frames=240).y[-1] > 0.5

    def test_an_orbit_turns_the_view(self):
        path = motion.camera_path("small orbit around the face", frames=240, seed=1)
        assert abs(path.yaw[-1] - path.yaw[0]) > 0.02

    def test_quick_moves_go_further_than_slight_ones(self):
        quick = motion.camera_path("quick tilt up", frames=240)
        slight = motion.camera_path("slight tilt up", frames=240)
        assert abs(quick.y[-1] - quick.y[0]) > 2 * abs(slight.y[-1] - slight.y[0])

    @pytest.mark.parametrize(
        "movement",
        ["slow push-in", "slow pull-back", "slow pan left", "pan right", "quick tilt up", "handheld shake",
         "gentle sway", "slow orbit", "static", "something else entirely"],
    )  # fmt: skip
    def test_the_view_never_leaves_the_picture(self, movement: str):
        pulse = np.abs(np.sin(np.arange(240) / 5))
        path = motion.camera_path(movement, frames=240, seed=3, focus=(0.5, 0.24), pulse=pulse)
        corners = motion.source_corners(path, 720, 1280)
        assert corners[..., 0].min() >= 0 and corners[..., 0].max() <= 719
        assert corners[..., 1].min() >= 0 and corners[..., 1].max() <= 1279

    def test_the_same_seed_gives_the_same_shake(self):
        one = motion.camera_path("handheld shake", frames=60, seed=9)
        two = motion.camera_path("handheld shake", frames=60, seed=9)
        assert np.array_equal(one.x, two.x) and np.array_equal(one.roll, two.roll)


@pytest.mark.slow
class TestMakeVideo:
    def test_the_video_is_720x1280_30fps_h264_and_as_long_as_asked(self, still, tmp_path):
        out = make_video(still, tmp_path / "v.mp4", "slow push-in", seconds=3.0)
        facts = ffmpeg.probe(out)
        assert (facts.width, facts.height, facts.fps) == (720, 1280, 30.0)
        assert facts.video_codec == "h264" and facts.pix_fmt == "yuv420p"
        assert facts.duration == pytest.approx(3.0, abs=0.05)
        assert facts.audio_codec is None
        assert len(ffmpeg.decode_frames(out, width=9, height=16)) == 90

    @pytest.mark.parametrize(
        "movement",
        ["slow push-in on the face", "slow pull-back", "slow pan left", "slight tilt up", "handheld shake",
         "gentle handheld sway", "small orbit around the face"],
    )  # fmt: skip
    def test_movements_move_and_static_barely_does(self, still, static_motion, tmp_path, movement: str):
        moving = motion_per_frame(make_video(still, tmp_path / "moving.mp4", movement))
        assert moving.min() > 0, "every frame moves"
        assert static_motion.min() > 0, "even a static shot is not frozen"
        assert moving.mean() > 1.8 * static_motion.mean()

    def test_lipsync_carries_the_clip_and_moves_more_when_it_is_loud(self, still, tmp_path):
        # Quiet verse for the first two seconds, loud chorus for the next two.
        song = synth.song_wav(tmp_path / "song.wav", seconds=12, chorus_start=6, chorus_seconds=4)
        clip = tmp_path / "clip.m4a"
        audio.cut_clip(song, start=4.0, seconds=4.0, out=clip)
        out = make_video(still, tmp_path / "lipsync.mp4", "static", seconds=4.0, sound=clip)
        assert ffmpeg.probe(out).audio_codec == "aac"
        assert ffmpeg.loudness(out)["integrated"] > -40, "the clip is audible in the video"
        change = motion_per_frame(out)
        quiet, loud = change[5:55].mean(), change[65:115].mean()
        assert loud > 2 * quiet

    def test_the_record_spins_on_the_record_store_template(self, tmp_path):
        from content.seed import RECORD_STORE

        scene, still = tmp_path / "store.png", tmp_path / "still.png"
        draw_scene(RECORD_STORE["id"], 0).save(scene)
        art = synth.face_guide_png(tmp_path / "art.png", seed=4)
        provider = LocalProvider()
        provider.make_image(
            reference=scene, face_guide=None, artist_image=art, template=RECORD_STORE, mood="warm", seed=1, out=still
        )
        composition = RECORD_STORE["style_rules"]["composition"]
        flat = {key: value for key, value in composition.items() if key != "record_height"}
        still_record = {**RECORD_STORE, "style_rules": {"composition": flat}}
        frames = {}
        for name, template in (("spinning", RECORD_STORE), ("still", still_record)):
            out = tmp_path / f"{name}.mp4"
            provider.make_video(
                image=still, template=template, mood="warm", movement="static overhead", seconds=1.0, seed=1, out=out
            )
            frames[name] = ffmpeg.decode_frames(out, width=720, height=1280, start=0.5, count=1)[0].astype(int)
        changed = np.abs(frames["spinning"] - frames["still"]).max(axis=2) > 40
        ys, xs = np.nonzero(changed)
        cx, cy = composition["subject_center"]
        radius = composition["subject_height"] * 1280 / 2
        assert changed.sum() > 0.2 * np.pi * radius**2, "the label turns"
        assert np.all(np.hypot(xs - cx * 720, ys - cy * 1280) <= radius * 1.1), "and only the label"


@pytest.mark.slow
@pytest.mark.django_db
class TestVideoStep:
    def test_it_animates_the_image_and_says_whether_the_video_has_audio(self, artist, make_context, still, tmp_path):
        ctx = make_context(artist, lipsync=True)
        ctx.video_seconds = SECONDS
        song = synth.song_wav(tmp_path / "song.wav", seconds=4)
        clip = tmp_path / "clip.m4a"
        audio.cut_clip(song, start=0.0, seconds=SECONDS, out=clip)
        ctx.outputs = {
            "prepare": {"mood": "tender", "movement": "handheld shake"},
            "image": {"image": to_storage("runs/test/image.png", still)},
            "clip": {"audio": to_storage("runs/test/clip.m4a", clip)},
        }
        result = video_step.run(ctx)
        assert result.output["video"] == f"runs/{ctx.run_id}/video.mp4"
        assert result.output["has_audio"] is True
        assert ffmpeg.probe(Path(default_storage.path(result.output["video"]))).audio_codec == "aac"
