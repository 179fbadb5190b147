import pytest

pytestmark = pytest.mark.django_db

URL = "/api/content/estimate"


def test_the_local_provider_costs_nothing(api):
    body = api.get(f"{URL}?batch=3").json()
    assert body["provider"] == "local"
    assert body["perRunCents"] == 0 and body["totalCents"] == 0
    assert [s["name"] for s in body["steps"]][0] == "prepare"


def test_with_fal_the_estimate_adds_the_price_of_each_model(api, settings):
    settings.CONTENT_PROVIDER = "fal"
    plain = api.get(f"{URL}?batch=2").json()
    lipsync = api.get(f"{URL}?batch=2&lipsync=true").json()
    upscaled = api.get(f"{URL}?batch=2&upscale=true").json()
    assert plain["provider"] == "fal"
    assert plain["perRunCents"] > 0
    assert plain["totalCents"] == 2 * plain["perRunCents"]
    assert plain["perRunCents"] == sum(step["costInCents"] for step in plain["steps"])
    assert upscaled["perRunCents"] > plain["perRunCents"]
    assert {"upscale_image", "upscale_video"} <= {s["name"] for s in upscaled["steps"]}
    video = lambda body: next(s["costInCents"] for s in body["steps"] if s["name"] == "video")  # noqa: E731
    prices = settings.FAL_PRICES_CENTS
    assert video(plain) == round(prices[settings.FAL_MODELS["video"]]["per_second"] * settings.VIDEO_SECONDS)
    assert video(lipsync) == round(prices[settings.FAL_MODELS["lipsync"]]["per_second"] * settings.VIDEO_SECONDS)


@pytest.mark.parametrize("query, field", [("batch=0", "batch"), ("batch=31", "batch"), ("lipsync=maybe", "lipsync")])
def test_bad_estimate_queries_are_400(api, query, field):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field
