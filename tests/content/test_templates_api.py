import pytest

pytestmark = pytest.mark.django_db

SPEC_TABLE = {
    "artist-caption-bedroom": (True, False),
    "artist-caption-outside": (True, False),
    "artist-caption-stage": (True, True),
    "album-record-store": (False, False),
    "artist-release-editorial": (True, False),
}


def test_the_list_has_the_five_shipped_templates_with_their_flags(api):
    body = api.get("/api/content/templates").json()
    assert body["status"] == "success"
    listed = {t["id"]: (t["uses_face_guide"], t["default_lipsync"]) for t in body["templates"]}
    assert listed == SPEC_TABLE
    assert set(body["templates"][0]) == {"id", "description", "default_lipsync", "uses_face_guide"}


def test_the_detail_is_the_whole_template(api):
    body = api.get("/api/content/templates/artist-caption-bedroom").json()
    template = body["template"]
    assert template["image_prompt"]
    assert set(template["style_rules"]) >= {"camera", "environment", "subject", "realism"}
    assert len(template["moods"]) >= 8 and len(template["movements"]) >= 8
    assert set(template["caption_guide"]["max_chars"]) == {"short", "medium", "long"}
    assert template["reference_images"]
    assert all(image["url"].startswith("http://testserver/media/templates/") for image in template["reference_images"])


def test_an_unknown_template_is_404(api):
    response = api.get("/api/content/templates/nope")
    assert response.status_code == 404
    assert response.json()["status"] == "error"
