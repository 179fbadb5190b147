"""The caption overlay: white on a black outline, wrapped and fitted inside the platforms' safe zone."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from content.media.overlay import SAFE_ZONE, render_caption

LONG_WORDS = ("supercalifragilisticexpialidociousness " * 10)[:300]
CAPTIONS = {
    "short": "i keep the lights on for you",
    "two lines": "not sleeping\njust thinking about it",
    "medium": "made this at 3am and it shows. don't tell my mum. the lamp is doing most of the work here.",
    "long": (
        "it's 2am and the led strip is doing that thing again. i wrote this one on the floor. nobody asked "
        "but here it is, the whole mess of it, the part where i almost deleted it and the part where i didn't, "
        "and the part after that where i sang it to the ceiling until the neighbours knocked."
    ),
    "300 chars of long words": LONG_WORDS,
    "one 300-char word": "a" * 300,
    "far too long": "words that keep going " * 200,
}


def ink_box(caption) -> tuple[int, int, int, int]:
    """The caption's visible pixels (alpha > 0) in frame coordinates."""
    alpha = np.asarray(Image.open(caption.path).getchannel("A"))
    ys, xs = np.nonzero(alpha)
    return caption.x + xs.min(), caption.y + ys.min(), caption.x + xs.max() + 1, caption.y + ys.max() + 1


@pytest.mark.parametrize("size", [(720, 1280), (1440, 2560)])
@pytest.mark.parametrize("name", list(CAPTIONS))
def test_no_caption_ever_leaves_the_safe_zone(tmp_path: Path, name: str, size: tuple[int, int]):
    width, height = size
    caption = render_caption(CAPTIONS[name], width=width, height=height, out=tmp_path / "caption.png")
    left, top, right, bottom = ink_box(caption)
    assert left >= SAFE_ZONE.left * width and top >= SAFE_ZONE.top * height
    assert right <= 0.88 * width, "clear of the right 12% where the buttons are"
    assert bottom <= 0.80 * height, "clear of the bottom 20% where the description is"


def test_the_text_is_white_with_a_black_outline(tmp_path: Path):
    caption = render_caption("hello there", width=720, height=1280, out=tmp_path / "caption.png")
    pixels = np.asarray(Image.open(caption.path).convert("RGBA")).reshape(-1, 4)
    opaque = pixels[pixels[:, 3] == 255][:, :3]
    assert (opaque.min(axis=1) > 240).any(), "white fill"
    assert (opaque.max(axis=1) < 15).any(), "black outline"


def test_short_captions_are_big_and_long_ones_shrink_to_fit(tmp_path: Path):
    short = render_caption(CAPTIONS["short"], width=720, height=1280, out=tmp_path / "a.png")
    long = render_caption(CAPTIONS["long"] * 2, width=720, height=1280, out=tmp_path / "b.png")
    assert short.font_size > long.font_size
    assert short.font_size >= 40


def test_words_are_only_broken_when_one_alone_is_wider_than_the_zone(tmp_path: Path):
    normal = render_caption(CAPTIONS["long"], width=720, height=1280, out=tmp_path / "a.png")
    assert not any(line.endswith("-") for line in normal.lines)
    broken = render_caption(LONG_WORDS, width=720, height=1280, out=tmp_path / "b.png")
    assert any(line.endswith("-") for line in broken.lines)
    assert "".join(line.rstrip("-") for line in broken.lines).replace(" ", "") == LONG_WORDS.replace(" ", "")


def test_lines_are_balanced_rather_than_leaving_an_orphan(tmp_path: Path):
    caption = render_caption(CAPTIONS["short"], width=720, height=1280, out=tmp_path / "a.png")
    assert len(caption.lines) == 2, "too wide for one line at the largest size"
    assert len(caption.lines[-1]) >= len(caption.lines[0]) / 2


def test_text_that_cannot_fit_is_shortened_with_an_ellipsis(tmp_path: Path):
    caption = render_caption(CAPTIONS["far too long"], width=720, height=1280, out=tmp_path / "a.png")
    assert caption.lines[-1].endswith("…")


def test_explicit_line_breaks_are_kept(tmp_path: Path):
    caption = render_caption(CAPTIONS["two lines"], width=720, height=1280, out=tmp_path / "a.png")
    assert caption.lines == ("not sleeping", "just thinking about it")


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_caption_draws_nothing(tmp_path: Path, text: str):
    assert render_caption(text, width=720, height=1280, out=tmp_path / "a.png") is None


@pytest.mark.parametrize("name", list(CAPTIONS))
def test_stepping_around_the_subject_never_leaves_the_safe_zone(tmp_path: Path, name: str):
    caption = render_caption(CAPTIONS[name], width=720, height=1280, out=tmp_path / "a.png", keep_clear=(0.2, 0.3))
    left, top, right, bottom = ink_box(caption)
    assert left >= SAFE_ZONE.left * 720 and top >= SAFE_ZONE.top * 1280
    assert right <= 0.88 * 720 and bottom <= 0.80 * 1280


@pytest.mark.parametrize("name", ["short", "two lines", "medium"])
def test_the_caption_goes_above_or_below_the_face_when_there_is_room(tmp_path: Path, name: str):
    face = (0.2, 0.45)
    caption = render_caption(CAPTIONS[name], width=720, height=1280, out=tmp_path / "a.png", keep_clear=face)
    _, top, _, bottom = ink_box(caption)
    assert bottom <= face[0] * 1280 or top >= face[1] * 1280
