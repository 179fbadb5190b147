"""Pillow and numpy helpers for the local image step: find the face in a portrait, composite it
(or album art) into a scene, and colour-grade the result by mood."""

import hashlib
import re
from dataclasses import dataclass, fields, replace

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

FRAME = (720, 1280)


def fit_cover(image: Image.Image, size: tuple[int, int] = FRAME) -> Image.Image:
    """`image` scaled to cover `size` and centre-cropped to it, as RGB."""
    return ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS)


@dataclass(frozen=True)
class FaceBox:
    """A face in a portrait, in the portrait's pixels."""

    cx: float
    cy: float
    height: float


def find_face(portrait: Image.Image) -> FaceBox:
    """Where the face is in a portrait: the face-shaped box that is most skin inside and least skin
    around it (which rules out necks, arms and skin-coloured walls or shirts).

    Face guides are frontal portraits, so when the skin cue is weak (a monochrome photo, unusual
    light) the usual framing is the guess: face centred, a bit above the middle, 40% of the height."""
    width, height = portrait.size
    guess = FaceBox(width / 2, height * 0.42, height * 0.4)
    cols = 96
    scale = width / cols
    rows = max(8, round(height / scale))
    small = portrait.convert("RGB").resize((cols, rows), Image.Resampling.BILINEAR)
    ycbcr = np.asarray(small.convert("YCbCr"), dtype=np.int16)
    y, cb, cr = ycbcr[..., 0], ycbcr[..., 1], ycbcr[..., 2]
    # The classic YCbCr skin box (Chai & Ngan), which holds across light and dark skin.
    skin = ((cb >= 77) & (cb <= 127) & (cr >= 133) & (cr <= 173) & (y > 35)).astype(np.float64)
    if skin.mean() > 0.45:
        # A skin-toned backdrop: the cue says nothing about where the face is.
        return guess
    summed = np.zeros((rows + 1, cols + 1))
    summed[1:, 1:] = skin.cumsum(axis=0).cumsum(axis=1)

    def box_sum(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
        x0, x1 = np.clip(x0, 0, cols).astype(int), np.clip(x1, 0, cols).astype(int)
        y0, y1 = np.clip(y0, 0, rows).astype(int), np.clip(y1, 0, rows).astype(int)
        return summed[y1, x1] - summed[y0, x1] - summed[y1, x0] + summed[y0, x0]

    best, best_score = guess, 0.35
    cx, cy = np.meshgrid(np.arange(cols * 0.15, cols * 0.85, 1.0), np.arange(rows * 0.1, rows * 0.8, 1.0))
    for face_h in np.geomspace(rows * 0.12, rows * 0.7, 14):
        half_w, half_h = face_h * 0.36, face_h / 2
        inner = box_sum(cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        outer = box_sum(cx - half_w * 1.7, cy - half_h * 1.3, cx + half_w * 1.7, cy + half_h * 1.15)
        inner_area = (2 * half_w) * (2 * half_h)
        ring_area = (3.4 * half_w) * (2.45 * half_h) - inner_area
        # Slightly favour bigger boxes: a face and its neck score alike, the face is bigger.
        score = inner / inner_area - (outer - inner) / ring_area + 0.25 * face_h / rows
        at = np.unravel_index(np.argmax(score), score.shape)
        if score[at] > best_score:
            best_score = float(score[at])
            best = FaceBox(cx=float(cx[at]) * scale, cy=float(cy[at]) * scale, height=float(face_h) * scale)
    return best


def composite_face(
    scene: Image.Image, portrait: Image.Image, *, center: tuple[float, float], face_height: float
) -> Image.Image:
    """The portrait's head and shoulders pasted into `scene` so the face centre lands on `center`
    (fractions of the scene) at `face_height` (fraction of the scene height), under a feathered
    ellipse, with the portrait's plain backdrop keyed out and its light nudged toward the scene's."""
    scene = scene.convert("RGB")
    portrait = portrait.convert("RGB")
    # A phone photo can be 12 MP; a 1024-px portrait still gives the face more pixels than any
    # template draws it at, and keeps the per-pixel work (and memory) small.
    portrait.thumbnail((1024, 1024), Image.Resampling.LANCZOS)
    face = find_face(portrait)
    sw, sh = scene.size
    k = face_height * sh / face.height
    # Head, hair and the top of the shoulders: wider than the face, more room below than above.
    box = (
        round(face.cx - 1.0 * face.height),
        round(face.cy - 1.0 * face.height),
        round(face.cx + 1.0 * face.height),
        round(face.cy + 1.25 * face.height),
    )
    size = (max(1, round((box[2] - box[0]) * k)), max(1, round((box[3] - box[1]) * k)))
    crop = portrait.crop(box).resize(size, Image.Resampling.LANCZOS)
    inside = Image.new("L", portrait.size, 255).crop(box).resize(size, Image.Resampling.BILINEAR)
    key = _backdrop_key(portrait).crop(box).resize(size, Image.Resampling.BILINEAR)

    w, h = size
    feather = max(2.0, 0.06 * w)
    ellipse = Image.new("L", size, 0)
    ImageDraw.Draw(ellipse).ellipse((feather, feather, w - feather, h - feather), fill=255)
    ellipse = ellipse.filter(ImageFilter.GaussianBlur(feather / 1.5))
    # The face itself is never keyed out, whatever colour the backdrop is.
    core = Image.new("L", size, 0)
    fx, fy = (face.cx - box[0]) * k, (face.cy - box[1]) * k
    fr = face.height * k / 2
    ImageDraw.Draw(core).ellipse((fx - fr * 0.8, fy - fr, fx + fr * 0.8, fy + fr), fill=255)
    mask = ImageChops.multiply(ImageChops.multiply(ellipse, ImageChops.lighter(key, core)), inside)

    x = round(center[0] * sw - fx)
    y = round(center[1] * sh - fy)
    target = scene.crop((x, y, x + w, y + h))
    crop = _match_light(crop, target, mask)
    out = scene.copy()
    out.paste(crop, (x, y), mask)
    return out


def _backdrop_key(portrait: Image.Image) -> Image.Image:
    """255 where the portrait differs from its backdrop, fading to 0 where it matches.

    The backdrop colour is taken per row from the left and right borders, which copes with the
    gradients and vignettes of studio backdrops. Busy backgrounds differ from it everywhere and
    simply stay (the ellipse still frames them). Worked out at about 384 px wide and scaled up:
    the key is soft anyway, and this keeps the float arrays small."""
    factor = max(1, portrait.width // 384)
    small = portrait.reduce(factor) if factor > 1 else portrait
    rgb = np.asarray(small, dtype=np.float32)
    border = max(2, rgb.shape[1] // 30)
    edges = np.concatenate([rgb[:, :border], rgb[:, -border:]], axis=1)
    backdrop = np.median(edges, axis=1, keepdims=True)
    distance = np.sqrt(((rgb - backdrop) ** 2).sum(axis=2))
    key = np.clip((distance - 18.0) / 30.0, 0.0, 1.0) * 255
    image = Image.fromarray(key.astype(np.uint8))
    # Close pinholes (flat highlights on hair, catchlights) so the key does not speckle, then pull
    # the edge in a little so no rim of backdrop is left around the hair.
    size = 2 * max(1, small.width // 200) + 1
    closed = image.filter(ImageFilter.MaxFilter(size)).filter(ImageFilter.MinFilter(size))
    key = closed.filter(ImageFilter.MinFilter(size)).filter(ImageFilter.GaussianBlur(size / 2))
    return key.resize(portrait.size, Image.Resampling.BILINEAR)


def _match_light(crop: Image.Image, target: Image.Image, mask: Image.Image) -> Image.Image:
    """Moves the crop's mean colour part of the way toward the scene behind it, so a face shot in
    daylight picks up a bedroom's LED glow instead of looking pasted on."""
    weight = np.asarray(mask, np.float32)[..., None] / 255.0
    if weight.sum() < 1:
        return crop
    src = np.asarray(crop, np.float32)
    dst = np.asarray(target.resize(crop.size), np.float32)
    src_mean = (src * weight).sum(axis=(0, 1)) / weight.sum()
    dst_mean = dst.reshape(-1, 3).mean(axis=0)
    # Per-channel gain toward the scene's colour cast, but keep most of the face's own light.
    gain = ((dst_mean + 1) / (src_mean + 1)) ** 0.35
    gain = gain / gain.max() * min(1.0, gain.max())
    return Image.fromarray(np.clip(src * gain, 0, 255).astype(np.uint8))


def place_artwork(
    scene: Image.Image, artwork: Image.Image, *, center: tuple[float, float], size: float, round_label: bool
) -> Image.Image:
    """Album art at `center` (fractions), `size` (fraction of the scene height) across: as a record's
    round centre label with its spindle hole, or as a square sleeve with a soft shadow."""
    scene = scene.convert("RGB")
    sw, sh = scene.size
    side = max(2, round(size * sh))
    art = ImageOps.fit(artwork.convert("RGB"), (side, side), Image.Resampling.LANCZOS)
    x, y = round(center[0] * sw - side / 2), round(center[1] * sh - side / 2)
    out = scene.copy()
    if round_label:
        # Drawn at 4x and scaled down: Pillow's ellipses have no anti-aliasing.
        big = Image.new("L", (side * 4, side * 4), 0)
        draw = ImageDraw.Draw(big)
        draw.ellipse((0, 0, side * 4 - 1, side * 4 - 1), fill=255)
        hole = side * 4 * 0.035
        draw.ellipse((side * 2 - hole, side * 2 - hole, side * 2 + hole, side * 2 + hole), fill=0)
        out.paste(art, (x, y), big.resize((side, side), Image.Resampling.LANCZOS))
        return out
    shadow = Image.new("L", scene.size, 0)
    offset = max(2, side // 40)
    ImageDraw.Draw(shadow).rectangle((x + offset, y + offset * 2, x + side + offset, y + side + offset * 2), fill=150)
    shadow = shadow.filter(ImageFilter.GaussianBlur(side / 25))
    out.paste(Image.new("RGB", scene.size, (0, 0, 0)), (0, 0), shadow)
    out.paste(art, (x, y))
    return out


@dataclass(frozen=True)
class Grade:
    """A colour grade: each field 0 is neutral."""

    warmth: float = 0.0  # + amber, - blue
    tint: float = 0.0  # + magenta, - green
    saturation: float = 0.0  # + vivid, - muted
    contrast: float = 0.0
    brightness: float = 0.0
    fade: float = 0.0  # lifted blacks, the faded-film look

    def __add__(self, other: "Grade") -> "Grade":
        return Grade(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


_WARM = Grade(warmth=0.5)
_COOL = Grade(warmth=-0.5)
_MUTED = Grade(saturation=-0.35)
_VIVID = Grade(saturation=0.3, contrast=0.1)
_PUNCHY = Grade(contrast=0.3)
_SOFT = Grade(contrast=-0.15, fade=0.5)
_DARK = Grade(brightness=-0.3, contrast=0.1)
_BRIGHT = Grade(brightness=0.25)
_ROSE = Grade(tint=0.5)
_GREEN = Grade(tint=-0.4)

# Mood words (the templates' and common ones) to grades; a mood of several words adds them up.
MOOD_GRADES: dict[str, Grade] = {
    "warm": _WARM + _BRIGHT,
    "golden": _WARM + _WARM + _VIVID,
    "cosy": _WARM + _SOFT,
    "cozy": _WARM + _SOFT,
    "nostalgic": _WARM + _SOFT + _MUTED,
    "analogue": _WARM + _SOFT + _GREEN,
    "tender": _WARM + _SOFT + _ROSE,
    "lovesick": _ROSE + _ROSE + _SOFT,
    "intimate": _WARM + _DARK,
    "hopeful": _WARM + _BRIGHT,
    "grateful": _WARM + _BRIGHT,
    "carefree": _WARM + _VIVID + _BRIGHT,
    "mellow": _WARM + _MUTED + _SOFT,
    "bittersweet": _WARM + _MUTED + _ROSE,
    "sweaty": _WARM + _PUNCHY,
    "cold": _COOL + _COOL + _MUTED,
    "cool": _COOL + _PUNCHY,
    "lonely": _COOL + _MUTED + _DARK,
    "numb": _COOL + _MUTED + _MUTED,
    "nocturnal": _COOL + _DARK,
    "late-night": _COOL + _DARK + _ROSE,
    "sleepless": _COOL + _GREEN + _MUTED,
    "brooding": _COOL + _DARK + _PUNCHY,
    "mysterious": _COOL + _DARK + _MUTED,
    "enigmatic": _COOL + _GREEN + _DARK,
    "heartbroken": _COOL + _MUTED + _SOFT,
    "wistful": _COOL + _SOFT,
    "serene": _COOL + _SOFT + _BRIGHT,
    "deadpan": _MUTED + _SOFT,
    "bored": _MUTED + _MUTED + _SOFT,
    "understated": _MUTED + _SOFT,
    "stark": _MUTED + _MUTED + _PUNCHY + _PUNCHY,
    "elegant": _MUTED + _PUNCHY + _SOFT,
    "poised": _PUNCHY + _MUTED,
    "confident": _PUNCHY + _WARM,
    "bold": _PUNCHY + _VIVID,
    "smug": _PUNCHY + _WARM + _ROSE,
    "petty": _PUNCHY + _ROSE + _GREEN + _GREEN,
    "defiant": _PUNCHY + _PUNCHY + _COOL,
    "fierce": _PUNCHY + _PUNCHY + _WARM,
    "intense": _PUNCHY + _PUNCHY + _DARK,
    "raw": _PUNCHY + _MUTED + _GREEN,
    "cinematic": _PUNCHY + _COOL + _DARK,
    "triumphant": _PUNCHY + _VIVID + _WARM,
    "electric": _VIVID + _VIVID + _COOL + _ROSE,
    "euphoric": _VIVID + _VIVID + _ROSE + _BRIGHT,
    "chaotic": _VIVID + _PUNCHY + _GREEN,
    "overwhelmed": _VIVID + _BRIGHT + _SOFT,
    "emotional": _ROSE + _SOFT + _COOL,
    "hypnotic": _VIVID + _ROSE + _ROSE + _DARK,
    "dreamy": _ROSE + _SOFT + _SOFT + _BRIGHT,
    "restless": _GREEN + _PUNCHY + _MUTED,
    "reverent": _WARM + _DARK + _SOFT,
    "curious": _VIVID + _GREEN,
}


def mood_grade(mood: str) -> Grade:
    """The grade for a mood: the sum of its known words' grades, plus for unknown words a small
    grade derived from the word itself, so every mood looks a little different and the same
    mood always looks the same."""
    grade = Grade()
    for word in re.findall(r"[a-z]+(?:-[a-z]+)*", mood.lower()):
        if word in MOOD_GRADES:
            grade = grade + MOOD_GRADES[word]
            continue
        digest = hashlib.sha256(word.encode()).digest()
        grade = grade + Grade(*((byte / 255 - 0.5) * 0.4 for byte in digest[: len(fields(Grade))]))
    return grade


def grade(image: Image.Image, look: Grade) -> Image.Image:
    """`image` colour-graded by `look`; strengths are tuned so a sum of two or three mood words
    stays photographic.

    Every part of the grade is linear in RGB (white balance, saturation around the luma,
    contrast around mid-grey, lifted blacks), so together they are one 3x4 colour matrix that
    Pillow applies in a single pass."""
    look = replace(look, **{f.name: float(np.clip(getattr(look, f.name), -1.5, 1.5)) for f in fields(look)})
    balance = np.diag(
        [1 + 0.09 * look.warmth + 0.03 * look.tint, 1 - 0.05 * look.tint, 1 - 0.11 * look.warmth + 0.03 * look.tint]
    )
    saturation = max(0.0, 1 + 0.5 * look.saturation)
    luma = np.tile([0.299, 0.587, 0.114], (3, 1))
    contrast = 1 + 0.35 * look.contrast
    lift = max(0.0, 0.07 * look.fade)
    matrix = (1 - lift) * contrast * (saturation * np.eye(3) + (1 - saturation) * luma) @ balance
    offset = 255 * (lift + (1 - lift) * (0.5 - 0.5 * contrast + 0.06 * look.brightness))
    coefficients = np.hstack([matrix, np.full((3, 1), offset)]).ravel()
    return image.convert("RGB").convert("RGB", matrix=tuple(float(c) for c in coefficients))
