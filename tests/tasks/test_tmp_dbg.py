import pytest
from django_q.conf import Conf
from django.db import connection

pytestmark = [pytest.mark.django_db]

@pytest.fixture
def sync_cluster(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)

def test_dbg(api, artist, sync_cluster, django_capture_on_commit_callbacks):
    print("atomic?", connection.in_atomic_block)
    with django_capture_on_commit_callbacks(execute=True) as cbs:
        response = api.post("/api/content/create", {"artist_account_id": str(artist.pk)}, format="json")
        print("callbacks", len(cbs), response.status_code)
    assert response.status_code == 202, response.content
