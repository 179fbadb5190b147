"""When the job broker refuses work, the client learns how many runs were not triggered."""

import pytest
from django_q.brokers.orm import ORM
from django_q.conf import Conf

from tasks.models import Run

# Runs are queued on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

URL = "/api/content/create"


class BrokerThatFillsUp(ORM):
    """The real ORM broker, refusing every job after the first two, as a full queue would."""

    accepted = 0

    def enqueue(self, task):
        if BrokerThatFillsUp.accepted >= 2:
            raise ConnectionError("queue is full")
        BrokerThatFillsUp.accepted += 1
        return super().enqueue(task)


@pytest.fixture
def filling_broker(monkeypatch):
    BrokerThatFillsUp.accepted = 0
    monkeypatch.setattr(Conf, "BROKER_CLASS", f"{__name__}.BrokerThatFillsUp")


@pytest.fixture
def unreachable_redis(monkeypatch):
    """A Redis broker pointed at a port where nothing listens: every enqueue fails for real."""
    monkeypatch.setattr(Conf, "BROKER_CLASS", None)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", "redis://127.0.0.1:9/0")


def test_runs_the_broker_refused_are_counted_as_failed_and_not_returned(api, artist, filling_broker):
    response = api.post(URL, {"artist_account_id": str(artist.pk), "batch": 5}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert len(body["runIds"]) == 2
    assert body["failed"] == 3
    assert set(Run.objects.values_list("pk", flat=True)) == set(body["runIds"])


def test_failed_is_absent_when_every_run_was_queued(api, artist):
    body = api.post(URL, {"artist_account_id": str(artist.pk), "batch": 3}, format="json").json()
    assert "failed" not in body


def test_when_no_run_can_be_queued_the_answer_is_503_with_failed(api, artist, unreachable_redis):
    response = api.post(URL, {"artist_account_id": str(artist.pk), "batch": 4}, format="json")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failed"] == 4
    assert not Run.objects.exists()
