"""Per-key rate limits count requests in fixed windows of the rate's period (API_RATE_LIMIT)."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from recoup import throttling
from recoup.throttling import ApiKeyRateThrottle

pytestmark = pytest.mark.django_db

URL = "/api/artists"
MINUTE_START = 60 * 28_000_000  # some minute, as time.time() counts


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, 20.25 s into a minute; move it with clock.now += seconds."""

    class Clock:
        now = MINUTE_START + 20.25

    clock = Clock()
    monkeypatch.setattr(ApiKeyRateThrottle, "timer", staticmethod(lambda: clock.now))
    return clock


@pytest.fixture
def two_a_minute(monkeypatch):
    monkeypatch.setattr(ApiKeyRateThrottle, "rate", "2/minute", raising=False)


def test_past_the_rate_the_answer_is_429_until_the_minute_ends(api, clock, two_a_minute):
    assert [api.get(URL).status_code for _ in range(2)] == [200, 200]
    response = api.get(URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "40"  # 39.75 s left in the minute, rounded up
    assert response.json()["status"] == "error"
    clock.now = MINUTE_START + 59.9
    response = api.get(URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    clock.now = MINUTE_START + 60
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 429]


def test_each_key_has_its_own_counter(api, stranger_api, clock, two_a_minute):
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert stranger_api.get(URL).status_code == 200


def requests_of(key_hash: str):
    return SimpleNamespace(auth=SimpleNamespace(key_hash=key_hash))


def test_a_process_takes_a_hundredth_of_the_budget_at_a_time(clock, monkeypatch):
    monkeypatch.setattr(throttling, "_slices", {})
    monkeypatch.setattr(ApiKeyRateThrottle, "rate", "1000/minute", raising=False)
    counter = f"throttle_api_key_k_{int(clock.now // 60)}"
    throttle = ApiKeyRateThrottle()
    assert throttle.allow_request(requests_of("k"), None)
    assert cache.get(counter) == 10
    assert all(throttle.allow_request(requests_of("k"), None) for _ in range(9))
    assert cache.get(counter) == 10
    assert throttle.allow_request(requests_of("k"), None)
    assert cache.get(counter) == 20


def test_processes_sharing_a_key_never_pass_its_budget_together(clock, monkeypatch):
    monkeypatch.setattr(ApiKeyRateThrottle, "rate", "250/minute", raising=False)  # slices of 2
    processes = [{}, {}, {}]
    allowed = 0
    for i in range(400):
        monkeypatch.setattr(throttling, "_slices", processes[i % 3 if i < 200 else 0])
        allowed += ApiKeyRateThrottle().allow_request(requests_of("k"), None)
    # The two processes that stopped asking may each hold part of a slice, unspent.
    assert 250 - 2 * 2 <= allowed <= 250
