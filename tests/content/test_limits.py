"""Per-key rate limits and the per-account cap on runs in flight: 429 with Retry-After."""

import pytest
from django.core.cache import cache

from recoup.throttling import ApiKeyRateThrottle, CreateRateThrottle
from tasks.models import Run

# Runs are queued on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

URL = "/api/content/create"


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch):
    cache.clear()
    # Limits count in fixed windows: a test crossing into the next minute would start afresh.
    monkeypatch.setattr(ApiKeyRateThrottle, "timer", staticmethod(lambda: 60 * 28_000_000 + 30.0))


def test_creates_past_the_keys_rate_get_429_with_retry_after(api, artist, monkeypatch):
    monkeypatch.setattr(CreateRateThrottle, "rate", "2/minute", raising=False)
    body = {"artist_account_id": str(artist.pk)}
    assert [api.post(URL, body, format="json").status_code for _ in range(2)] == [202, 202]
    response = api.post(URL, body, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == "error"
    assert Run.objects.count() == 2


def test_one_keys_limit_does_not_touch_another_key(api, stranger_api, monkeypatch):
    monkeypatch.setattr(ApiKeyRateThrottle, "rate", "1/minute", raising=False)
    assert api.get("/api/artists").status_code == 200
    assert api.get("/api/artists").status_code == 429
    assert stranger_api.get("/api/artists").status_code == 200


def test_a_batch_that_would_pass_the_in_flight_cap_is_refused_whole(api, artist, settings):
    settings.MAX_RUNS_IN_FLIGHT = 5
    assert api.post(URL, {"artist_account_id": str(artist.pk), "batch": 4}, format="json").status_code == 202
    response = api.post(URL, {"artist_account_id": str(artist.pk), "batch": 2}, format="json")
    assert response.status_code == 429
    assert "4 runs queued or executing" in response.json()["error"]
    assert int(response["Retry-After"]) > 0
    assert Run.objects.count() == 4
    assert api.post(URL, {"artist_account_id": str(artist.pk), "batch": 1}, format="json").status_code == 202
