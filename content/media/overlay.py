"""The caption, drawn once by Pillow into a transparent PNG that ffmpeg lays over every frame.

Drawing it here rather than with ffmpeg's drawtext lets us wrap, hyphenate and shrink the text
until it provably fits the platforms' safe zone, and costs one PNG instead of per-frame text
rendering."""

import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path(__file__).parent / "fonts" / "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class SafeZone:
    """Where captions may go, as fractions of the frame. TikTok, Reels and Shorts draw their
    buttons over the right 12% and the description over the bottom 20%."""

    left: float = 0.06
    top: float = 0.07
    right: float = 0.88
    bottom: float = 0.80

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        return (
            round(self.left * width),
            round(self.top * height),
            int(self.right * width),
            int(self.bottom * height),
        )


SAFE_ZONE = SafeZone()
# Captions start a little under the top margin, above the subject in most compositions; when
# that would cover the subject they move above or below it if there is room.
PREFERRED_TOP = 0.12
# Space kept between the caption and the subject it steps around (fraction of the height).
SUBJECT_GAP = 0.02
# Font sizes as fractions of the frame width: the largest a short caption gets; the smallest
# that stays easy to read on a phone, below which breaking a long word beats shrinking further;
# the smallest at all, below which the text is shortened instead.
LARGEST = 0.062
READABLE = 0.04
SMALLEST = 0.026


@dataclass(frozen=True)
class Caption:
    path: Path
    # Where the PNG's top-left corner goes in the frame.
    x: int
    y: int
    width: int
    height: int
    font_size: int
    lines: tuple[str, ...]


def render_caption(
    text: str,
    *,
    width: int,
    height: int,
    out: Path,
    zone: SafeZone = SAFE_ZONE,
    keep_clear: tuple[float, float] | None = None,
) -> Caption | None:
    """Draws `text` (white, black outline, centred lines) as a PNG cut to its ink, and says where it
    goes in a `width` x `height` frame; None when there is nothing to draw.

    The largest font size at which the wrapped text fits the safe zone wins, with its lines
    balanced rather than leaving a word alone on the last. Words are only broken (with a hyphen)
    when a word alone is wider than the zone at a readable size, and text that still does not
    fit at the smallest size is shortened with an ellipsis: it never leaves the zone.

    `keep_clear` is a band of the frame's height (top and bottom, fractions): the subject's face.
    The caption goes above or below it when it fits there at a readable size."""
    paragraphs = [" ".join(line.split()) for line in text.strip().splitlines()]
    paragraphs = [line for line in paragraphs if line]
    if not paragraphs:
        return None
    x0, y0, x1, y1 = zone.box(width, height)
    areas = _Areas(zone=(x0, y0, x1, y1), height=height, keep_clear=keep_clear)
    largest, readable, smallest = (max(8, round(share * width)) for share in (LARGEST, READABLE, SMALLEST))
    beside = areas.beside_subject()
    attempts = [(beside, False, _sizes(largest, readable))] if beside else []
    attempts += [([(y0, y1)], False, _sizes(largest, readable)), ([(y0, y1)], True, _sizes(largest, smallest))]
    for spans, hyphenate, sizes in attempts:
        for size in sizes:
            layout = _Layout(size)
            lines = layout.wrap(paragraphs, x1 - x0, hyphenate=hyphenate)
            if lines is None:
                continue
            for span in spans:
                if layout.height(lines) <= span[1] - span[0]:
                    lines = layout.balance(paragraphs, lines, x1 - x0, hyphenate=hyphenate)
                    return _draw(layout, lines, out=out, left=x0, right=x1, top=areas.top(span, layout.height(lines)))
    layout = _Layout(smallest)
    lines = layout.shorten(layout.wrap(paragraphs, x1 - x0, hyphenate=True) or [], y1 - y0, x1 - x0)
    return _draw(layout, lines, out=out, left=x0, right=x1, top=areas.top((y0, y1), layout.height(lines)))


def _sizes(largest: int, smallest: int) -> list[int]:
    """Font sizes from largest to smallest, about 5% apart."""
    sizes = [largest]
    while sizes[-1] > smallest:
        sizes.append(max(smallest, min(sizes[-1] - 1, round(sizes[-1] * 0.95))))
    return sizes


class _Layout:
    def __init__(self, size: int):
        self.size = size
        self.font = ImageFont.truetype(str(FONT), size)
        self.stroke = max(2, round(size * 0.08))
        ascent, descent = self.font.getmetrics()
        self.pitch = ascent + descent + 2 * self.stroke + round(size * 0.08)
        self._widths: dict[str, int] = {}

    def ink_width(self, text: str) -> int:
        """Advance width plus the outline and a pixel of overhang either side: as wide as the ink,
        at a third of the cost of rasterising a bounding box (fitting measures text often)."""
        if text not in self._widths:
            self._widths[text] = math.ceil(self.font.getlength(text)) + 2 * self.stroke + 2
        return self._widths[text]

    def height(self, lines: list[str]) -> int:
        return self.pitch * len(lines)

    def wrap(self, paragraphs: list[str], max_width: int, *, hyphenate: bool) -> list[str] | None:
        """Greedy word wrap; None when a word is too wide and hyphenation is not allowed."""
        lines: list[str] = []
        for paragraph in paragraphs:
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if self.ink_width(candidate) <= max_width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                if self.ink_width(word) <= max_width:
                    line = word
                    continue
                if not hyphenate:
                    return None
                pieces = self._break(word, max_width)
                lines.extend(pieces[:-1])
                line = pieces[-1]
            if line:
                lines.append(line)
        return lines

    def balance(self, paragraphs: list[str], lines: list[str], max_width: int, *, hyphenate: bool) -> list[str]:
        """The same number of lines at the narrowest width that still allows it, so lines come out
        even instead of a full line and an orphan."""
        low, high = max_width // 3, max_width
        while low < high:
            mid = (low + high) // 2
            narrower = self.wrap(paragraphs, mid, hyphenate=hyphenate)
            if narrower is not None and len(narrower) <= len(lines):
                high = mid
            else:
                low = mid + 1
        return self.wrap(paragraphs, high, hyphenate=hyphenate) or lines

    def _break(self, word: str, max_width: int) -> list[str]:
        pieces = []
        while self.ink_width(word) > max_width:
            cut = max(1, self._longest_prefix(word, max_width))
            pieces.append(word[:cut] + "-")
            word = word[cut:]
        return [*pieces, word]

    def _longest_prefix(self, word: str, max_width: int) -> int:
        """The most characters of `word` that fit with a hyphen after them (binary search)."""
        low, high = 0, len(word)
        while low < high:
            mid = (low + high + 1) // 2
            if self.ink_width(word[:mid] + "-") <= max_width:
                low = mid
            else:
                high = mid - 1
        return low

    def shorten(self, lines: list[str], max_height: int, max_width: int) -> list[str]:
        keep = max(1, max_height // self.pitch)
        if len(lines) <= keep:
            return lines
        last = lines[keep - 1].rstrip(" -")
        while last and self.ink_width(last + "…") > max_width:
            last = last[:-1].rstrip()
        return [*lines[: keep - 1], last + "…"]


@dataclass(frozen=True)
class _Areas:
    """Where in the safe zone a caption block may go (pixel rows)."""

    zone: tuple[int, int, int, int]
    height: int
    keep_clear: tuple[float, float] | None

    def beside_subject(self) -> list[tuple[int, int]]:
        """The spans of the zone above and below the subject, the one holding the preferred top
        first; empty when there is no subject to avoid."""
        if self.keep_clear is None:
            return []
        _, y0, _, y1 = self.zone
        gap = SUBJECT_GAP * self.height
        above = (y0, min(y1, round(self.keep_clear[0] * self.height - gap)))
        below = (max(y0, round(self.keep_clear[1] * self.height + gap)), y1)
        spans = [span for span in (above, below) if span[1] > span[0]]
        return sorted(spans, key=lambda span: not span[0] <= PREFERRED_TOP * self.height < span[1])

    def top(self, span: tuple[int, int], block_h: int) -> int:
        """Where a block starts in a span: at the preferred height when the span allows it, else
        as close to it as the span allows."""
        return min(max(span[0], round(PREFERRED_TOP * self.height)), span[1] - block_h)


def _draw(layout: _Layout, lines: list[str], *, out: Path, left: int, right: int, top: int) -> Caption:
    block_w, block_h = right - left, layout.height(lines)
    canvas = Image.new("RGBA", (block_w, block_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    for index, line in enumerate(lines):
        ink_left, _, ink_right, _ = layout.font.getbbox(line, stroke_width=layout.stroke)
        draw.text(
            ((block_w - (ink_right - ink_left)) / 2 - ink_left, index * layout.pitch + layout.stroke),
            line,
            font=layout.font,
            fill=(255, 255, 255, 255),
            stroke_width=layout.stroke,
            stroke_fill=(0, 0, 0, 255),
        )
    ink = canvas.getchannel("A").getbbox() or (0, 0, 1, 1)
    canvas = canvas.crop(ink)
    out.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(out, "PNG")
    return Caption(
        path=out,
        x=left + ink[0],
        y=top + ink[1],
        width=canvas.width,
        height=canvas.height,
        font_size=layout.size,
        lines=tuple(lines),
    )
