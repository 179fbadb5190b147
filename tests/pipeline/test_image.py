"""The image: the face guide found, cropped and composited into the scene, graded by mood."""

from pathlib import Path

import numpy as np
import pytest
from django.core.files.storage import default_storage
from PIL import Image

from content.media import images, synth
from content.pipeline import image as image_step
from content.providers.local import LocalProvider
from content.scenes import draw_scene
from content.seed import BEDROOM, RECORD_STORE
from tests.pipeline.conftest import TEMPLATE

pytestmark = pytest.mark.slow


def to_storage(name: str, path: Path) -> str:
    with open(path, "rb") as handle:
        return default_storage.save(name, handle)


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("image")
    bedroom, store = folder / "bedroom.png", folder / "store.png"
    draw_scene(BEDROOM["id"], 0).save(bedroom)
    draw_scene(RECORD_STORE["id"], 0).save(store)
    art = folder / "art.png"
    Image.new("RGB", (600, 600), (20, 200, 60)).save(art)
    return {"bedroom": bedroom, "store": store, "face": synth.face_guide_png(folder / "face.png", seed=2), "art": art}


def make(media: dict, tmp_path: Path, *, mood: str, template: dict = BEDROOM, **files) -> np.ndarray:
    out = tmp_path / f"{mood}.png"
    LocalProvider().make_image(
        reference=files.get("reference", media["bedroom"]),
        face_guide=files.get("face_guide", media["face"]),
        artist_image=files.get("artist_image"),
        template=template,
        mood=mood,
        seed=1,
        out=out,
    )
    with Image.open(out) as made:
        assert made.format == "PNG"
        return np.asarray(made.convert("RGB")).astype(int)


def test_it_finds_the_face_in_a_portrait(tmp_path):
    for seed in range(4):
        portrait = Image.open(synth.face_guide_png(tmp_path / f"face-{seed}.png", seed=seed))
        face = images.find_face(portrait)
        # synth draws the face centred at 44% of the height, 40% of the height tall.
        assert abs(face.cx - 384) < 40
        assert abs(face.cy - 0.44 * 1024) < 0.1 * 1024
        assert 0.3 * 1024 < face.height < 0.55 * 1024


def test_the_image_is_720x1280_with_the_face_at_the_templates_spot(media, tmp_path):
    pixels = make(media, tmp_path, mood="deadpan")
    assert pixels.shape == (1280, 720, 3)
    scene = np.asarray(Image.open(media["bedroom"]).convert("RGB")).astype(int)
    changed = np.abs(pixels - scene).sum(axis=2) > 60
    cx, cy = BEDROOM["style_rules"]["composition"]["subject_center"]
    ys, xs = np.nonzero(changed)
    assert abs(np.median(xs) - cx * 720) < 60 and abs(np.median(ys) - cy * 1280) < 160
    # Away from the subject the scene is only graded, not replaced.
    assert changed[1150:, :].mean() < 0.05


def test_the_mood_changes_the_grade(media, tmp_path):
    warm = make(media, tmp_path, mood="golden")
    cold = make(media, tmp_path, mood="cold")
    assert np.abs(warm - cold).mean() > 4
    # Warm moods push red over blue, cold ones the other way.
    assert (warm[..., 0] - warm[..., 2]).mean() > (cold[..., 0] - cold[..., 2]).mean()


def test_the_same_mood_gives_the_same_picture_and_unknown_moods_still_differ(media, tmp_path):
    assert np.array_equal(make(media, tmp_path, mood="wistful"), make(media, tmp_path, mood="wistful"))
    assert images.mood_grade("zorblax") != images.mood_grade("quuxish")
    assert images.mood_grade("zorblax") == images.mood_grade("Zorblax")


def test_the_record_store_puts_the_album_art_on_the_label(media, tmp_path):
    pixels = make(
        media, tmp_path, mood="mellow", template=RECORD_STORE, reference=media["store"],
        face_guide=None, artist_image=media["art"],
    )  # fmt: skip
    cx, cy = RECORD_STORE["style_rules"]["composition"]["subject_center"]
    label = pixels[round(cy * 1280) + 30, round(cx * 720) + 30]
    assert label[1] > label[0] + 60 and label[1] > label[2] + 60, "the green album art"


def test_without_artist_art_the_scene_is_kept(media, tmp_path):
    pixels = make(media, tmp_path, mood="", template=RECORD_STORE, reference=media["store"], face_guide=None)
    scene = np.asarray(Image.open(media["store"]).convert("RGB")).astype(int)
    assert np.abs(pixels - scene).mean() < 2


@pytest.mark.django_db
def test_the_image_step_saves_the_png_and_names_it(artist, make_context, media):
    ctx = make_context(artist)
    reference = to_storage(f"templates/{TEMPLATE['id']}/scene.png", media["bedroom"])
    ctx.outputs["prepare"] = {"reference_image": reference, "mood": "tender", "artist_image": None}
    result = image_step.run(ctx)
    assert result.output["image"] == f"runs/{ctx.run_id}/image.png"
    with default_storage.open(result.output["image"]) as stored:
        assert Image.open(stored).size == (720, 1280)
    assert result.cost_cents == 0
