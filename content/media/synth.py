"""Demo and test assets made on this machine: a face-like portrait, a song with a loud
chorus, and lyrics for it. Everything is deterministic for a seed and needs no network."""

import random
import wave
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

_SKIN = [(241, 204, 178), (224, 172, 140), (198, 140, 104), (160, 104, 72), (118, 76, 52), (250, 218, 196)]
_HAIR = [(28, 22, 20), (64, 40, 26), (120, 78, 40), (196, 160, 96), (150, 48, 36), (40, 40, 60)]
_IRIS = [(70, 48, 30), (54, 96, 140), (72, 110, 70), (40, 30, 24)]
_BACKDROPS = [
    ((32, 34, 60), (120, 70, 130)),
    ((20, 60, 70), (200, 170, 120)),
    ((60, 20, 40), (230, 120, 90)),
    ((200, 205, 210), (120, 130, 150)),
    ((16, 16, 20), (70, 60, 90)),
]
_SHIRTS = [(30, 30, 34), (200, 200, 196), (120, 30, 40), (40, 70, 120), (90, 110, 70)]


def face_guide_png(path: Path, *, seed: int = 0, size: tuple[int, int] = (768, 1024)) -> Path:
    """A stylised frontal portrait, face centred and about 40% of the height, saved as PNG."""
    rng = random.Random(seed)
    # Drawn at twice the size and scaled down: Pillow's shapes have no anti-aliasing.
    scale = 2
    width, height = size[0] * scale, size[1] * scale
    top, bottom = _BACKDROPS[rng.randrange(len(_BACKDROPS))]
    ramp = np.linspace(0.0, 1.0, height)[:, None, None]
    gradient = (np.array(top) * (1 - ramp) + np.array(bottom) * ramp).astype(np.uint8)
    image = Image.fromarray(np.broadcast_to(gradient, (height, width, 3)).copy(), "RGB")
    draw = ImageDraw.Draw(image)

    skin = _SKIN[rng.randrange(len(_SKIN))]
    shade = tuple(int(c * 0.82) for c in skin)
    hair = _HAIR[rng.randrange(len(_HAIR))]
    shirt = _SHIRTS[rng.randrange(len(_SHIRTS))]
    iris = _IRIS[rng.randrange(len(_IRIS))]

    cx, cy = width / 2, height * 0.44
    face_h = height * 0.40
    face_w = face_h * rng.uniform(0.68, 0.76)
    left, right = cx - face_w / 2, cx + face_w / 2
    face_top, face_bottom = cy - face_h / 2, cy + face_h / 2

    hair_long = rng.random() < 0.5
    hair_bottom = face_bottom + face_h * 0.35 if hair_long else cy + face_h * 0.05
    draw.ellipse([left - face_w * 0.16, face_top - face_h * 0.12, right + face_w * 0.16, hair_bottom], fill=hair)
    if hair_long:
        draw.rectangle([left - face_w * 0.16, cy, right + face_w * 0.16, hair_bottom - face_h * 0.1], fill=hair)

    shoulder_top = face_bottom + face_h * 0.22
    draw.ellipse([cx - face_w * 1.45, shoulder_top, cx + face_w * 1.45, height + face_h * 0.9], fill=shirt)
    neck_w = face_w * 0.42
    draw.rectangle([cx - neck_w / 2, cy + face_h * 0.3, cx + neck_w / 2, shoulder_top + face_h * 0.08], fill=shade)
    draw.chord(
        [cx - neck_w / 2, shoulder_top - face_h * 0.06, cx + neck_w / 2, shoulder_top + face_h * 0.16],
        0,
        180,
        fill=shade,
    )

    ear_w, ear_h = face_w * 0.14, face_h * 0.2
    for ex in (left - ear_w * 0.4, right - ear_w * 0.6):
        draw.ellipse([ex, cy - ear_h * 0.4, ex + ear_w, cy + ear_h * 0.6], fill=shade)
    draw.ellipse([left, face_top, right, face_bottom], fill=skin)

    # A fringe over the forehead, swept to one side.
    sweep = rng.uniform(-0.15, 0.15) * face_w
    draw.chord(
        [left - face_w * 0.08 + sweep, face_top - face_h * 0.1, right + face_w * 0.08 + sweep, cy - face_h * 0.02],
        180,
        360,
        fill=hair,
    )

    eye_y = cy - face_h * 0.04
    eye_dx = face_w * rng.uniform(0.2, 0.24)
    eye_w, eye_h = face_w * 0.2, face_h * 0.075
    iris_r = eye_h * 0.48
    for side in (-1, 1):
        ex = cx + side * eye_dx
        draw.ellipse([ex - eye_w / 2, eye_y - eye_h / 2, ex + eye_w / 2, eye_y + eye_h / 2], fill=(246, 244, 240))
        draw.ellipse([ex - iris_r, eye_y - iris_r, ex + iris_r, eye_y + iris_r], fill=iris)
        pupil = iris_r * 0.5
        draw.ellipse([ex - pupil, eye_y - pupil, ex + pupil, eye_y + pupil], fill=(10, 10, 12))
        glint = iris_r * 0.22
        gx, gy = ex + iris_r * 0.3, eye_y - iris_r * 0.3
        draw.ellipse([gx - glint, gy - glint, gx + glint, gy + glint], fill=(255, 255, 255))
        draw.arc(
            [ex - eye_w / 2, eye_y - eye_h / 2, ex + eye_w / 2, eye_y + eye_h / 2],
            180,
            360,
            fill=(40, 30, 28),
            width=max(2, int(eye_h * 0.12)),
        )
        brow_y = eye_y - face_h * rng.uniform(0.1, 0.12)
        draw.arc(
            [ex - eye_w * 0.65, brow_y, ex + eye_w * 0.65, brow_y + eye_h * 2.2],
            200,
            340,
            fill=tuple(int(c * 0.8) for c in hair),
            width=int(face_h * 0.022),
        )

    nose_top, nose_tip = eye_y + face_h * 0.04, cy + face_h * 0.14
    nose_w = face_w * 0.12
    line_w = max(3, int(face_h * 0.008))
    draw.line([(cx - nose_w * 0.2, nose_top), (cx - nose_w * 0.35, nose_tip)], fill=shade, width=line_w)
    draw.arc(
        [cx - nose_w / 2, nose_tip - nose_w * 0.35, cx + nose_w / 2, nose_tip + nose_w * 0.3],
        20,
        160,
        fill=shade,
        width=line_w,
    )

    mouth_y = cy + face_h * 0.26
    mouth_w, mouth_h = face_w * rng.uniform(0.3, 0.38), face_h * 0.055
    lip = (min(255, int(skin[0] * 0.85 + 40)), int(skin[1] * 0.55), int(skin[2] * 0.55))
    draw.ellipse([cx - mouth_w / 2, mouth_y - mouth_h / 2, cx + mouth_w / 2, mouth_y + mouth_h / 2], fill=lip)
    draw.line(
        [(cx - mouth_w / 2, mouth_y), (cx + mouth_w / 2, mouth_y)], fill=tuple(int(c * 0.6) for c in lip), width=line_w
    )

    blush = Image.new("L", image.size, 0)
    blush_draw = ImageDraw.Draw(blush)
    for side in (-1, 1):
        bx, by = cx + side * face_w * 0.27, cy + face_h * 0.12
        blush_draw.ellipse([bx - face_w * 0.1, by - face_h * 0.04, bx + face_w * 0.1, by + face_h * 0.04], fill=70)
    blush = blush.filter(ImageFilter.GaussianBlur(face_h * 0.03))
    image = Image.composite(Image.new("RGB", image.size, (220, 90, 90)), image, blush)

    image = image.resize(size, Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")
    return path


# Semitones from the key's root: I - V - vi - IV.
_PROGRESSION = np.array([[0, 4, 7], [7, 11, 14], [9, 12, 16], [5, 9, 12]])
_MELODY_STEPS = np.array([0, 2, 4, 7, 9, 12])  # major pentatonic


def _midi_hz(note: np.ndarray) -> np.ndarray:
    return 440.0 * 2.0 ** ((note - 69) / 12)


def _phase(freq: np.ndarray, rate: int) -> np.ndarray:
    """Phase of an oscillator following a per-sample frequency, continuous across note changes."""
    return 2 * np.pi * np.cumsum(freq, axis=0) / rate


def _bright(phase: np.ndarray, harmonics: int) -> np.ndarray:
    """A few sine harmonics falling off as 1/k: a soft saw, brighter with more harmonics."""
    return sum(np.sin(k * phase) / k for k in range(1, harmonics + 1))


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x**2))) if x.size else 0.0


def _place(track: np.ndarray, sound: np.ndarray, at: int) -> None:
    if at >= len(track) or at + len(sound) <= 0:
        return
    skip = max(0, -at)
    at = max(0, at)
    end = min(len(track), at + len(sound) - skip)
    track[at:end] += sound[skip : skip + end - at]


def _chorus(
    t: np.ndarray, *, chords_hz: np.ndarray, bar_index: np.ndarray, root: int, beat: float, rate: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Drums, bass, chord stabs and a lead over the times `t`, on the song's beat grid."""
    rng = np.random.default_rng(seed)
    n = len(t)
    kt = np.arange(int(0.35 * rate)) / rate
    kick = np.sin(2 * np.pi * np.cumsum(45 + 90 * np.exp(-kt * 30)) / rate) * np.exp(-kt * 9)
    st = np.arange(int(0.25 * rate)) / rate
    snare = (0.7 * rng.standard_normal(len(st)) + 0.5 * np.sin(2 * np.pi * 190 * st)) * np.exp(-st * 18)
    # Differenced noise is white noise with the lows removed: a cheap hi-hat.
    hat = np.diff(rng.standard_normal(int(0.06 * rate) + 1)) * np.exp(-np.arange(int(0.06 * rate)) / rate * 60)

    drums = np.zeros(n)
    hats = np.zeros(n)
    first = int(t[0] // beat) if n else 0
    for b in range(first, int(t[-1] // beat) + 1 if n else first):
        at = round(b * beat * rate) - round(t[0] * rate)
        _place(drums, kick, at)
        if b % 2 == 1:
            _place(drums, snare * 0.8, at)
        _place(hats, hat * 0.35, at)
        _place(hats, hat * 0.2, at + round(beat / 2 * rate))

    eighth = beat / 2
    step_index = (t // eighth).astype(int)
    step_pos = (t % eighth) / eighth
    bass = _bright(_phase(chords_hz[bar_index, 0] / 2, rate), 4) * np.exp(-step_pos * 2.5)
    stab_env = np.exp(-((t % beat) / beat) * 2.0)
    chords = _bright(_phase(chords_hz[bar_index] * 2, rate), 3).sum(axis=1) * stab_env
    # A two-bar motif, repeated, so the lead sounds like a hook rather than noise.
    motif = root + 24 + rng.choice(_MELODY_STEPS, size=16)
    lead_hz = _midi_hz(motif.astype(np.float64))[step_index % 16]
    lead = _bright(_phase(lead_hz, rate), 2) * np.clip(step_pos / 0.05, 0, 1) * np.exp(-step_pos * 1.5)

    core = drums + 0.55 * bass + 0.25 * chords + 0.3 * lead
    return core + 0.4 * hats + 0.1 * lead, core + 0.6 * hats - 0.1 * lead


def song_wav(
    path: Path,
    *,
    seconds: float = 30.0,
    chorus_start: float = 14.0,
    chorus_seconds: float = 8.0,
    seed: int = 0,
    rate: int = 44100,
) -> Path:
    """A 16-bit stereo WAV: soft pads around -30 dBFS RMS, and a chorus with drums, bass,
    chords and a lead about 18 dB louder from `chorus_start` for `chorus_seconds`."""
    rng = np.random.default_rng(seed)
    n = round(seconds * rate)
    t = np.arange(n) / rate
    beat = 60.0 / float(rng.integers(100, 121))
    bar = 4 * beat
    root = 48 + int(rng.integers(0, 7))  # C3..F#3
    chords_hz = _midi_hz((root + _PROGRESSION).astype(np.float64))

    bar_index = (t // bar).astype(int) % len(_PROGRESSION)
    pad_phase = _phase(chords_hz[bar_index] * 2, rate)
    bar_pos = (t % bar) / bar
    # The pad breathes with each bar instead of cutting hard at the chord change.
    pad_env = np.clip(bar_pos / 0.15, 0, 1) * np.clip((1 - bar_pos) / 0.1, 0, 1) * 0.6 + 0.4
    pad_core = np.sin(pad_phase)
    # Slightly detuned doubles, one per side, widen the pad.
    pad_left = (pad_core + 0.5 * np.sin(pad_phase * 1.004)).sum(axis=1) * pad_env
    pad_right = (pad_core + 0.5 * np.sin(pad_phase * 0.996)).sum(axis=1) * pad_env

    eighth = beat / 2
    step_index = (t // eighth).astype(int)
    arp_hz = chords_hz[bar_index, step_index % 3] * 4
    arp = np.sin(_phase(arp_hz, rate)) * np.exp(-((t % eighth) / eighth) * 4)
    left, right = pad_left + 0.35 * arp, pad_right + 0.35 * arp

    start = min(n, max(0, round(chorus_start * rate)))
    end = min(n, max(start, round((chorus_start + chorus_seconds) * rate)))
    in_chorus = np.zeros(n, dtype=bool)
    in_chorus[start:end] = True
    verse_rms = _rms(np.concatenate([left[~in_chorus], right[~in_chorus]]))
    verse_gain = 10 ** (-30 / 20) / verse_rms if verse_rms else 0.0
    left, right = left * verse_gain, right * verse_gain

    if end > start:
        sl = slice(start, end)
        chorus_left, chorus_right = _chorus(
            t[sl], chords_hz=chords_hz, bar_index=bar_index[sl], root=root, beat=beat, rate=rate, seed=seed + 1
        )
        chorus_left += 0.35 * pad_left[sl]
        chorus_right += 0.35 * pad_right[sl]
        chorus_gain = 10 ** (-12 / 20) / _rms(np.concatenate([chorus_left, chorus_right]))
        # A soft clipper keeps the drum peaks under full scale.
        loud_left = np.tanh(chorus_left * chorus_gain * 1.2) / 1.2
        loud_right = np.tanh(chorus_right * chorus_gain * 1.2) / 1.2
        # Short ramps at the section edges so the level change does not click.
        mix = np.ones(end - start)
        fade = min(len(mix) // 2, int(0.03 * rate))
        mix[:fade] = np.linspace(0, 1, fade)
        mix[len(mix) - fade :] = np.linspace(1, 0, fade)
        left[sl] = left[sl] * (1 - mix) + loud_left * mix
        right[sl] = right[sl] * (1 - mix) + loud_right * mix

    edge = min(n // 2, int(0.02 * rate))
    ramp = np.linspace(0, 1, edge)
    for channel in (left, right):
        channel[:edge] *= ramp
        channel[n - edge :] *= ramp[::-1]

    pcm = (np.clip(np.stack([left, right], axis=1), -1, 1) * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


_VERSE_LINES = [
    "streetlights hum on the empty road",
    "i keep your jacket by the door",
    "the radio plays what we used to know",
    "counting the hours on the kitchen floor",
    "window open and the city is slow",
    "i say your name and nothing more",
]
_CHORUS_LINES = [
    "turn it up turn it up till the night comes down",
    "we were gold we were gold in a paper town",
    "hold me close hold me close while the lights go round",
    "say it loud say it loud we are never found",
]


def song_lyrics_lrc(seconds: float, chorus_start: float, chorus_seconds: float) -> str:
    """LRC lyrics for `song_wav` with the same timings: verse lines around the chorus lines."""
    entries: list[tuple[float, str]] = []
    chorus_end = min(seconds, chorus_start + chorus_seconds)
    verse = iter(_VERSE_LINES * 4)
    # Verse lines every few seconds, leaving a breath before each section begins.
    for begin, end in ((1.0, chorus_start), (chorus_end + 0.5, seconds)):
        at = begin
        while at < end - 1.5:
            entries.append((at, next(verse)))
            at += 3.5
    if chorus_start < seconds:
        step = max(chorus_end - chorus_start, 0.1) / len(_CHORUS_LINES)
        entries += [(chorus_start + i * step, line) for i, line in enumerate(_CHORUS_LINES)]
        # An empty timed line ends the last chorus line with the chorus.
        entries.append((chorus_end, ""))
    entries.sort()
    return "\n".join(f"[{int(at // 60):02d}:{at % 60:05.2f}] {line}".rstrip() for at, line in entries) + "\n"
