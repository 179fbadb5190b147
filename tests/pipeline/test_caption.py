import pytest

from artists.models import FileKind
from content.pipeline import caption
from tests.pipeline.conftest import TEMPLATE

pytestmark = pytest.mark.django_db


def _context(artist, make_context, length: str):
    ctx = make_context(artist, caption_length=length)
    ctx.outputs["prepare"] = {"song_id": str(artist.files.get(kind=FileKind.SONG).id), "mood": "tender"}
    ctx.outputs["clip"] = {"lyrics": "turn it up turn it up till the night comes down"}
    return ctx


def test_no_caption_is_written_when_none_is_asked(artist, make_context):
    assert caption.run(_context(artist, make_context, "none")).output == {"text": ""}


@pytest.mark.parametrize("length", ["short", "medium", "long"])
def test_the_caption_fits_the_templates_limit_for_its_length(artist, make_context, length):
    text = caption.run(_context(artist, make_context, length)).output["text"]
    assert 0 < len(text) <= TEMPLATE["caption_guide"]["max_chars"][length]


def test_the_same_run_seed_writes_the_same_caption(artist, make_context):
    first = caption.run(_context(artist, make_context, "medium")).output
    assert caption.run(_context(artist, make_context, "medium")).output == first
