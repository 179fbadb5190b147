"""The five shipped templates of SPEC section 6, as `migrate` leaves them, and the scenes drawn for them."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from PIL import Image, ImageStat

from content import scenes
from content.models import DEFAULT_TEMPLATE, Template, TemplateReferenceImage
from content.scenes import draw_scene
from content.seed import MOTION_KEYWORDS, TEMPLATES

seed_migration = importlib.import_module("content.migrations.0002_seed_templates")

# id: (uses_face_guide, default_lipsync, uses_artist_image)
SPEC_TABLE = {
    "artist-caption-bedroom": (True, False, False),
    "artist-caption-outside": (True, False, False),
    "artist-caption-stage": (True, True, False),
    "album-record-store": (False, False, True),
    "artist-release-editorial": (True, False, False),
}
MIN_EXAMPLES = {"short": 6, "medium": 4, "long": 3}


@pytest.fixture
def shipped(db) -> list[Template]:
    return list(Template.objects.filter(id__in=SPEC_TABLE).prefetch_related("reference_images"))


def test_the_five_spec_templates_exist_after_migrate_with_the_spec_flags(shipped):
    flags = {t.id: (t.uses_face_guide, t.default_lipsync, t.uses_artist_image) for t in shipped}
    assert flags == SPEC_TABLE


def test_the_default_template_is_one_of_them(shipped):
    assert DEFAULT_TEMPLATE in {t.id for t in shipped}


def test_every_template_has_a_prompt_and_the_four_style_rules(shipped):
    for template in shipped:
        assert len(template.image_prompt) > 200, template.id
        assert template.description
        for rule in ("camera", "environment", "subject", "realism"):
            assert isinstance(template.style_rules[rule], str) and template.style_rules[rule], (template.id, rule)


def test_every_composition_places_the_subject_inside_the_frame(shipped):
    for template in shipped:
        composition = template.style_rules["composition"]
        x, y = composition["subject_center"]
        height = composition["subject_height"]
        assert 0 < x < 1 and 0 < y < 1, template.id
        assert 0 < height < 0.5, template.id
        assert y - height / 2 >= 0 and y + height / 2 <= 1, template.id


def test_every_template_has_at_least_eight_distinct_moods_and_movements(shipped):
    for template in shipped:
        assert len(template.moods) >= 8 and len(set(template.moods)) == len(template.moods), template.id
        assert len(template.movements) >= 8 and len(set(template.movements)) == len(template.movements), template.id


def test_every_movement_names_a_motion_the_local_provider_understands(shipped):
    for template in shipped:
        for movement in template.movements:
            assert any(keyword in movement.lower() for keyword in MOTION_KEYWORDS), (template.id, movement)


def test_every_caption_guide_has_a_tone_rules_formats_and_enough_examples(shipped):
    for template in shipped:
        guide = template.caption_guide
        assert guide["tone"] and guide["rules"] and guide["formats"], template.id
        assert set(guide["max_chars"]) == {"short", "medium", "long"}, template.id
        for length, least in MIN_EXAMPLES.items():
            assert len(guide["examples"][length]) >= least, (template.id, length)


def test_every_caption_example_fits_its_max_chars(shipped):
    for template in shipped:
        guide = template.caption_guide
        for length, examples in guide["examples"].items():
            for example in examples:
                assert len(example) <= guide["max_chars"][length], (template.id, length, example)


def test_short_captions_are_at_most_two_lines(shipped):
    for template in shipped:
        for example in template.caption_guide["examples"]["short"]:
            assert len(example.splitlines()) <= 2, (template.id, example)


def test_every_template_writes_its_captions_in_lowercase(shipped):
    for template in shipped:
        for examples in template.caption_guide["examples"].values():
            assert all(example == example.lower() for example in examples), template.id


def test_every_template_has_three_reference_images_stored_under_its_id(shipped):
    for template in shipped:
        names = sorted(image.image.name for image in template.reference_images.all())
        assert names == [f"templates/{template.id}/{variant}.png" for variant in range(3)]
        assert all(image.title for image in template.reference_images.all())


def test_every_reference_image_exists_in_storage_and_decodes_as_720x1280(shipped):
    for template in shipped:
        for reference in template.reference_images.all():
            assert default_storage.exists(reference.image.name), reference.image.name
            with default_storage.open(reference.image.name, "rb") as handle:
                image = Image.open(handle)
                image.load()
            assert image.format == "PNG"
            assert image.size == (720, 1280), reference.image.name


@pytest.mark.slow
@pytest.mark.django_db
def test_seeding_again_changes_nothing_and_unseeding_removes_rows_and_files():
    before = sorted(TemplateReferenceImage.objects.values_list("template_id", "image", "title"))

    seed_migration.seed_templates(apps, None)
    assert sorted(TemplateReferenceImage.objects.values_list("template_id", "image", "title")) == before
    assert Template.objects.filter(id__in=SPEC_TABLE).count() == 5

    names = [name for _, name, _ in before]
    seed_migration.unseed_templates(apps, None)
    assert not Template.objects.filter(id__in=SPEC_TABLE).exists()
    assert not any(default_storage.exists(name) for name in names)

    # Put everything back: the files outlive this test's transaction and other tests use them.
    seed_migration.seed_templates(apps, None)
    assert sorted(TemplateReferenceImage.objects.values_list("template_id", "image", "title")) == before
    assert all(default_storage.exists(name) for name in names)


def test_the_seed_describes_exactly_the_templates_scenes_can_draw():
    assert {seed["id"] for seed in TEMPLATES} == set(SPEC_TABLE)
    for seed in TEMPLATES:
        assert len(seed["reference_images"]) == scenes.VARIANTS


def test_draw_scene_is_deterministic():
    for template_id in SPEC_TABLE:
        first, again = draw_scene(template_id, 1), draw_scene(template_id, 1)
        assert first.tobytes() == again.tobytes(), template_id


def test_draw_scene_variants_differ():
    for template_id in SPEC_TABLE:
        drawn = [draw_scene(template_id, variant).tobytes() for variant in range(scenes.VARIANTS)]
        assert len(set(drawn)) == scenes.VARIANTS, template_id


def test_draw_scene_draws_any_requested_size():
    image = draw_scene("artist-caption-stage", 0, size=(360, 640))
    assert image.size == (360, 640) and image.mode == "RGB"


def test_draw_scene_rejects_an_unknown_template():
    with pytest.raises(ValueError, match="no-such-template"):
        draw_scene("no-such-template", 0)


def test_the_record_store_scene_leaves_the_label_where_the_composition_puts_the_album_art():
    composition = next(seed for seed in TEMPLATES if seed["id"] == "album-record-store")["style_rules"]["composition"]
    assert composition["subject_center"] == list(scenes.RECORD_CENTER)
    assert composition["subject_height"] == scenes.LABEL_DIAMETER
    assert composition["record_height"] == scenes.RECORD_DIAMETER
    # The label is one plain colour so the album art can cover it cleanly.
    image = draw_scene("album-record-store", 0)
    cx, cy = (round(f * n) for f, n in zip(composition["subject_center"], image.size, strict=True))
    radius = round(composition["subject_height"] * image.size[1] / 2 * 0.7)
    label = image.crop((cx - radius, cy - radius // 2, cx - radius // 2, cy + radius // 2))
    assert max(ImageStat.Stat(label).stddev) < 15


def test_a_reference_png_is_small_enough_to_ship():
    buffer = io.BytesIO()
    draw_scene("artist-caption-outside", 0).save(buffer, format="PNG")
    assert buffer.tell() < 1_500_000
