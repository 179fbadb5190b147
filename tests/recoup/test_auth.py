from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from recoup import auth
from recoup.admin import ApiKeyAdmin
from recoup.models import ApiKey, api_key_create

pytestmark = pytest.mark.django_db

URL = "/api/artists"


@pytest.fixture(autouse=True)
def no_remembered_keys():
    auth.forget_api_keys()


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock of the key cache forward by `clock.advance(seconds)`."""

    class Clock:
        offset = 0.0

        def advance(self, seconds: float) -> None:
            self.offset += seconds

    clock = Clock()
    real = auth.monotonic
    monkeypatch.setattr(auth, "monotonic", lambda: real() + clock.offset)
    return clock


def get(**headers):
    return APIClient().get(URL, **headers)


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "error", "error": "Unauthorized"}


def test_a_request_without_a_key_is_unauthorized():
    assert_unauthorized(get())


def test_an_unknown_key_is_unauthorized():
    assert_unauthorized(get(HTTP_X_API_KEY="recoup_sk_" + "x" * 43))


def test_a_key_without_the_prefix_is_unauthorized():
    assert_unauthorized(get(HTTP_X_API_KEY="not-a-key"))


def test_a_revoked_key_is_unauthorized(owner):
    key, raw = api_key_create(account=owner)
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    assert_unauthorized(get(HTTP_X_API_KEY=raw))


def test_a_key_revoked_by_another_process_stops_working_once_the_cache_expires(owner, settings, clock):
    settings.API_KEY_CACHE_SECONDS = 5
    key, raw = api_key_create(account=owner)
    assert get(HTTP_X_API_KEY=raw).status_code == 200
    # An update sends no signal: this process learns of it like any other, from the database.
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    clock.advance(4)
    assert get(HTTP_X_API_KEY=raw).status_code == 200
    clock.advance(1.5)
    assert_unauthorized(get(HTTP_X_API_KEY=raw))


def test_with_no_cache_a_revoked_key_stops_at_once(owner, settings):
    settings.API_KEY_CACHE_SECONDS = 0
    key, raw = api_key_create(account=owner)
    assert get(HTTP_X_API_KEY=raw).status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    assert_unauthorized(get(HTTP_X_API_KEY=raw))


def test_a_key_revoked_in_the_admin_stops_at_once_in_that_process(owner):
    key, raw = api_key_create(account=owner)
    assert get(HTTP_X_API_KEY=raw).status_code == 200
    ApiKeyAdmin(ApiKey, admin.site).revoke(None, ApiKey.objects.filter(pk=key.pk))
    assert_unauthorized(get(HTTP_X_API_KEY=raw))


def test_a_key_saved_with_a_revocation_stops_at_once_in_that_process(owner):
    key, raw = api_key_create(account=owner)
    assert get(HTTP_X_API_KEY=raw).status_code == 200
    key.revoked_at = timezone.now()
    key.save()
    assert_unauthorized(get(HTTP_X_API_KEY=raw))


def test_a_remembered_key_still_expires_on_time(owner, monkeypatch):
    _, raw = api_key_create(account=owner, expires_at=timezone.now() + timedelta(minutes=1))
    assert get(HTTP_X_API_KEY=raw).status_code == 200
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert_unauthorized(get(HTTP_X_API_KEY=raw))


def test_last_used_at_is_written_at_most_every_five_minutes(owner, monkeypatch):
    key, raw = api_key_create(account=owner)
    get(HTTP_X_API_KEY=raw)
    first = ApiKey.objects.get(pk=key.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        get(HTTP_X_API_KEY=raw)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiKey.objects.get(pk=key.pk).last_used_at == first
    later = first + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    get(HTTP_X_API_KEY=raw)
    assert ApiKey.objects.get(pk=key.pk).last_used_at == later


def test_an_expired_key_is_unauthorized(owner):
    _, raw = api_key_create(account=owner, expires_at=timezone.now() - timedelta(seconds=1))
    assert_unauthorized(get(HTTP_X_API_KEY=raw))


def test_a_key_that_expires_later_works(owner):
    _, raw = api_key_create(account=owner, expires_at=timezone.now() + timedelta(days=1))
    assert get(HTTP_X_API_KEY=raw).status_code == 200


def test_both_headers_at_once_are_unauthorized_even_when_the_key_is_good(owner_key):
    assert_unauthorized(get(HTTP_X_API_KEY=owner_key, HTTP_AUTHORIZATION=f"Bearer {owner_key}"))


def test_the_x_api_key_header_works(owner_key):
    assert get(HTTP_X_API_KEY=owner_key).json()["status"] == "success"


def test_a_bearer_token_works(owner_key):
    assert get(HTTP_AUTHORIZATION=f"Bearer {owner_key}").json()["status"] == "success"


def test_only_a_keyed_hash_of_the_key_is_stored(owner):
    key, raw = api_key_create(account=owner)
    stored = ApiKey.objects.filter(pk=key.pk).values().get()
    assert raw not in str(stored)
    assert len(raw) >= len("recoup_sk_") + 32
    assert raw.startswith("recoup_sk_")


def test_schema_and_docs_need_no_key():
    client = APIClient()
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
