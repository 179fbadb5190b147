"""Ships the five templates of SPEC section 6 with three reference images each.

The images are drawn on the spot (content.scenes) rather than downloaded, so `migrate` works offline
and the bytes are the same on every install. The data lives in content.seed, plain Python with no
model imports, so this migration keeps working as the models change.
"""

import copy
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from content.scenes import draw_scene
from content.seed import TEMPLATES


def reference_image_name(template_id: str, variant: int) -> str:
    return f"templates/{template_id}/{variant}.png"


def store_reference_image(template_id: str, variant: int) -> str:
    buffer = io.BytesIO()
    draw_scene(template_id, variant).save(buffer, format="PNG")
    name = reference_image_name(template_id, variant)
    # Storage.save never overwrites (it would pick a new name), so a re-run replaces the old file
    # itself; the drawing is deterministic, so the content is the same anyway.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def seed_templates(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Template = apps.get_model("content", "Template")
    TemplateReferenceImage = apps.get_model("content", "TemplateReferenceImage")
    for seed in TEMPLATES:
        # Copied so saving never shares (and later mutates) the module-level lists.
        fields = {key: copy.deepcopy(value) for key, value in seed.items() if key not in ("id", "reference_images")}
        template, _ = Template.objects.update_or_create(id=seed["id"], defaults=fields)
        for variant, title in enumerate(seed["reference_images"]):
            name = store_reference_image(seed["id"], variant)
            TemplateReferenceImage.objects.update_or_create(template=template, image=name, defaults={"title": title})


def unseed_templates(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Template = apps.get_model("content", "Template")
    TemplateReferenceImage = apps.get_model("content", "TemplateReferenceImage")
    ids = [seed["id"] for seed in TEMPLATES]
    references = TemplateReferenceImage.objects.filter(template_id__in=ids)
    for name in references.values_list("image", flat=True):
        if name:
            default_storage.delete(name)
    references.delete()
    Template.objects.filter(id__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_templates, unseed_templates),
    ]
