"""Webhooks (SPEC 8): a real HTTP receiver on loopback, retries driven the way a cluster drives them.

Jobs run through django-q's own worker and monitor as they are queued (its sync mode), and due
schedules become jobs through django-q's scheduler, as a cluster's sentinel does. Signatures are
checked with the Standard Webhooks reference library. Only DNS is faked, in the rebinding test.
"""

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django_q.conf import Conf
from django_q.models import Schedule
from django_q.scheduler import scheduler
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from artists.models import FileKind
from tasks.models import Run, RunStatus, WebhookDelivery
from tasks.webhooks import DELIVER_JOB, deliver

# Runs are queued on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BACKOFF = 0.1


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float


class Receiver:
    """An HTTP server on 127.0.0.1 that answers POSTs with the statuses it is given, then 200."""

    def __init__(self) -> None:
        self.answers: list[int] = []
        self.requests: list[Received] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver.requests.append(Received(headers, body, time.monotonic()))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
                pass  # keeps the test output to what fails

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hooks/recoup"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


class Cluster:
    """What a qcluster does, in this process: queued jobs go through django-q's worker and
    monitor as they are queued (its sync mode), and due schedules become jobs (its scheduler)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def start(self) -> None:
        self.monkeypatch.setattr(Conf, "SYNC", True)

    def run_schedules_until(self, done: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert time.monotonic() < deadline, "the scheduled deliveries did not happen in time"
            scheduler()
            time.sleep(0.02)

    def run_all_schedules(self) -> None:
        self.run_schedules_until(lambda: not Schedule.objects.filter(func=DELIVER_JOB).exists())


@pytest.fixture
def cluster(monkeypatch) -> Cluster:
    return Cluster(monkeypatch)


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WEBHOOK_BACKOFF_SECONDS = BACKOFF
    settings.WEBHOOK_ALLOW_LOOPBACK = True  # the receiver lives on loopback
    settings.WEBHOOK_ALLOW_PRIVATE = False
    settings.VIDEO_SECONDS = 2.0  # runs that complete render a short video; the webhook is the same


def trigger(api: APIClient, artist, callback_url: str) -> str:
    response = api.post(
        "/api/content/create", {"artist_account_id": str(artist.pk), "callback_url": callback_url}, format="json"
    )
    assert response.status_code == 202, response.content
    return response.json()["runIds"][0]


def canceled_run(api: APIClient, artist, cluster: Cluster, callback_url: str) -> str:
    """A run that ends by cancel: queued first, so the cluster does not get to execute it."""
    run_id = trigger(api, artist, callback_url)
    cluster.start()
    assert api.post(f"/api/tasks/runs/{run_id}/cancel").status_code == 200
    return run_id


def remove_face_guide(artist) -> None:
    """Makes the next run fail for real, at its image step."""
    default_storage.delete(artist.files.get(kind=FileKind.FACE_GUIDE).file.name)


def verified(request: Received, secret: str) -> dict:
    return Webhook(secret).verify(request.body, request.headers)


def attempts(run_id: str) -> list[tuple[int, int | None, bool]]:
    rows = WebhookDelivery.objects.filter(run_id=run_id).order_by("message_id", "attempt")
    return [(row.attempt, row.status_code, row.delivered) for row in rows]


def test_a_receiver_that_fails_twice_gets_the_delivery_on_the_third_attempt(api, artist, owner, receiver, cluster):
    receiver.answers = [500, 500]
    run_id = canceled_run(api, artist, cluster, receiver.url)

    cluster.run_schedules_until(lambda: WebhookDelivery.objects.filter(run_id=run_id, delivered=True).exists())

    assert attempts(run_id) == [(1, 500, False), (2, 500, False), (3, 200, True)]
    first, second, third = receiver.requests
    # One message, sent three times: same id and body, each attempt newly signed.
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == third.headers["webhook-id"]
    assert first.body == second.body == third.body
    for request in receiver.requests:
        assert verified(request, owner.webhook_secret)["status"] == "CANCELED"
    # Exponential backoff: BACKOFF, then twice that.
    assert second.at - first.at >= BACKOFF
    assert third.at - second.at >= 2 * BACKOFF
    assert not Schedule.objects.filter(func=DELIVER_JOB).exists()


def test_the_body_is_the_run_object_signed_with_the_accounts_secret(api, artist, owner, stranger, receiver, cluster):
    run_id = canceled_run(api, artist, cluster, receiver.url)

    [request] = receiver.requests
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-id"].startswith(f"msg_{run_id}_")
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    assert request.headers["webhook-signature"].startswith("v1,")
    assert owner.webhook_secret.startswith("whsec_")
    [run] = api.get(f"/api/tasks/runs?runId={run_id}").json()["runs"]
    assert verified(request, owner.webhook_secret) == run
    with pytest.raises(WebhookVerificationError):
        verified(Received(request.headers, request.body.replace(b"CANCELED", b"COMPLETED"), 0), owner.webhook_secret)
    with pytest.raises(WebhookVerificationError):
        verified(request, stranger.webhook_secret)


@pytest.mark.parametrize("ending", ["completes", "fails", "is canceled"])
def test_a_run_that_ends_posts_itself_to_its_callback_url(api, artist, owner, receiver, cluster, ending):
    if ending == "is canceled":
        run_id = canceled_run(api, artist, cluster, receiver.url)
    else:
        if ending == "fails":
            remove_face_guide(artist)
        cluster.start()  # the run is executed as it is queued
        run_id = trigger(api, artist, receiver.url)

    [request] = receiver.requests
    body = verified(request, owner.webhook_secret)
    expected = {"completes": RunStatus.COMPLETED, "fails": RunStatus.FAILED, "is canceled": RunStatus.CANCELED}
    assert (body["id"], body["status"]) == (run_id, expected[ending])
    assert (body["output"] is not None) == (ending == "completes")
    assert (body["error"] is not None) == (ending == "fails")
    assert attempts(run_id) == [(1, 200, True)]


def test_a_run_without_callback_url_posts_nothing(api, artist, receiver, cluster):
    response = api.post("/api/content/create", {"artist_account_id": str(artist.pk)}, format="json")
    cluster.start()
    assert api.post(f"/api/tasks/runs/{response.json()['runIds'][0]}/cancel").status_code == 200
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_failing_webhook_never_changes_the_run(api, artist, receiver, cluster, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.PUBLIC_BASE_URL = "http://testserver"  # the webhook's media URLs then read like the API's
    receiver.answers = [500, 500, 500]
    cluster.start()
    run_id = trigger(api, artist, receiver.url)

    cluster.run_all_schedules()

    assert attempts(run_id) == [(1, 500, False), (2, 500, False), (3, 500, False)]
    sent = json.loads(receiver.requests[0].body)
    [shown] = api.get(f"/api/tasks/runs?runId={run_id}").json()["runs"]
    assert shown == sent
    assert shown["status"] == "COMPLETED" and shown["output"]["videoUrl"]


@pytest.mark.parametrize("destination", ["closed port", "unresolvable name"])
def test_an_unreachable_receiver_is_retried_until_the_attempts_run_out(
    api, artist, receiver, cluster, settings, destination
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.server.shutdown()
    receiver.server.server_close()  # nothing listens on its port any more
    # .invalid never resolves (RFC 6761); a DNS failure may be passing, so it is retried too.
    url = receiver.url if destination == "closed port" else "http://hooks.invalid/recoup"
    run_id = canceled_run(api, artist, cluster, url)
    before = Run.objects.values().get(pk=run_id)

    cluster.run_all_schedules()

    rows = list(WebhookDelivery.objects.filter(run_id=run_id).order_by("attempt"))
    assert [(row.attempt, row.delivered) for row in rows] == [(1, False), (2, False), (3, False)]
    assert all("ConnectionError" in row.error for row in rows)
    assert Run.objects.values().get(pk=run_id) == before


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:{port}",
        "localhost:{port}",
        "[::1]:{port}",
        "0.0.0.0:{port}",
        "10.20.30.40",
        "172.16.0.5",
        "192.168.1.10",
        "169.254.169.254",
        "[fe80::1]",
    ],
)
def test_private_loopback_and_link_local_destinations_are_refused_by_default(
    api, artist, receiver, cluster, settings, host
):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    run_id = canceled_run(api, artist, cluster, f"http://{host.format(port=receiver.port)}/hooks/recoup")

    [row] = WebhookDelivery.objects.filter(run_id=run_id)
    assert row.error.startswith("refused:"), row.error
    assert (row.delivered, row.status_code) == (False, None)
    assert not Schedule.objects.filter(func=DELIVER_JOB).exists()  # never retried
    assert receiver.requests == []
    assert Run.objects.get(pk=run_id).status == RunStatus.CANCELED


@pytest.mark.parametrize("host", ["169.254.169.254", "[fe80::1]"])
def test_link_local_stays_refused_when_private_addresses_are_allowed(api, artist, cluster, settings, host):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    run_id = canceled_run(api, artist, cluster, f"http://{host}/latest/meta-data/")
    [row] = WebhookDelivery.objects.filter(run_id=run_id)
    assert row.error.startswith("refused:"), row.error


def test_a_name_that_rebinds_to_loopback_after_the_check_gets_no_request(
    api, artist, receiver, cluster, settings, monkeypatch
):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["93.184.216.34"])  # public for the check, loopback for the connection

    def rebinding_dns(host, port, *args, **kwargs):
        if host != "hooks.rebind.example":
            return real_getaddrinfo(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    run_id = canceled_run(api, artist, cluster, f"http://hooks.rebind.example:{receiver.port}/hooks/recoup")

    [row] = WebhookDelivery.objects.filter(run_id=run_id)
    assert row.error.startswith("refused:"), row.error
    assert receiver.requests == []


def test_a_delivery_job_run_twice_posts_the_message_once(api, artist, receiver, cluster):
    run_id = canceled_run(api, artist, cluster, receiver.url)
    [request] = receiver.requests

    # The broker hands the same job out again, as it may after a worker is lost.
    deliver(run_id, request.headers["webhook-id"], request.body.decode(), 1)

    assert len(receiver.requests) == 1
    assert attempts(run_id) == [(1, 200, True)]


def test_a_run_retried_while_its_webhook_is_pending_still_reports_each_end(api, artist, owner, receiver, cluster):
    remove_face_guide(artist)
    receiver.answers = [500, 500]  # the first attempt of each end fails
    cluster.start()
    run_id = trigger(api, artist, receiver.url)
    # Retried (and failed again) while the first end's second attempt waits for its backoff.
    assert api.post(f"/api/tasks/runs/{run_id}/retry").status_code == 200

    cluster.run_schedules_until(lambda: WebhookDelivery.objects.filter(run_id=run_id, delivered=True).count() == 2)

    messages: dict[str, list[dict]] = {}
    for request in receiver.requests:
        messages.setdefault(request.headers["webhook-id"], []).append(verified(request, owner.webhook_secret))
    assert len(messages) == 2
    for sent in messages.values():
        first, retried = sent
        assert first == retried  # the same report, though the run moved on meanwhile
        assert first["status"] == "FAILED"
    assert sorted(sent[0]["attempts"] for sent in messages.values()) == [1, 2]


@pytest.fixture
def admin_client(db) -> APIClient:
    client = APIClient()
    client.force_login(User.objects.create_superuser("ops", "ops@example.com", "not-used"))
    return client


def test_the_admin_shows_the_accounts_webhook_secret(admin_client, owner):
    page = admin_client.get(f"/admin/recoup/account/{owner.pk}/change/")
    assert page.status_code == 200
    assert owner.webhook_secret in page.content.decode()


def test_the_admin_keeps_a_log_of_every_delivery_attempt(admin_client, api, artist, receiver, cluster):
    receiver.answers = [500]
    run_id = canceled_run(api, artist, cluster, receiver.url)
    cluster.run_schedules_until(lambda: WebhookDelivery.objects.filter(run_id=run_id, delivered=True).exists())
    failed = WebhookDelivery.objects.get(run_id=run_id, attempt=1)

    log = admin_client.get("/admin/tasks/webhookdelivery/")
    assert log.status_code == 200
    assert log.content.decode().count(run_id) >= 2
    assert "HTTP 500" in log.content.decode()
    assert admin_client.get(f"/admin/tasks/webhookdelivery/{failed.pk}/change/").status_code == 200
    run_page = admin_client.get(f"/admin/tasks/run/{run_id}/change/")
    assert run_page.status_code == 200
    assert "HTTP 500" in run_page.content.decode()
    # A log is written by deliveries only.
    assert admin_client.get("/admin/tasks/webhookdelivery/add/").status_code == 403
