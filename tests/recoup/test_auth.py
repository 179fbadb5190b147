from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from recoup.models import ApiKey, api_key_create

pytestmark = pytest.mark.django_db

URL = "/api/artists"


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
