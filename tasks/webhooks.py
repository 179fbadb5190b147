"""Standard Webhooks delivery of finished runs (SPEC section 8).

When a run ends, its run object is frozen into a message (id and body) and delivered by its own
django-q2 job; a failed attempt schedules the next one with exponential backoff. Every attempt
of a message sends the same id and body, newly timestamped and signed, so a receiver can
deduplicate, and a run retried meanwhile does not change what its earlier end reported.
Delivery only writes WebhookDelivery rows: it never changes the run.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, schedule
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from tasks.models import Run, WebhookDelivery

logger = logging.getLogger(__name__)

DELIVER_JOB = "tasks.webhooks.deliver"


def run_finished(run_id: str) -> None:
    """Queues delivery of the run as it ended, if it asked for a callback.

    Never raises: the run has ended either way, and a webhook must not fail it.
    """
    from tasks.serializers import RunSerializer

    try:
        run = Run.objects.prefetch_related("steps").filter(pk=run_id).exclude(callback_url="").first()
        if run is None:
            return
        # A run can end more than once (failed, retried, failed again): each end is its own message.
        message_id = f"msg_{run.pk}_{run.status.lower()}_{run.attempts}"
        body = json.dumps(RunSerializer(run).data, separators=(",", ":"))
        async_task(DELIVER_JOB, run.pk, message_id, body, 1, task_name=f"webhook-{message_id}", group="webhooks")
    except Exception:  # noqa: BLE001 - a broken queue must not fail the run
        logger.exception("could not queue the webhook of run %s", run_id)


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class UnsafeAddress(Exception):
    """The destination is not a public address (SSRF); never retried."""


def check_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    # Link-local holds cloud metadata services (169.254.169.254): no setting opens it.
    if address.is_link_local:
        raise UnsafeAddress(f"{address} is link-local")
    if address.is_loopback and (settings.WEBHOOK_ALLOW_LOOPBACK or settings.WEBHOOK_ALLOW_PRIVATE):
        return
    if address.is_private and settings.WEBHOOK_ALLOW_PRIVATE:
        return
    if not address.is_global or address.is_multicast:
        raise UnsafeAddress(f"{address} is not a public address")


def check_destination(url: str) -> None:
    """Refuses a host that resolves to any address we may not call, before connecting to it."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        # DNS failures pass; they are retried like any connection error.
        raise requests.ConnectionError(f"cannot resolve {host}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        try:
            check_address(address)
        except UnsafeAddress as exc:
            raise UnsafeAddress(f"{host} resolves to a non-public address: {exc}") from None


class _CheckedPeer:
    """Checks the address actually connected to: DNS may answer differently than it did for
    check_destination (DNS rebinding), and the request must not go out then."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        try:
            check_address(ipaddress.ip_address(sock.getpeername()[0]))
        except UnsafeAddress:
            sock.close()
            raise
        return sock


class _CheckedHTTPConnection(_CheckedPeer, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedPeer, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}


def _post(url: str, body: str, headers: dict[str, str]) -> int:
    with requests.Session() as session:
        # No proxies or .netrc from the environment: a proxy would bypass the address check,
        # and .netrc credentials must never go to a URL a client chose.
        session.trust_env = False
        session.mount("http://", _CheckedAdapter())
        session.mount("https://", _CheckedAdapter())
        # stream: only the status matters, and a receiver could answer with an endless body.
        response = session.post(
            url,
            data=body.encode(),
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
            stream=True,
        )
        response.close()
        return response.status_code


def deliver(run_id: str, message_id: str, body: str, attempt: int) -> None:
    """One attempt to POST a message; schedules the next attempt when this one fails."""
    run = Run.objects.select_related("account").filter(pk=run_id).first()
    if run is None or not run.callback_url:
        return
    # A job may be delivered twice; a message the receiver has taken is not sent again.
    if WebhookDelivery.objects.filter(run=run, message_id=message_id, delivered=True).exists():
        return
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "user-agent": "recoup-webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(run.account.webhook_secret, message_id, timestamp, body),
    }
    record = WebhookDelivery(run=run, message_id=message_id, attempt=attempt, url=run.callback_url)
    retry = True
    started = time.monotonic()
    try:
        check_destination(run.callback_url)
        record.status_code = _post(run.callback_url, body, headers)
        record.delivered = 200 <= record.status_code < 300
        if not record.delivered:
            record.error = f"HTTP {record.status_code}"
    except UnsafeAddress as exc:
        record.error = f"refused: {exc}"[:500]
        retry = False  # the address will not become public by waiting
    except requests.RequestException as exc:
        record.error = f"{type(exc).__name__}: {exc}"[:500]
    record.duration_ms = int((time.monotonic() - started) * 1000)
    record.save()
    if record.delivered or not retry or attempt >= settings.WEBHOOK_MAX_ATTEMPTS:
        return
    delay = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1)
    try:
        schedule(
            DELIVER_JOB,
            run_id,
            message_id,
            body,
            attempt + 1,
            name=f"webhook-{message_id}-{attempt + 1}",
            schedule_type=Schedule.ONCE,
            next_run=timezone.now() + timedelta(seconds=delay),
        )
    except IntegrityError:
        # The name is taken: this attempt ran twice and the next one is already scheduled.
        logger.info("attempt %s of %s is already scheduled", attempt + 1, message_id)
