"""Reference scenes for the shipped templates, drawn with Pillow and numpy so nothing is downloaded.

The local provider composites the artist (or, for the record store, the album art) into these, at
the spot each template's style_rules["composition"] names, so every scene keeps that spot plausible:
a lit wall behind a selfie, a bright stage behind the singer, an empty record label.

Scenes are painted as albedo times a light map plus emitted light (LEDs, lamps, screens), which is
what makes flat shapes read as a lit room rather than clip art. Everything random is seeded from
the template id and variant, so every install draws the same pictures.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

Color = tuple[int, int, int]
Size = tuple[int, int]
Stops = Sequence[tuple[float, Color]]
DrawFn = Callable[[ImageDraw.ImageDraw], None]

SCENE_SIZE: Size = (720, 1280)
VARIANTS = 3
WORK_SCALE = 0.5


def draw_scene(template_id: str, variant: int, size: Size = SCENE_SIZE) -> Image.Image:
    """An RGB image of the template's scene; the same (template_id, variant, size) always gives the same pixels."""
    try:
        painter = _PAINTERS[template_id]
    except KeyError:
        raise ValueError(f"no scene is drawn for template {template_id!r}") from None
    digest = hashlib.sha256(f"{template_id}:{variant}".encode()).digest()
    canvas = _Canvas(size, np.random.default_rng(int.from_bytes(digest[:8], "big")))
    painter(canvas, variant % VARIANTS)
    return canvas.output()


def _rgb(color: Color) -> np.ndarray:
    return np.asarray(color, np.float32) / 255.0


def _mix(a: Color, b: Color, t: float) -> Color:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def _shade(color: Color, k: float) -> Color:
    return (min(255, round(color[0] * k)), min(255, round(color[1] * k)), min(255, round(color[2] * k)))


def _blur(img: Image.Image, radius: float) -> Image.Image:
    # Large Gaussian blurs are done on a quarter-size copy (glows are smooth anyway) and tiny ones
    # are a box blur standing in for anti-aliasing: both keep a scene well under migrate's budget.
    if radius <= 0:
        return img
    if radius < 1.5:
        return img.filter(ImageFilter.BoxBlur(radius))
    if radius < 6 or min(img.size) < 64:
        return img.filter(ImageFilter.GaussianBlur(radius))
    factor = 4
    small = img.reduce(factor).filter(ImageFilter.GaussianBlur(radius / factor))
    return small.resize(img.size, Image.Resampling.BILINEAR)


class _Canvas:
    """A float RGB frame (0..1) with the few operations the painters need."""

    def __init__(self, size: Size, rng: np.random.Generator) -> None:
        # Scenes are painted at half size and scaled up: four times less work keeps migrate fast, and
        # a phone photo is that soft anyway.
        self.size = size
        self.w, self.h = max(2, round(size[0] * WORK_SCALE)), max(2, round(size[1] * WORK_SCALE))
        # Painters give line widths and blur radii in pixels of a 720-wide frame; this scales them.
        self.s = self.w / SCENE_SIZE[0]
        self.rng = rng
        self.grain = 0.0
        self.px = np.zeros((self.h, self.w, 3), np.float32)
        self.ys = (np.arange(self.h, dtype=np.float32) + 0.5) / self.h
        self.xs = (np.arange(self.w, dtype=np.float32) + 0.5) / self.w

    # Coordinates in painters are fractions of the frame; these turn them into pixels.
    def x(self, f: float) -> float:
        return f * self.w

    def y(self, f: float) -> float:
        return f * self.h

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * self.w, y0 * self.h, x1 * self.w, y1 * self.h)

    def vertical(self, stops: Stops) -> np.ndarray:
        """A full-frame vertical gradient through (position, colour) stops."""
        pos = [p for p, _ in stops]
        cols = np.stack([np.interp(self.ys, pos, [c[i] / 255.0 for _, c in stops]) for i in range(3)], axis=-1)
        return np.broadcast_to(cols[:, None, :], (self.h, self.w, 3)).astype(np.float32)

    def radial(self, cx: float, cy: float, rx: float, ry: float | None = None, power: float = 2.0) -> np.ndarray:
        """A soft blob (1 at the centre) in frame fractions; ry defaults to a circle on screen."""
        ry = ry if ry is not None else rx * self.w / self.h
        dx = (self.xs[None, :] - cx) / rx
        dy = (self.ys[:, None] - cy) / ry
        return np.exp(-((dx * dx + dy * dy) ** (power / 2.0))).astype(np.float32)

    def mask(self, draw: DrawFn, blur: float = 0.0) -> np.ndarray:
        layer = Image.new("L", (self.w, self.h), 0)
        draw(ImageDraw.Draw(layer))
        return np.asarray(_blur(layer, blur * self.s), np.float32) / 255.0

    def _region(self, layer: Image.Image, blur: float) -> tuple[int, int, int, int] | None:
        # Only the drawn part of a layer (plus room for its blur) is blurred and blended.
        bbox = layer.getbbox()
        if bbox is None:
            return None
        pad = int(3 * blur) + 2
        return (max(0, bbox[0] - pad), max(0, bbox[1] - pad), min(self.w, bbox[2] + pad), min(self.h, bbox[3] + pad))

    def paint(self, draw: DrawFn, blur: float = 0.6, opacity: float = 1.0) -> None:
        """Draws opaque shapes over the frame; the slight default blur stands in for anti-aliasing."""
        layer = Image.new("RGBA", (self.w, self.h), (0, 0, 0, 0))
        draw(ImageDraw.Draw(layer))
        box = self._region(layer, blur * self.s)
        if box is None:
            return
        x0, y0, x1, y1 = box
        arr = np.asarray(_blur(layer.crop(box), blur * self.s), np.float32) / 255.0
        alpha = arr[..., 3:] * opacity
        self.px[y0:y1, x0:x1] = self.px[y0:y1, x0:x1] * (1.0 - alpha) + arr[..., :3] * alpha

    def emit(self, draw: DrawFn, passes: Sequence[tuple[float, float]] = ((0.0, 1.0),)) -> None:
        """Adds light: shapes drawn once on black, then added at each (blur, strength) pass, so a sharp
        core and its halo come from the same random layout."""
        layer = Image.new("RGB", (self.w, self.h), (0, 0, 0))
        draw(ImageDraw.Draw(layer))
        widest = max(blur for blur, _ in passes) * self.s
        box = self._region(layer, widest)
        if box is None:
            return
        x0, y0, x1, y1 = box
        crop = layer.crop(box)
        for blur, strength in passes:
            self.px[y0:y1, x0:x1] += np.asarray(_blur(crop, blur * self.s), np.float32) * (strength / 255.0)

    def glow(self, cx: float, cy: float, radius: float, color: Color, strength: float = 1.0) -> None:
        """Adds a soft round light; computed in its bounding box only because scenes use dozens."""
        r = radius * self.w
        px, py = cx * self.w, cy * self.h
        x0, x1 = max(0, int(px - 3 * r)), min(self.w, int(px + 3 * r) + 1)
        y0, y1 = max(0, int(py - 3 * r)), min(self.h, int(py + 3 * r) + 1)
        if x0 >= x1 or y0 >= y1:
            return
        gx = (np.arange(x0, x1, dtype=np.float32) - px) / r
        gy = (np.arange(y0, y1, dtype=np.float32) - py) / r
        falloff = np.exp(-(gx[None, :] ** 2 + gy[:, None] ** 2) * 1.5)
        self.px[y0:y1, x0:x1] += falloff[..., None] * _rgb(color) * strength

    def noise(self, cells: int, blur: float = 0.0) -> np.ndarray:
        """Smooth value noise in 0..1 with about `cells` blobs across the frame width."""
        gw = max(2, cells)
        gh = max(2, round(cells * self.h / self.w))
        grid = (self.rng.random((gh, gw)) * 255).astype(np.uint8)
        img = Image.fromarray(grid, "L").resize((self.w, self.h), Image.Resampling.BICUBIC)
        return np.asarray(_blur(img, blur * self.s), np.float32) / 255.0

    def bloom(self, threshold: float = 0.75, radius: float = 28.0, strength: float = 0.6) -> None:
        bright = np.clip(self.px - threshold, 0.0, 4.0)
        img = Image.fromarray((np.clip(bright, 0, 1) * 255).astype(np.uint8), "RGB")
        self.px += np.asarray(_blur(img, radius * self.s), np.float32) / 255.0 * strength

    def finish(self, *, grain: float, vignette: float, lift: Color = (0, 0, 0)) -> None:
        """Camera look: tone curve, raised blacks, vignette; output() adds the grain."""
        px = self.px
        # Reinhard-style shoulder keeps bright lights from clipping into flat blobs.
        px = px / (1.0 + 0.35 * np.maximum(px - 0.65, 0.0))
        px = px + _rgb(lift) * (1.0 - px)
        dx = self.xs[None, :] - 0.5
        dy = (self.ys[:, None] - 0.48) * (self.h / self.w) * 0.75
        self.px = px * (1.0 - vignette * np.clip((dx * dx + dy * dy) * 2.2, 0.0, 1.0))[..., None]
        self.grain = grain

    def image(self) -> Image.Image:
        return Image.fromarray((np.clip(self.px, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8), "RGB")

    def output(self) -> Image.Image:
        img = self.image().resize(self.size, Image.Resampling.BICUBIC)
        if not self.grain:
            return img
        # Grain is drawn at working size and blown up without interpolation: at 720 wide it still reads as
        # fine film grain, and the PNG stays about half the size of per-pixel noise.
        out_w, out_h = self.size
        grain = self.rng.standard_normal((self.h, self.w), dtype=np.float32) * (self.grain * 255.0)
        rows = np.arange(out_h) * self.h // out_h
        cols = np.arange(out_w) * self.w // out_w
        out = np.asarray(img, np.float32) + grain[rows][:, cols][..., None]
        return Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8), "RGB")


# --- shared props ---------------------------------------------------------------------------------


def _poster(c: _Canvas, d: ImageDraw.ImageDraw, box: tuple[float, float, float, float], palette: list[Color]) -> None:
    """An abstract gig/album poster: a background, one bold motif and a few lines standing in for type."""
    x0, y0, x1, y1 = box
    pw, ph = x1 - x0, y1 - y0
    rng = c.rng
    bg, fg, accent = (palette[i % len(palette)] for i in rng.permutation(len(palette))[:3])
    d.rectangle(box, fill=bg)
    motif = int(rng.integers(0, 4))
    cx, cy = x0 + pw * 0.5, y0 + ph * 0.42
    if motif == 0:
        r = pw * 0.34
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fg)
        d.rectangle((x0, cy + r * 0.15, x1, cy + r * 0.3), fill=bg)
    elif motif == 1:
        for i in range(5, 0, -1):
            r = pw * 0.08 * i
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fg if i % 2 else accent)
    elif motif == 2:
        for i in range(7):
            yy = y0 + ph * (0.12 + i * 0.08)
            d.rectangle((x0 + pw * 0.1, yy, x1 - pw * 0.1, yy + ph * 0.04), fill=fg if i % 2 else accent)
    else:
        d.polygon([(x0 + pw * 0.1, y0 + ph * 0.7), (cx, y0 + ph * 0.12), (x1 - pw * 0.1, y0 + ph * 0.7)], fill=fg)
        r = pw * 0.12
        d.ellipse((cx - r, cy, cx + r, cy + 2 * r), fill=accent)
    for i in range(3):
        yy = y0 + ph * (0.78 + i * 0.06)
        d.rectangle((x0 + pw * 0.1, yy, x0 + pw * (0.9 - 0.22 * i), yy + ph * 0.025), fill=fg)


# --- artist-caption-bedroom -----------------------------------------------------------------------


def _bedroom(c: _Canvas, variant: int) -> None:
    w, h, s, rng = c.w, c.h, c.s, c.rng
    led, led2, duvet, lamp = [
        ((255, 60, 200), (120, 60, 255), (214, 208, 222), (255, 170, 90)),
        ((255, 36, 48), (255, 96, 40), (200, 196, 190), (255, 150, 70)),
        ((30, 170, 255), (30, 255, 190), (190, 204, 214), (255, 190, 120)),
    ][variant]
    window_left = variant != 1
    corner = 0.8 if window_left else 0.2
    ceiling = 0.105 + 0.01 * variant
    slope = 0.07

    # Albedo: pale walls, a darker side wall past the corner, a ceiling.
    c.px = c.vertical([(0.0, (150, 148, 152)), (1.0, (120, 118, 124))]).copy()

    def side_wall(d: ImageDraw.ImageDraw) -> None:
        edge = w if window_left else 0
        d.polygon(
            [(c.x(corner), c.y(ceiling)), (edge, c.y(ceiling - slope)), (edge, h), (c.x(corner), h)],
            fill=(105, 103, 110, 255),
        )

    def ceiling_shape(d: ImageDraw.ImageDraw) -> None:
        edge = w if window_left else 0
        other = 0 if window_left else w
        d.polygon(
            [(other, 0), (edge, 0), (edge, c.y(ceiling - slope)), (c.x(corner), c.y(ceiling)), (other, c.y(ceiling))],
            fill=(70, 70, 76, 255),
        )

    c.paint(side_wall)
    c.paint(ceiling_shape)

    wx0, wx1 = (0.05, 0.36) if window_left else (0.64, 0.95)
    win = (wx0, 0.19, wx1, 0.45)
    poster_palette = [(235, 70, 90), (250, 210, 80), (40, 60, 150), (240, 236, 225), (20, 20, 24), (90, 200, 170)]
    px0 = 0.56 if window_left else 0.04
    posters = [(px0, 0.17, px0 + 0.19, 0.33), (px0 + 0.04, 0.36, px0 + 0.17, 0.47)]
    if variant == 2:
        posters = [(px0 + 0.01, 0.2, px0 + 0.22, 0.42)]

    def wall_things(d: ImageDraw.ImageDraw) -> None:
        for box in posters:
            _poster(c, d, c.box(*box), poster_palette)
        # Window reveal and frame; the glass itself is black albedo and glows later.
        d.rectangle(c.box(win[0] - 0.015, win[1] - 0.008, win[2] + 0.015, win[3] + 0.008), fill=(200, 200, 205, 255))
        d.rectangle(c.box(*win), fill=(0, 0, 0, 255))

    c.paint(wall_things)

    sky = np.zeros_like(c.px)
    x0p, y0p, x1p, y1p = (int(v) for v in c.box(*win))
    sky_col = c.vertical([(win[1], (8, 12, 40)), (win[3], (60, 40, 90) if variant != 2 else (20, 60, 90))])
    sky[y0p:y1p, x0p:x1p] = sky_col[y0p:y1p, x0p:x1p]

    def skyline(d: ImageDraw.ImageDraw) -> None:
        x = x0p
        while x < x1p:
            bw = rng.integers(18, 46) * s
            top = y1p - rng.uniform(0.15, 0.6) * (y1p - y0p)
            d.rectangle((x, top, x + bw, y1p), fill=(6, 6, 14))
            for wy in np.arange(top + 6 * s, y1p - 4 * s, 9 * s):
                for wx in np.arange(x + 4 * s, x + bw - 4 * s, 8 * s):
                    if rng.random() < 0.28:
                        d.rectangle((wx, wy, wx + 3 * s, wy + 4 * s), fill=(255, 200, 120))
            x += bw + rng.integers(0, 8) * s

    sky_img = Image.fromarray((np.clip(sky, 0, 1) * 255).astype(np.uint8), "RGB")
    skyline(ImageDraw.Draw(sky_img))
    c.px += np.asarray(sky_img.filter(ImageFilter.GaussianBlur(1.2 * s)), np.float32) / 255.0

    def window_bars(d: ImageDraw.ImageDraw) -> None:
        mid = (win[0] + win[2]) / 2
        d.rectangle(c.box(mid - 0.006, win[1], mid + 0.006, win[3]), fill=(190, 190, 196, 255))
        d.rectangle(c.box(win[0], 0.31, win[2], 0.318), fill=(190, 190, 196, 255))

    c.paint(window_bars)

    # Curtains: vertical bands of light and shade read as folds once blurred.
    def curtains(d: ImageDraw.ImageDraw) -> None:
        cur = _mix(led, (60, 60, 70), 0.7)
        for side in (0, 1):
            cx0 = win[0] - 0.05 if side == 0 else win[2] - 0.03
            cw = 0.08
            d.rectangle(c.box(cx0, 0.17, cx0 + cw, 0.52), fill=(*cur, 255))
            for i in range(6):
                fx = cx0 + cw * (i + 0.5) / 6
                d.rectangle(c.box(fx - 0.004, 0.17, fx + 0.004, 0.52), fill=(*_shade(cur, 0.55), 255))
        d.rectangle(c.box(win[0] - 0.06, 0.16, win[2] + 0.06, 0.168), fill=(40, 40, 44, 255))

    c.paint(curtains, blur=2.0)

    # The bed along the bottom: headboard, two pillows, a rumpled duvet.
    lamp_x = 0.87 if window_left else 0.13
    bed_x0, bed_x1 = (-0.05, 0.76) if window_left else (0.24, 1.05)

    def nightstand(d: ImageDraw.ImageDraw) -> None:
        lx = c.x(lamp_x)
        d.rectangle((lx - 62 * s, c.y(0.6), lx + 62 * s, c.y(0.82)), fill=(92, 76, 66, 255))
        d.rectangle((lx - 62 * s, c.y(0.6), lx + 62 * s, c.y(0.607)), fill=(140, 120, 104, 255))
        d.rectangle((lx - 52 * s, c.y(0.645), lx + 52 * s, c.y(0.648)), fill=(50, 42, 36, 255))
        d.ellipse((lx - 5 * s, c.y(0.66) - 5 * s, lx + 5 * s, c.y(0.66) + 5 * s), fill=(160, 150, 130, 255))

    def bed(d: ImageDraw.ImageDraw) -> None:
        d.rounded_rectangle(c.box(bed_x0, 0.585, bed_x1, 0.8), radius=24 * s, fill=(*_shade(duvet, 0.45), 255))
        span = bed_x1 - bed_x0
        for k in (0, 1):
            px0b = bed_x0 + 0.04 + k * span * 0.49
            d.rounded_rectangle(c.box(px0b, 0.655, px0b + span * 0.44, 0.76), radius=40 * s, fill=(*duvet, 255))
        d.rounded_rectangle(c.box(-0.1, 0.735, 1.1, 1.1), radius=60 * s, fill=(*_shade(duvet, 0.92), 255))

    c.paint(nightstand)
    c.paint(bed, blur=1.2)
    folds = c.noise(7, blur=6) * 0.6 + c.noise(16, blur=3) * 0.4
    bed_mask = c.mask(lambda d: d.rounded_rectangle(c.box(-0.1, 0.735, 1.1, 1.1), radius=60 * s, fill=255), blur=2)
    c.px *= (1.0 - bed_mask * (folds - 0.5) * 0.5)[..., None]

    # Light map: a dim ambient, the ceiling LED strip washing down the wall, a second strip behind the
    # headboard, the bedside lamp and cold moonlight from the window.
    light = np.full_like(c.px, 0.1) + _rgb((30, 30, 50)) * 0.5
    below = np.clip((c.ys - ceiling) / 0.28, 0, None)
    wash = np.where(c.ys >= ceiling, np.exp(-below), np.exp(-(ceiling - c.ys) / 0.03) * 0.9)
    light += wash[:, None, None] * _rgb(led) * 1.6
    light += c.radial(0.5, 0.6, 0.7, 0.09)[..., None] * _rgb(led2) * 1.3
    light += c.radial(lamp_x, 0.58, 0.35, 0.16)[..., None] * _rgb(lamp) * 0.9
    light += c.radial((win[0] + win[2]) / 2, 0.52, 0.25, 0.2)[..., None] * _rgb((80, 100, 160)) * 0.3
    # Spill from the phone screen and the headboard strip keeps the duvet from going black.
    light += c.radial(0.5, 0.95, 0.9, 0.3)[..., None] * _rgb(_mix(led2, (255, 255, 255), 0.6)) * 0.35
    c.px *= light

    # Emitters: the strips themselves, the lamp, and (variant 1) a string of fairy lights.
    def strip(d: ImageDraw.ImageDraw) -> None:
        edge = w if window_left else 0
        other = 0 if window_left else w
        pts = [(other, c.y(ceiling)), (c.x(corner), c.y(ceiling)), (edge, c.y(ceiling - slope))]
        d.line(pts, fill=led, width=int(5 * s))

    c.emit(strip, [(30, 1.4), (8, 1.2), (1, 1.0)])
    c.emit(lambda d: d.line([(0, c.y(0.59)), (w, c.y(0.59))], fill=led2, width=int(4 * s)), [(26, 1.1)])

    def lamp_shape(d: ImageDraw.ImageDraw) -> None:
        lx = c.x(lamp_x)
        d.rectangle((lx - 5 * s, c.y(0.555), lx + 5 * s, c.y(0.6)), fill=(50, 44, 40, 255))
        d.ellipse((lx - 22 * s, c.y(0.594), lx + 22 * s, c.y(0.606)), fill=(50, 44, 40, 255))
        d.polygon(
            [
                (lx - 38 * s, c.y(0.555)),
                (lx - 24 * s, c.y(0.505)),
                (lx + 24 * s, c.y(0.505)),
                (lx + 38 * s, c.y(0.555)),
            ],
            fill=(*_shade(lamp, 0.9), 255),
        )

    c.paint(lamp_shape, blur=1.0)
    c.glow(lamp_x, 0.535, 0.12, lamp, 0.55)

    if variant == 1:
        # Drape of fairy lights across the wall above the headboard.
        n = 22
        for i in range(n):
            t = i / (n - 1)
            fx = 0.04 + t * 0.92
            fy = 0.51 + 0.04 * math.sin(t * math.pi * 2) + 0.02 * math.sin(t * math.pi * 6)
            c.glow(fx, fy, 0.012, (255, 200, 120), 1.0)
            c.glow(fx, fy, 0.04, (255, 160, 80), 0.18)

    c.bloom(threshold=0.8, radius=24, strength=0.5)
    c.finish(grain=0.035, vignette=0.55, lift=(10, 6, 16))


# --- artist-caption-outside -----------------------------------------------------------------------


def _outside(c: _Canvas, variant: int) -> None:
    w, h, s, rng = c.w, c.h, c.s, c.rng
    lamp, neon, sky_hi, sky_lo, win_cols = [
        ((255, 160, 60), (40, 220, 220), (6, 10, 24), (70, 50, 60), [(255, 190, 110), (255, 220, 160)]),
        ((200, 225, 255), (255, 40, 170), (6, 6, 20), (40, 40, 90), [(170, 210, 255), (255, 230, 200)]),
        ((255, 120, 70), (80, 255, 120), (10, 6, 12), (90, 30, 40), [(255, 170, 120), (255, 120, 90)]),
    ][variant]
    horizon = 0.75
    vp_x = 0.5 + (variant - 1) * 0.06

    c.px = c.vertical([(0.0, sky_hi), (horizon, sky_lo), (1.0, sky_lo)]).copy()
    c.px += c.noise(5, blur=30)[..., None] * 0.05

    # Two facades receding to the vanishing point. The phone lies on the ground, so every ground
    # point lands near the horizon: building bases run along it and the tops lean in overhead.
    def facade_quads() -> list[list[tuple[float, float]]]:
        hz, vx = c.y(horizon), c.x(vp_x)
        left_far = vx - c.x(0.1)
        right_far = vx + c.x(0.1)
        return [
            [(-c.x(0.25), c.y(-0.05)), (left_far - c.x(0.02), c.y(0.36)), (left_far, hz), (-c.x(0.2), hz + c.y(0.01))],
            [
                (w + c.x(0.25), c.y(-0.05)),
                (right_far + c.x(0.02), c.y(0.42)),
                (right_far, hz),
                (w + c.x(0.2), hz + c.y(0.01)),
            ],
        ]

    quads = facade_quads()
    wall_cols = [(40, 36, 44), (34, 34, 40)]

    def far_city(d: ImageDraw.ImageDraw) -> None:
        x = quads[0][1][0] - 10
        while x < quads[1][1][0] + 10:
            bw = rng.uniform(0.03, 0.07) * w
            top = c.y(horizon - rng.uniform(0.05, 0.2))
            d.rectangle((x, top, x + bw, c.y(horizon)), fill=(22, 20, 30, 255))
            x += bw

    c.paint(far_city)

    def facades(d: ImageDraw.ImageDraw) -> None:
        for quad, col in zip(quads, wall_cols, strict=True):
            d.polygon(quad, fill=(*col, 255))

    c.paint(facades)

    def lerp(p: tuple[float, float], q: tuple[float, float], t: float) -> tuple[float, float]:
        return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)

    def windows(d: ImageDraw.ImageDraw) -> None:
        # Windows laid out on each facade by bilinear interpolation of its quad, bunched towards the
        # far end the way perspective bunches them.
        for quad in quads:
            top_near, top_far, bot_far, bot_near = quad
            cols, rows = 7, 16
            for i in range(cols):
                u0 = 1 - (1 - (i + 0.3) / cols) ** 1.8
                u1 = 1 - (1 - (i + 0.7) / cols) ** 1.8
                for j in range(rows):
                    if rng.random() > 0.38:
                        continue
                    v0, v1 = (j + 0.3) / rows, (j + 0.68) / rows
                    if v1 > 0.84:
                        continue
                    pts = []
                    for u, v in ((u0, v0), (u1, v0), (u1, v1), (u0, v1)):
                        top = lerp(top_near, top_far, u)
                        bot = lerp(bot_near, bot_far, u)
                        pts.append(lerp(top, bot, v))
                    col = win_cols[int(rng.integers(0, len(win_cols)))]
                    d.polygon(pts, fill=_shade(col, rng.uniform(0.25, 0.8)))
            # Shopfronts along the street: the brightest things at ground level, so the wet road
            # has something to mirror.
            for u_a, u_b in ((0.05, 0.3), (0.42, 0.62), (0.74, 0.88)):
                if rng.random() < 0.3:
                    continue
                col = _mix(win_cols[0], neon, rng.uniform(0.0, 0.6))
                pts = []
                for u, v in ((u_a, 0.885), (u_b, 0.885), (u_b, 0.985), (u_a, 0.985)):
                    pts.append(lerp(lerp(top_near, top_far, u), lerp(bot_near, bot_far, u), v))
                d.polygon(pts, fill=_shade(col, 0.9))

    c.emit(windows, [(1.0, 0.8), (14, 0.35)])

    # A neon sign on the right facade, glowing hard through the wet air.
    def sign(d: ImageDraw.ImageDraw) -> None:
        top_near, top_far, bot_far, bot_near = quads[1]
        a = lerp(lerp(top_near, top_far, 0.35), lerp(bot_near, bot_far, 0.35), 0.48)
        b = lerp(lerp(top_near, top_far, 0.55), lerp(bot_near, bot_far, 0.55), 0.5)
        d.line([a, (a[0], a[1] + 120 * s)], fill=neon, width=int(7 * s))
        d.line([b, (b[0], b[1] + 70 * s)], fill=neon, width=int(5 * s))
        for k in range(4):
            yy = a[1] + 14 * s + k * 26 * s
            d.line([(a[0] + 8 * s, yy), (a[0] + 30 * s, yy + 4 * s)], fill=neon, width=int(4 * s))

    c.emit(sign, [(1, 1.0), (10, 1.0), (40, 1.2)])

    # Street lamps along both pavements, shrinking towards the vanishing point.
    hz, vx = c.y(horizon), c.x(vp_x)
    lamps: list[tuple[float, float, float]] = []
    for side in (-1, 1):
        for k, dist in enumerate((1.0, 0.55, 0.33, 0.2, 0.12)):
            base_x = vx + side * (c.x(0.62) * dist + c.x(0.05))
            height = c.y(0.55) * dist
            lamps.append((base_x, hz + c.y(0.03) * dist, height))
            if k == 0 and side == (1 if variant == 1 else -1):
                lamps.pop()  # one near lamp left out so the frame is not symmetrical

    def poles(d: ImageDraw.ImageDraw) -> None:
        for bx, by, ht in lamps:
            width = max(2, ht / 80)
            d.rectangle((bx - width, by - ht, bx + width, by), fill=(12, 12, 16, 255))
            arm = ht * 0.12 * (1 if bx < vx else -1)
            d.line([(bx, by - ht), (bx + arm, by - ht - ht * 0.02)], fill=(12, 12, 16, 255), width=int(width * 1.6))

    c.paint(poles)
    for bx, by, ht in lamps:
        head_x = (bx + ht * 0.12 * (1 if bx < vx else -1)) / w
        head_y = (by - ht * 1.02) / h
        size = ht / h
        c.glow(head_x, head_y, 0.025 * size * 2, (255, 255, 240), 1.5)
        c.glow(head_x, head_y, 0.12 * size * 2, lamp, 0.9)
        c.glow(head_x, head_y, 0.4 * size * 2, lamp, 0.25)

    # Haze at the horizon where the street disappears.
    c.px += c.radial(vp_x, horizon - 0.02, 0.6, 0.12)[..., None] * _rgb(_mix(lamp, neon, 0.3)) * 0.25

    # Wet ground: the street above the horizon, flipped and smeared vertically, over dark asphalt.
    top = int(hz)
    n = h - top
    src = c.px[max(0, top - n) : top][::-1]
    if src.shape[0] < n:
        src = np.concatenate([src, np.repeat(src[-1:], n - src.shape[0], axis=0)])
    img = Image.fromarray((np.clip(src, 0, 1) * 255).astype(np.uint8), "RGB")
    smeared = img.resize((w // 2, max(1, n // 14)), Image.Resampling.BOX).resize((w, n), Image.Resampling.BICUBIC)
    sharp = img.filter(ImageFilter.GaussianBlur(3 * s))
    reflection = np.asarray(smeared, np.float32) * 0.6 + np.asarray(sharp, np.float32) * 0.4
    puddles_full = np.clip((c.noise(9, blur=4) - 0.35) * 2.5, 0.15, 1.0)
    puddles = puddles_full[top:]
    # Ripples: noise that changes much faster down the frame than across it.
    bands = (rng.random((max(2, n // 3), 6)) * 255).astype(np.uint8)
    ripple_img = Image.fromarray(bands, "L").resize((w, n), Image.Resampling.BICUBIC)
    ripples = 0.7 + 0.5 * np.asarray(ripple_img, np.float32) / 255.0
    asphalt = _rgb((22, 22, 26)) * (0.7 + 0.6 * c.noise(60)[top:, :, None])
    c.px[top:] = asphalt + reflection / 255.0 * (0.85 * puddles * ripples)[..., None]
    # Each lamp also leaves a long vertical streak on the wet road below its mirror image.
    for bx, by, ht in lamps:
        head_x = (bx + ht * 0.12 * (1 if bx < vx else -1)) / w
        mirror_y = (2 * hz - (by - ht * 1.02)) / h
        size = ht / h
        streak = c.radial(head_x, min(mirror_y, 1.0), 0.012 + 0.03 * size, 0.05 + 0.35 * size)
        c.px += (streak * (c.ys > horizon)[:, None] * puddles_full)[..., None] * _rgb(lamp) * 0.7

    # Kerbs and a dashed centre line converge on the vanishing point.
    def road_lines(d: ImageDraw.ImageDraw) -> None:
        for side in (-1, 1):
            d.line([(vx + side * c.x(0.12), hz), (vx + side * c.x(1.1), h)], fill=(90, 90, 96, 255), width=int(5 * s))
        for k in range(6):
            t0, t1 = (k / 6) ** 2, ((k + 0.5) / 6) ** 2
            y0, y1 = hz + (h - hz) * t0, hz + (h - hz) * t1
            d.polygon(
                [
                    (vx - 1 - 18 * s * t0, y0),
                    (vx + 1 + 18 * s * t0, y0),
                    (vx + 1 + 18 * s * t1, y1),
                    (vx - 1 - 18 * s * t1, y1),
                ],
                fill=(150, 140, 110, 255),
            )

    c.paint(road_lines, blur=1.0, opacity=0.45)

    # The lens sits on the wet ground: the nearest strip is out of focus.
    near = np.clip((c.ys - 0.9) / 0.1, 0, 1)[:, None, None]
    soft = np.asarray(_blur(c.image(), 8 * s), np.float32) / 255.0
    c.px = c.px * (1 - near) + soft * near
    c.bloom(threshold=0.7, radius=20, strength=0.7)
    c.finish(grain=0.045, vignette=0.5, lift=(6, 6, 12))


# --- artist-caption-stage -------------------------------------------------------------------------


def _stage(c: _Canvas, variant: int) -> None:
    w, h, s, rng = c.w, c.h, c.s, c.rng
    beams, back, crowd_rim = [
        (
            [(255, 40, 180), (60, 90, 255), (255, 40, 180), (60, 90, 255), (255, 255, 255)],
            (90, 20, 110),
            (255, 80, 200),
        ),
        (
            [(255, 150, 40), (255, 40, 30), (255, 200, 120), (255, 40, 30), (255, 150, 40)],
            (120, 30, 10),
            (255, 140, 60),
        ),
        (
            [(40, 255, 140), (240, 255, 250), (40, 200, 255), (240, 255, 250), (40, 255, 140)],
            (10, 70, 60),
            (120, 255, 200),
        ),
    ][variant]
    stage_lip = 0.64

    # Back of the stage: black drapes with a coloured wash, and a stage floor catching light.
    c.px = c.vertical(
        [(0.0, (4, 4, 8)), (0.3, _shade(back, 0.35)), (stage_lip, _shade(back, 0.55)), (1.0, (2, 2, 4))]
    ).copy()
    drapes = 0.75 + 0.25 * np.sin(c.xs * 70 + c.noise(3)[0] * 4)[None, :, None]
    c.px[: int(c.y(stage_lip))] *= drapes

    def floor(d: ImageDraw.ImageDraw) -> None:
        d.polygon([(0, c.y(0.58)), (w, c.y(0.58)), (w, c.y(stage_lip)), (0, c.y(stage_lip))], fill=(24, 22, 26, 255))
        d.rectangle((0, c.y(stage_lip), w, c.y(stage_lip + 0.012)), fill=(8, 8, 10, 255))
        # Monitor wedges and an amp stack at the sides.
        for mx in (0.16, 0.84):
            d.polygon(
                [
                    (c.x(mx - 0.09), c.y(stage_lip)),
                    (c.x(mx - 0.07), c.y(0.605)),
                    (c.x(mx + 0.07), c.y(0.605)),
                    (c.x(mx + 0.09), c.y(stage_lip)),
                ],
                fill=(14, 14, 16, 255),
            )
        ax = 0.03 if variant != 1 else 0.82
        d.rectangle(c.box(ax, 0.5, ax + 0.15, 0.605), fill=(10, 10, 12, 255))
        for k in range(3):
            yy = 0.51 + k * 0.03
            d.rectangle(c.box(ax + 0.01, yy, ax + 0.14, yy + 0.024), fill=(20, 19, 22, 255))

    # Truss and fixtures across the top.
    def truss(d: ImageDraw.ImageDraw) -> None:
        for yy in (0.07, 0.095):
            d.line([(0, c.y(yy)), (w, c.y(yy))], fill=(50, 50, 56, 255), width=int(4 * s))
        step = 0.04
        for i in range(int(1 / step) + 1):
            xa, xb = i * step, (i + 1) * step
            d.line([(c.x(xa), c.y(0.07)), (c.x(xb), c.y(0.095))], fill=(40, 40, 46, 255), width=int(2 * s))

    c.paint(truss)

    fixtures = [0.1, 0.3, 0.5, 0.7, 0.9]
    haze = c.noise(6, blur=10) * 0.6 + c.noise(14, blur=4) * 0.4
    haze = (0.35 + 0.9 * haze)[..., None]
    beam_light = np.zeros_like(c.px)
    for i, fx in enumerate(fixtures):
        color = beams[i % len(beams)]
        target = fx + rng.uniform(-0.25, 0.25)
        spread = rng.uniform(0.08, 0.16)

        def cone(
            d: ImageDraw.ImageDraw, fx: float = fx, target: float = target, spread: float = spread, color: Color = color
        ) -> None:
            d.polygon(
                [
                    (c.x(fx - 0.01), c.y(0.1)),
                    (c.x(fx + 0.01), c.y(0.1)),
                    (c.x(target + spread), c.y(0.66)),
                    (c.x(target - spread), c.y(0.66)),
                ],
                fill=color,
            )

        layer = Image.new("RGB", (w, h))
        cone(ImageDraw.Draw(layer))
        beam_light += np.asarray(_blur(layer, 14 * s), np.float32) / 255.0
    # Beams fade as they spread, and only show where there is haze to catch them.
    fade = np.clip(1.15 - (c.ys - 0.1) / 0.6, 0.15, 1.0)[:, None, None]
    c.px += beam_light * fade * haze * 0.42
    for i, fx in enumerate(fixtures):
        c.glow(fx, 0.105, 0.02, (255, 255, 255), 1.6)
        c.glow(fx, 0.105, 0.07, beams[i % len(beams)], 0.8)

    # A hot backlight right behind where the singer stands: the rim light the composite leans on.
    c.glow(0.5, 0.3, 0.5, beams[1], 0.35)
    c.glow(0.5, 0.38, 0.22, (255, 255, 255), 0.35)
    c.px += haze * c.radial(0.5, 0.5, 0.8, 0.35)[..., None] * _rgb(back) * 0.35
    # The stage floor and gear sit in front of the haze, so they stay hard and dark.
    c.paint(floor)
    c.px[int(c.y(stage_lip + 0.01)) :] *= 0.35

    # Crowd: rows of heads and shoulders, nearer rows bigger and darker, some arms up with phones.
    phone_screen = c.image().crop((int(c.x(0.25)), int(c.y(0.15)), int(c.x(0.75)), int(c.y(0.65))))
    phones: list[tuple[float, float, float]] = []

    def crowd_row(y: float, scale: float, ink: int | tuple[int, ...], count: int) -> DrawFn:
        def draw(d: ImageDraw.ImageDraw) -> None:
            for k in range(count):
                cx = (k + rng.uniform(0.1, 0.9)) / count
                hr = 34 * s * scale * rng.uniform(0.85, 1.15)
                cy = c.y(y) + rng.uniform(-0.015, 0.015) * h
                px = c.x(cx)
                d.ellipse((px - hr * 2.4, cy + hr * 0.9, px + hr * 2.4, cy + hr * 6), fill=ink)
                d.ellipse((px - hr * 0.85, cy - hr, px + hr * 0.85, cy + hr * 1.1), fill=ink)
                if rng.random() < 0.28:
                    side = 1 if rng.random() < 0.5 else -1
                    hx, hy = px + side * hr * rng.uniform(1.2, 2.6), cy - hr * rng.uniform(2.2, 3.8)
                    d.line([(px + side * hr * 1.4, cy + hr * 1.4), (hx, hy)], fill=ink, width=int(hr * 0.7))
                    d.ellipse((hx - hr * 0.4, hy - hr * 0.4, hx + hr * 0.4, hy + hr * 0.4), fill=ink)
                    if rng.random() < 0.7:
                        phones.append((hx, hy - hr * 0.3, hr))

        return draw

    rows = [(0.66, 0.6, 34, 11), (0.72, 0.85, 20, 9), (0.8, 1.25, 9, 6), (0.9, 1.9, 3, 4)]
    for y, scale, tone, count in rows:
        before = rng.bit_generator.state
        rim = c.mask(crowd_row(y - 0.004, scale, 255, count), blur=3)
        c.px += rim[..., None] * _rgb(crowd_rim) * 0.4
        rng.bit_generator.state = before  # the silhouette reuses the rim's random layout
        c.paint(crowd_row(y, scale, (tone, tone, tone + 2, 255), count), blur=1.5)

    # Phone screens held up in the crowd, each showing a tiny copy of the stage.
    for hx, hy, hr in phones:
        pw, ph = hr * 1.1, hr * 1.9
        screen = phone_screen.resize((max(1, int(pw)), max(1, int(ph))), Image.Resampling.BILINEAR)
        arr = np.asarray(screen, np.float32) / 255.0 * 1.3 + 0.15
        x0, y0 = int(hx - pw / 2), int(hy - ph / 2)
        x1, y1 = min(w, x0 + arr.shape[1]), min(h, y0 + arr.shape[0])
        if x0 < 0 or y0 < 0 or x1 <= x0 or y1 <= y0:
            continue
        c.px[y0 - 2 : y1 + 2, x0 - 2 : x1 + 2] = 0.02
        c.px[y0:y1, x0:x1] = arr[: y1 - y0, : x1 - x0]
        c.glow(hx / w, hy / h, pw / w * 1.2, (200, 210, 255), 0.25)

    c.bloom(threshold=0.7, radius=30, strength=0.8)
    c.finish(grain=0.045, vignette=0.45, lift=(8, 4, 12))


# --- album-record-store ---------------------------------------------------------------------------

# Where the record sits; the label (album art) diameter comes from the template's composition.
RECORD_CENTER = (0.5, 0.62)
RECORD_DIAMETER = 0.44
LABEL_DIAMETER = 0.2


def _record_store(c: _Canvas, variant: int) -> None:
    w, h, s, rng = c.w, c.h, c.s, c.rng
    wall, wood, plinth, warm, accent = [
        ((70, 52, 40), (120, 78, 44), (150, 100, 60), (255, 190, 110), (255, 120, 60)),
        ((34, 38, 52), (70, 60, 58), (26, 26, 30), (255, 210, 170), (255, 70, 160)),
        ((44, 58, 46), (110, 84, 56), (210, 200, 184), (255, 220, 150), (90, 220, 160)),
    ][variant]
    sleeve_palette = [
        (220, 60, 50),
        (240, 200, 70),
        (40, 80, 160),
        (235, 230, 215),
        (25, 25, 28),
        (70, 170, 140),
        (200, 120, 170),
        (240, 140, 60),
        (120, 110, 200),
        (160, 40, 60),
    ]

    # Background (kept soft later, as if the phone focused on the record): shelves of sleeves.
    c.px = c.vertical([(0.0, _shade(wall, 0.6)), (0.45, wall), (1.0, _shade(wall, 0.5))]).copy()

    def shelves(d: ImageDraw.ImageDraw) -> None:
        for y0, y1 in ((0.02, 0.16), (0.18, 0.32)):
            x = -rng.uniform(0, 30) * s
            while x < w:
                if rng.random() < 0.16:
                    # A sleeve turned face-out.
                    size = (y1 - y0) * h * 0.95
                    _poster(c, d, (x, c.y(y1) - size, x + size, c.y(y1)), sleeve_palette)
                    x += size + 3 * s
                    continue
                sw = rng.uniform(5, 11) * s
                col = sleeve_palette[int(rng.integers(0, len(sleeve_palette)))]
                d.rectangle(
                    (x, c.y(y0) + rng.uniform(0, 10) * s, x + sw, c.y(y1)),
                    fill=(*_shade(col, rng.uniform(0.6, 1.0)), 255),
                )
                x += sw + 1
            d.rectangle((0, c.y(y1), w, c.y(y1) + 12 * s), fill=(*wood, 255))
            d.rectangle((0, c.y(y1) + 12 * s, w, c.y(y1) + 16 * s), fill=(*_shade(wood, 0.5), 255))

    c.paint(shelves)

    # Crates on a table in front of the shelves: sleeves seen from above, tilted in a row.
    def crates(d: ImageDraw.ImageDraw) -> None:
        for cx0 in (-0.05, 0.34, 0.7):
            x0, x1 = c.x(cx0), c.x(cx0 + 0.38)
            for k in range(14):
                yy = c.y(0.345) + k * 4 * s
                col = sleeve_palette[int(rng.integers(0, len(sleeve_palette)))]
                lean = rng.uniform(-4, 4) * s
                d.polygon(
                    [
                        (x0 + 6 * s + lean, yy),
                        (x1 - 6 * s + lean, yy),
                        (x1 - 6 * s, yy + 30 * s),
                        (x0 + 6 * s, yy + 30 * s),
                    ],
                    fill=(*col, 255),
                )
            d.rectangle((x0, c.y(0.37), x1, c.y(0.44)), fill=(*_shade(wood, 0.85), 255))
            d.rectangle((x0 + 10 * s, c.y(0.385), x1 - 10 * s, c.y(0.392)), fill=(*_shade(wood, 0.6), 255))

    c.paint(crates)

    light = np.full_like(c.px, 0.28)
    for lx in (0.2, 0.8) if variant != 1 else (0.5,):
        light += c.radial(lx, 0.0, 0.32, 0.3)[..., None] * _rgb(warm) * 1.4
    c.px *= light
    for lx in (0.2, 0.8) if variant != 1 else (0.5,):
        c.glow(lx, 0.0, 0.05, (255, 245, 220), 1.2)
        c.glow(lx, 0.0, 0.16, warm, 0.4)
    if variant == 1:
        # A neon "open"-style tube on the back wall, just a shape, no words.
        def tube(d: ImageDraw.ImageDraw) -> None:
            d.rounded_rectangle(c.box(0.08, 0.05, 0.3, 0.12), radius=20 * s, outline=accent, width=int(5 * s))
            d.line([c.x(0.13), c.y(0.085), c.x(0.25), c.y(0.085)], fill=accent, width=int(5 * s))

        c.emit(tube, [(1, 1.0), (18, 1.4)])

    # Depth of field: everything behind the turntable goes soft.
    c.px = np.asarray(_blur(c.image(), 5 * s), np.float32) / 255.0

    # The turntable: a plinth filling the bottom, the platter, the record and the tonearm.
    rcx, rcy = c.x(RECORD_CENTER[0]), c.y(RECORD_CENTER[1])
    rr = c.y(RECORD_DIAMETER) / 2
    lr = c.y(LABEL_DIAMETER) / 2

    def deck(d: ImageDraw.ImageDraw) -> None:
        d.rounded_rectangle(
            (-30 * s, c.y(0.4), w + 30 * s, h + 40 * s), radius=28 * s, fill=(*_shade(plinth, 0.55), 255)
        )
        d.rounded_rectangle((-24 * s, c.y(0.405), w + 24 * s, h + 40 * s), radius=24 * s, fill=(*plinth, 255))
        # Start/stop and speed buttons, a pitch slider.
        d.rounded_rectangle(c.box(0.05, 0.93, 0.17, 0.96), radius=4 * s, fill=(40, 40, 44, 255))
        d.rounded_rectangle(c.box(0.2, 0.935, 0.26, 0.955), radius=4 * s, fill=(60, 60, 66, 255))
        d.rounded_rectangle(c.box(0.28, 0.935, 0.34, 0.955), radius=4 * s, fill=(60, 60, 66, 255))
        d.rectangle(c.box(0.9, 0.78, 0.92, 0.95), fill=(30, 30, 34, 255))
        d.rectangle(c.box(0.88, 0.86, 0.94, 0.875), fill=(190, 190, 196, 255))

    c.paint(deck, blur=0.8)
    # Plinth grain (wood) or brushed finish.
    streaks = c.noise(3)[..., None] * 0.1 + (np.sin(c.xs * 300 + c.noise(2)[0] * 20) * 0.03)[None, :, None]
    deck_mask = c.mask(lambda d: d.rounded_rectangle((-24 * s, c.y(0.405), w + 24 * s, h), radius=24 * s, fill=255))
    c.px *= 1 + (streaks - 0.05) * deck_mask[..., None]

    # Platter, record and label are drawn from the distance to the spindle so every edge is smooth.
    # Grooves are a random radial profile: rings of slightly different sheen, as tracks look.
    pr = rr * 1.05
    y0, y1 = max(0, int(rcy - pr) - 2), min(h, int(rcy + pr) + 3)
    x0, x1 = max(0, int(rcx - pr) - 2), min(w, int(rcx + pr) + 3)
    gy, gx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    dx, dy = gx - rcx, gy - rcy
    r = np.sqrt(dx * dx + dy * dy)
    theta = np.arctan2(dy, dx)

    def inside(radius: float) -> np.ndarray:
        return np.clip(radius - r + 0.5, 0.0, 1.0)[..., None]

    region = c.px[y0:y1, x0:x1]
    region = region * (1 - inside(pr)) + _rgb((56, 56, 60)) * inside(pr)
    region = region * (1 - inside(pr * 0.985)) + _rgb((150, 150, 156)) * inside(pr * 0.985)
    knots = np.arange(0, rr + 4, 2.2 * s, dtype=np.float32)
    profile = np.interp(r, knots, rng.uniform(0.0, 1.0, knots.size)).astype(np.float32)
    for band in (0.6, 0.73, 0.86):
        profile += 1.4 * np.exp(-((((r / rr) - band) / 0.007) ** 2))
    grooves = 0.035 + 0.03 * profile
    sheen = np.abs(np.cos(theta - 0.9)) ** 14 * 0.45 + np.abs(np.cos(theta - 0.9 + math.pi / 2)) ** 30 * 0.07
    sheen = sheen * (0.35 + 0.65 * r / rr) * (0.75 + 0.35 * profile)
    vinyl = grooves[..., None] + sheen[..., None] * _rgb(_mix(warm, (255, 255, 255), 0.6))
    region = region * (1 - inside(rr)) + vinyl * inside(rr)
    # Plain label where the album art goes; the local provider covers it, so it stays quiet.
    paper = _mix(accent, (235, 228, 214), 0.65)
    region = region * (1 - inside(lr)) + _rgb(paper) * inside(lr)
    ring = np.clip(1.2 * s - np.abs(r - lr * 0.9), 0.0, 1.0)[..., None]
    region = region * (1 - ring) + _rgb(_mix(accent, (60, 50, 40), 0.4)) * ring
    region = region * (1 - inside(7 * s)) + _rgb((200, 200, 206)) * inside(7 * s)
    region = region * (1 - inside(3.5 * s)) + _rgb((110, 110, 116)) * inside(3.5 * s)
    c.px[y0:y1, x0:x1] = region

    # Tonearm resting on the outer grooves.
    pivot = (c.x(0.88), c.y(0.47))
    head = (rcx + rr * 0.72, rcy - rr * 0.45)

    def tonearm(d: ImageDraw.ImageDraw) -> None:
        d.ellipse((pivot[0] - 40 * s, pivot[1] - 40 * s, pivot[0] + 40 * s, pivot[1] + 40 * s), fill=(40, 40, 44, 255))
        d.ellipse(
            (pivot[0] - 26 * s, pivot[1] - 26 * s, pivot[0] + 26 * s, pivot[1] + 26 * s), fill=(170, 170, 176, 255)
        )
        d.line([(pivot[0], pivot[1] - 60 * s), pivot], fill=(60, 60, 66, 255), width=int(22 * s))
        d.line([pivot, head], fill=(210, 210, 216, 255), width=int(9 * s))
        ang = math.atan2(head[1] - pivot[1], head[0] - pivot[0]) + 0.5
        tip = (head[0] + math.cos(ang) * 40 * s, head[1] + math.sin(ang) * 40 * s)
        d.line([head, tip], fill=(30, 30, 34, 255), width=int(22 * s))

    c.paint(tonearm, blur=0.8)
    c.px += c.radial(0.3, 0.45, 0.6, 0.3)[..., None] * _rgb(warm) * 0.08
    c.bloom(threshold=0.8, radius=16, strength=0.4)
    c.finish(grain=0.03, vignette=0.5, lift=(12, 8, 6))


# --- artist-release-editorial ---------------------------------------------------------------------


def _editorial(c: _Canvas, variant: int) -> None:
    paper, rim = [
        ((222, 206, 184), None),
        ((36, 84, 200), (255, 120, 70)),
        ((142, 150, 160), (190, 210, 255)),
    ][variant]
    sweep = 0.76  # where the wall curves into the floor

    # Seamless paper: one colour on wall and floor, so the curve shows only through the light.
    base = np.broadcast_to(_rgb(paper), c.px.shape).copy()
    if variant == 2:
        # A hand-painted canvas backdrop: mottled in large soft clouds.
        mottle = c.noise(4, blur=20) * 0.6 + c.noise(10, blur=8) * 0.4
        base *= (0.78 + 0.45 * mottle)[..., None]
    else:
        base *= (0.985 + 0.03 * c.noise(40, blur=1))[..., None]
    c.px = base

    # Key light: a big soft source camera left, brightest on the wall behind the subject's head.
    light = np.full_like(c.px, 0.5)
    light += c.radial(0.4, 0.3, 0.8, 0.4)[..., None] * 0.75
    # The floor turns towards the key and catches more of it; the bend itself falls a little dark.
    floor_t = np.clip((c.ys - sweep) / 0.1, 0, 1)
    light += ((0.5 - 0.5 * np.cos(floor_t * math.pi)) * 0.15)[:, None, None]
    light -= (np.exp(-(((c.ys - sweep - 0.015) / 0.035) ** 2)) * 0.07)[:, None, None]
    # Falloff to the edges of the roll.
    light *= (1 - 0.4 * np.clip(np.abs(c.xs - 0.42) * 1.6, 0, 1) ** 2)[None, :, None]
    if variant == 0:
        # Late sun through a window: four soft panes of light thrown across the wall.
        def panes(d: ImageDraw.ImageDraw) -> None:
            for col in (0, 1):
                for row in (0, 1):
                    x0, y0 = 0.58 + col * 0.155, 0.12 + row * 0.19
                    skew = 0.09
                    d.polygon(
                        [
                            c.box(x0, y0, 0, 0)[:2],
                            c.box(x0 + 0.14, y0 + 0.03, 0, 0)[:2],
                            c.box(x0 + 0.14 - skew, y0 + 0.21, 0, 0)[:2],
                            c.box(x0 - skew, y0 + 0.18, 0, 0)[:2],
                        ],
                        fill=255,
                    )

        gobo = c.mask(panes, blur=10) * (c.ys < sweep)[:, None]
        light += gobo[..., None] * _rgb((255, 214, 160)) * 0.3
    c.px *= light
    # Soft contact shadow on the floor where the subject stands.
    c.px *= (1 - 0.3 * c.radial(0.52, 0.94, 0.34, 0.04))[..., None]
    if rim is not None:
        # A gelled strip light from camera right paints the edge of the backdrop.
        c.px += c.radial(1.02, 0.42, 0.28, 0.6)[..., None] * _rgb(rim) * 0.5
    c.bloom(threshold=0.9, radius=20, strength=0.25)
    c.finish(grain=0.022 * (1 + variant * 0.3), vignette=0.22, lift=(8, 8, 8))


_PAINTERS: dict[str, Callable[[_Canvas, int], None]] = {
    "artist-caption-bedroom": _bedroom,
    "artist-caption-outside": _outside,
    "artist-caption-stage": _stage,
    "album-record-store": _record_store,
    "artist-release-editorial": _editorial,
}
