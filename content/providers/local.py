"""The offline provider: real media made on this machine with Pillow and ffmpeg, no keys.

Deterministic for a run's seed: the same inputs and seed give the same bytes, so a retried
step or a re-run with another caption reproduces the same picture and motion."""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from content.media import audio as audio_media
from content.media import ffmpeg, images, motion
from content.media.cpu import cpu_slot
from content.media.lyrics import transcript_from_lyrics
from content.providers.base import WaitHook
from content.providers.local_captions import compose_caption

WIDTH, HEIGHT = images.FRAME
# Where the subject goes when a template does not say.
DEFAULT_COMPOSITION = {"subject_center": [0.5, 0.42], "subject_height": 0.2}
# The intermediate video is decoded and encoded again by the render step: spend bits, not time.
# superfast with fastdecode (no CABAC, no deblocking) costs the least CPU over both steps.
VIDEO_X264 = ["-c:v", "libx264", "-preset", "superfast", "-tune", "fastdecode", "-crf", "20", "-pix_fmt", "yuv420p"]
# Fixed-pattern sensor grain on the luma. Grain that changes every frame costs the encoder about
# as much again as the picture and is mostly quantised away at these rates: it would buy nothing.
GRAIN = "noise=c0s=4:all_seed={seed}"
# A record on a turntable turns at 33 1/3 rpm.
RECORD_RADIANS_PER_SECOND = 33.333 / 60 * 2 * np.pi


class LocalProvider:
    name = "local"

    def __init__(self, *, on_wait: WaitHook | None = None):
        self.on_wait = on_wait

    def transcribe(self, *, song: Path, lyrics: str) -> dict:
        return transcript_from_lyrics(lyrics, ffmpeg.probe(song).duration or 0.0)

    def choose_clip(self, *, song: Path, song_seconds: float, clip_seconds: float, transcript: dict) -> float:
        return audio_media.loudest_window(song, clip_seconds)

    @cpu_slot()
    def make_image(
        self,
        *,
        reference: Path,
        face_guide: Path | None,
        artist_image: Path | None,
        template: dict,
        mood: str,
        seed: int,
        out: Path,
    ) -> None:
        self._tick()
        composition = _composition(template)
        center = (float(composition["subject_center"][0]), float(composition["subject_center"][1]))
        size = float(composition["subject_height"])
        scene = images.fit_cover(_open(reference))
        if face_guide is not None and template.get("uses_face_guide", True):
            scene = images.composite_face(scene, _open(face_guide), center=center, face_height=size)
        elif artist_image is not None:
            round_label = "record_height" in composition
            scene = images.place_artwork(scene, _open(artist_image), center=center, size=size, round_label=round_label)
        # Fast compression: the PNG is written once and read twice, and level 6 costs ~3x the time
        # for ~10% fewer bytes on a grainy picture.
        images.grade(scene, images.mood_grade(mood)).save(out, "PNG", compress_level=1)

    @cpu_slot()
    def make_video(
        self,
        *,
        image: Path,
        template: dict,
        mood: str,
        movement: str,
        seconds: float,
        seed: int,
        out: Path,
        audio: Path | None = None,
    ) -> None:
        self._tick()
        fps = motion.FPS
        frames = max(1, round(seconds * fps))
        composition = _composition(template)
        focus = (float(composition["subject_center"][0]), float(composition["subject_center"][1]))
        pulse = None
        if audio is not None:
            # The frame swells with the singing: loudness per frame, plus a syllable-rate wobble
            # scaled by it, so loud passages move more even where the level holds steady.
            envelope = audio_media.envelope(audio, fps=fps, seconds=seconds)
            t = np.arange(frames) / fps
            pulse = envelope[:frames] * (0.7 + 0.3 * np.sin(2 * np.pi * 3.0 * t))
        path = motion.camera_path(movement, frames=frames, fps=fps, seed=seed, focus=focus, pulse=pulse)

        inputs: list[str | Path] = ["-i", image]
        loop = f"loop=loop={frames - 1}:size=1,setpts=N/{fps}/TB"
        graph = [
            f"[0:v]scale={WIDTH}:{HEIGHT}:force_original_aspect_ratio=increase:flags=lanczos,"
            f"crop={WIDTH}:{HEIGHT},format=yuv420p,{loop}[still]"
        ]
        still = "[still]"
        if "record_height" in composition:
            label = out.with_name(out.stem + "-label.png")
            x, y = _cut_label(image, composition, label)
            inputs += ["-i", label]
            graph.append(
                f"[1:v]format=rgba,{loop},rotate=a={RECORD_RADIANS_PER_SECOND:.4f}*t:c=none:ow=iw:oh=ih[label];"
                f"[still][label]overlay={x}:{y}:format=yuv420[spun]"
            )
            still = "[spun]"
        graph.append(
            f"{still}{motion.perspective_filter(path, WIDTH, HEIGHT)},{GRAIN.format(seed=seed % 2**31)},"
            "format=yuv420p[video]"
        )
        script = out.with_name(out.stem + "-filters.txt")
        script.write_text(";".join(graph))
        maps = ["-map", "[video]"]
        if audio is not None:
            # The clip step cuts AAC already: copied, it reaches the render one generation fresher.
            codec = ["-c:a", "copy"] if ffmpeg.probe(audio).audio_codec == "aac" else ["-c:a", "aac", "-b:a", "256k"]
            maps += ["-map", f"{inputs.count('-i')}:a:0", *codec]
            inputs += ["-i", audio]
        ffmpeg.run(
            [
                *inputs, "-/filter_complex", script, *maps,
                *VIDEO_X264, "-r", str(fps), "-frames:v", str(frames), "-t", f"{seconds:.3f}",
                "-movflags", "+faststart", out,
            ]
        )  # fmt: skip

    @cpu_slot()
    def upscale_image(self, *, src: Path, out: Path) -> None:
        self._tick()
        with Image.open(src) as image:
            image.convert("RGB").resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS).save(
                out, "PNG", compress_level=1
            )

    @cpu_slot()
    def upscale_video(self, *, src: Path, out: Path) -> None:
        self._tick()
        ffmpeg.run(
            [
                "-i", src, "-map", "0:v:0", "-map", "0:a:0?", "-vf", "scale=iw*2:ih*2:flags=lanczos",
                *VIDEO_X264, "-c:a", "copy", "-movflags", "+faststart", out,
            ]
        )  # fmt: skip

    def write_caption(
        self,
        *,
        template: dict,
        length: str,
        mood: str,
        clip_lyrics: str,
        song_title: str,
        artist_name: str,
        seed: int,
    ) -> str:
        return compose_caption(
            template=template,
            length=length,
            mood=mood,
            clip_lyrics=clip_lyrics,
            song_title=song_title,
            artist_name=artist_name,
            seed=seed,
        )

    def cost_cents(self, step: str, *, seconds: float) -> int:
        return 0

    def _tick(self) -> None:
        # Local work takes seconds, but this is where a cancel is noticed.
        if self.on_wait is not None:
            self.on_wait()


def _composition(template: dict) -> dict:
    return {**DEFAULT_COMPOSITION, **((template.get("style_rules") or {}).get("composition") or {})}


def _open(path: Path) -> Image.Image:
    """An image upright (phone photos store their rotation in EXIF) and in RGB. JPEGs are decoded
    at a reduced scale when they are far bigger than any use here (much faster, less memory)."""
    with Image.open(path) as image:
        image.draft("RGB", (2048, 2048))
        return ImageOps.exif_transpose(image).convert("RGB")


def _cut_label(image: Path, composition: dict, out: Path) -> tuple[int, int]:
    """The record's centre label cut from the frame as a round RGBA PNG; returns its top-left."""
    frame = images.fit_cover(_open(image), (WIDTH, HEIGHT))
    side = max(2, round(float(composition["subject_height"]) * HEIGHT))
    x = round(float(composition["subject_center"][0]) * WIDTH - side / 2)
    y = round(float(composition["subject_center"][1]) * HEIGHT - side / 2)
    label = frame.crop((x, y, x + side, y + side))
    mask = Image.new("L", (side * 4, side * 4), 0)
    ImageDraw.Draw(mask).ellipse((2, 2, side * 4 - 3, side * 4 - 3), fill=255)
    label.putalpha(mask.resize((side, side), Image.Resampling.LANCZOS))
    label.save(out, "PNG")
    return x, y
