import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from recoup.models import Account

pytestmark = pytest.mark.django_db


def create_key(*args: str) -> str:
    out = io.StringIO()
    call_command("createapikey", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


def test_it_creates_the_account_and_prints_a_working_key_on_the_last_line():
    key = create_key("--account", "label-one")
    assert Account.objects.filter(name="label-one").exists()
    response = APIClient().get("/api/artists", HTTP_X_API_KEY=key)
    assert response.status_code == 200


def test_a_second_key_for_the_same_account_reuses_the_account():
    first = create_key("--account", "label-two")
    second = create_key("--account", "label-two")
    assert first != second
    assert Account.objects.filter(name="label-two").count() == 1
