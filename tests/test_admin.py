"""Operators inspect everything in the Django admin."""

import pytest
from django.contrib.auth.models import User

from recoup.models import ApiKey
from tasks.models import Run, RunStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    User.objects.create_superuser("ops", "ops@example.com", "pw")
    client.login(username="ops", password="pw")
    return client


@pytest.fixture
def run(owner, artist):
    from content.models import Template

    run = Run.objects.create(
        account=owner, artist=artist, template=Template.objects.get(pk="artist-caption-bedroom"), payload={}, seed=1
    )
    RunStep.objects.create(run=run, position=0, name="prepare", status="COMPLETED")
    return run


@pytest.mark.parametrize(
    "path",
    [
        "/admin/recoup/account/",
        "/admin/recoup/apikey/",
        "/admin/artists/artist/",
        "/admin/artists/artistfile/",
        "/admin/content/template/",
        "/admin/tasks/run/",
        "/admin/tasks/run/?status__exact=QUEUED",
        "/admin/tasks/run/?template__id__exact=artist-caption-bedroom",
        "/admin/tasks/webhookdelivery/",
    ],
)
def test_every_list_page_opens(operator, run, path):
    assert operator.get(path).status_code == 200


def test_runs_are_found_by_id_and_show_their_steps(operator, run):
    listing = operator.get(f"/admin/tasks/run/?q={run.pk}")
    assert run.pk in listing.content.decode()
    detail = operator.get(f"/admin/tasks/run/{run.pk}/change/").content.decode()
    assert "prepare" in detail


def test_the_template_and_artist_pages_open(operator, artist):
    assert operator.get("/admin/content/template/artist-caption-stage/change/").status_code == 200
    assert operator.get(f"/admin/artists/artist/{artist.pk}/change/").status_code == 200


def test_a_key_made_in_the_admin_is_shown_once_and_only_its_hash_is_kept(operator, owner):
    response = operator.post(
        "/admin/recoup/apikey/add/", {"account": owner.pk, "name": "ci"}, follow=True
    )
    text = response.content.decode()
    assert "recoup_sk_" in text
    raw = text[text.index("recoup_sk_") :].split("<")[0].split()[0]
    key = ApiKey.objects.get(name="ci")
    assert raw not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert raw not in operator.get(f"/admin/recoup/apikey/{key.pk}/change/").content.decode()
