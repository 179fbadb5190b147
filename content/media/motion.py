"""Camera motion for the local video step: a movement described in words becomes a per-frame
camera path, rendered by one ffmpeg perspective filter.

The path is computed here in numpy and handed to ffmpeg as per-frame lookup expressions, so
every move (push, pan, tilt, sway, handheld shake, orbit, an audio-driven pulse) is sub-pixel
smooth and costs one filter pass, instead of zoompan's whole-pixel steps (visible judder on
slow moves) or a Python loop over frames."""

import math
import re
from dataclasses import dataclass

import numpy as np

FPS = 30

# Speed words scale every move in the phrase.
_SPEED = {
    "slow": 0.8,
    "slowly": 0.8,
    "quick": 1.6,
    "fast": 1.6,
    "slight": 0.55,
    "slightly": 0.55,
    "subtle": 0.55,
    "gentle": 0.6,
    "small": 0.6,
    "almost": 0.5,
    "little": 0.55,
}
# How far a full-strength move goes over the clip.
PUSH_ZOOM = 0.16
PAN_SPAN = 0.12  # of the frame width
TILT_SPAN = 0.09  # of the frame height
SWAY = 0.018
SHAKE = 0.006
ORBIT_KEYSTONE = 0.05
BREATH_ZOOM = 0.03
# Lipsync: how much the frame swells toward the face at the loudest moment.
PULSE_ZOOM = 0.035


@dataclass(frozen=True)
class CameraPath:
    """Per frame: zoom (>= 1), view centre (fractions of width and height), roll (radians) and
    yaw (keystone: + brings the right edge nearer, as when the camera orbits to the left)."""

    zoom: np.ndarray
    x: np.ndarray
    y: np.ndarray
    roll: np.ndarray
    yaw: np.ndarray


def camera_path(
    movement: str,
    *,
    frames: int,
    fps: int = FPS,
    seed: int = 0,
    focus: tuple[float, float] = (0.5, 0.45),
    pulse: np.ndarray | None = None,
) -> CameraPath:
    """The camera path for a movement phrase such as "slow push-in on the face" or "handheld shake
    from the crowd". Keywords: push / zoom in, pull / zoom out, pan left, pan right, tilt (up or
    down), sway, shake / handheld / bounce, orbit, static. Moves in one phrase add up; a phrase
    with none gets a gentle handheld push-in. `focus` is where pushes head and the pulse centres;
    `pulse` (0..1 per frame, e.g. the clip's loudness) swells the frame toward the focus."""
    text = movement.lower()
    words = set(re.findall(r"[a-z]+", text))
    strength = math.prod(_SPEED[word] for word in words if word in _SPEED)
    rng = np.random.default_rng(seed)
    t = np.arange(frames) / fps
    u = np.linspace(0.0, 1.0, frames) if frames > 1 else np.zeros(frames)
    # Mostly linear so the first and last frames still move, with a little ease at the ends.
    ease = 0.7 * u + 0.3 * (0.5 - 0.5 * np.cos(np.pi * u))

    zoom = np.ones(frames)
    x = np.full(frames, 0.5)
    y = np.full(frames, 0.5)
    roll = np.zeros(frames)
    yaw = np.zeros(frames)
    fx, fy = focus

    push = "push" in words or "zoom in" in text or "closer" in words or "dolly in" in text
    pull = "pull" in words or "zoom out" in text or "back" in words
    pan_left, pan_right = "pan left" in text, "pan right" in text
    pan = "pan" in words and not (pan_left or pan_right)
    tilt = "tilt" in words
    sway = bool(words & {"sway", "sways", "swaying", "leaning"})
    shake = bool(words & {"shake", "shakes", "shaky", "handheld", "bouncing", "bounce", "jitter", "wobble"})
    orbit = bool(words & {"orbit", "orbits", "arc", "circle", "around"})
    static = bool(words & {"static", "still", "locked", "breathing", "tripod"})
    if not (push or pull or pan_left or pan_right or pan or tilt or sway or shake or orbit or static):
        push, shake, strength = True, True, strength * 0.6

    if push:
        zoom *= 1 + PUSH_ZOOM * strength * ease
        x += (fx - 0.5) * 0.7 * ease
        y += (fy - 0.5) * 0.7 * ease
    if pull:
        zoom *= 1 + PUSH_ZOOM * strength * (1 - ease)
        x += (fx - 0.5) * 0.7 * (1 - ease)
        y += (fy - 0.5) * 0.7 * (1 - ease)
    if pan_left or pan_right or pan:
        # Panning left turns the view left: the centre moves toward smaller x.
        direction = 1.0 if pan_right or (pan and rng.random() < 0.5) else -1.0
        x += direction * PAN_SPAN * strength * (ease - 0.5)
    if tilt:
        direction = 1.0 if "down" in words else -1.0
        y += direction * TILT_SPAN * strength * (ease - 0.5)
    if sway:
        phase = rng.uniform(0, 2 * np.pi)
        wave = np.sin(2 * np.pi * 0.22 * t + phase)
        x += SWAY * strength * wave
        roll += 0.012 * strength * np.sin(2 * np.pi * 0.22 * t + phase + 0.6)
    if shake:
        for hz, share in ((0.9, 0.5), (1.7, 0.3), (3.1, 0.2)):
            x += SHAKE * strength * share * np.sin(2 * np.pi * hz * t + rng.uniform(0, 2 * np.pi))
            y += SHAKE * strength * share * np.sin(2 * np.pi * hz * 1.13 * t + rng.uniform(0, 2 * np.pi))
            roll += 0.004 * strength * share * np.sin(2 * np.pi * hz * 0.87 * t + rng.uniform(0, 2 * np.pi))
    if orbit:
        direction = 1.0 if rng.random() < 0.5 else -1.0
        yaw += direction * ORBIT_KEYSTONE * strength * 2 * (ease - 0.5)
        x -= direction * 0.04 * strength * (ease - 0.5)
    if static:
        # A phone on a ledge still breathes a little; a perfectly still frame reads as frozen.
        zoom *= 1 + BREATH_ZOOM * ease

    if pulse is not None:
        swell = 1 + PULSE_ZOOM * np.clip(np.asarray(pulse, float)[:frames], 0, 1)
        swell = np.pad(swell, (0, frames - swell.size), constant_values=1.0)
        # Zooming about the focus keeps the face where it is while the frame swells around it.
        x = x + (fx - x) * (1 - 1 / swell)
        y = y + (fy - y) * (1 - 1 / swell)
        zoom = zoom * swell
    return CameraPath(zoom=zoom, x=x, y=y, roll=roll, yaw=yaw)


def source_corners(path: CameraPath, width: int, height: int) -> np.ndarray:
    """Per frame, the source points (top-left, top-right, bottom-left, bottom-right; pixels) that
    the output's corners show. One extra zoom for the whole clip keeps every frame inside the
    image, so no move ever reveals an edge and the zoom never jumps."""
    half_w = width / (2 * path.zoom)
    half_h = height / (2 * path.zoom)
    left_h, right_h = half_h * (1 - path.yaw), half_h * (1 + path.yaw)
    local = np.stack(
        [
            np.stack([-half_w, -left_h], axis=1),
            np.stack([half_w, -right_h], axis=1),
            np.stack([-half_w, left_h], axis=1),
            np.stack([half_w, right_h], axis=1),
        ],
        axis=1,
    )  # (frames, 4, 2)
    cos, sin = np.cos(path.roll)[:, None], np.sin(path.roll)[:, None]
    rotated = np.stack([local[..., 0] * cos - local[..., 1] * sin, local[..., 0] * sin + local[..., 1] * cos], axis=2)
    centre = np.stack([path.x * width, path.y * height], axis=1)[:, None, :]
    limit = np.array([width - 1.0, height - 1.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(rotated > 0, (limit - centre) / rotated, np.where(rotated < 0, -centre / rotated, np.inf))
    shrink = min(1.0, float(np.min(room)))
    return centre + rotated * shrink


def perspective_filter(path: CameraPath, width: int, height: int) -> str:
    """The ffmpeg perspective filter that moves a `width` x `height` stream along `path`."""
    corners = source_corners(path, width, height)
    options = []
    for index in range(4):
        for axis, name in ((0, "x"), (1, "y")):
            options.append(f"{name}{index}='{_lookup(corners[:, index, axis])}'")
    return "perspective=" + ":".join(options) + ":interpolation=linear:sense=source:eval=frame"


def _lookup(values: np.ndarray) -> str:
    """An ffmpeg expression giving values[in] for input frame `in`: a balanced tree of
    comparisons, so each frame costs about log2(frames) steps to evaluate."""

    def tree(low: int, high: int) -> str:
        if high - low == 1:
            return f"{values[low]:.3f}"
        middle = (low + high) // 2
        return f"if(lt(in,{middle}),{tree(low, middle)},{tree(middle, high)})"

    return tree(0, len(values))
