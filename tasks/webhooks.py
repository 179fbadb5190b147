"""Standard Webhooks delivery of finished runs (SPEC section 8).

Delivery is its own django-q2 job, retried with backoff; it never changes the run.
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
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from tasks.models import Run, WebhookDelivery

logger = logging.getLogger(__name__)

DELIVER_JOB = "tasks.webhooks.deliver"


def run_finished(run_id: str) -> None:
    """Queues delivery when the run asked for a callback. Never raises: the run has ended either way."""
    try:
        if Run.objects.filter(pk=run_id).exclude(callback_url="").exists():
            async_task(DELIVER_JOB, run_id, 1, task_name=f"webhook-{run_id}", group="webhooks")
    except Exception:  # noqa: BLE001 - a broken queue must not fail the run
        logger.exception("could not queue the webhook of run %s", run_id)


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class UnsafeAddress(Exception):
    pass


def check_destination(url: str) -> None:
    """Refuses private, loopback, link-local and reserved targets unless settings allow them."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        raise UnsafeAddress(f"cannot resolve {host}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback and settings.WEBHOOK_ALLOW_LOOPBACK:
            continue
        if settings.WEBHOOK_ALLOW_PRIVATE and (address.is_private or address.is_loopback):
            continue
        if not address.is_global or address.is_multicast:
            raise UnsafeAddress(f"{host} resolves to a non-public address ({address})")


def deliver(run_id: str, attempt: int) -> None:
    from tasks.serializers import RunSerializer

    run = Run.objects.select_related("account").prefetch_related("steps").filter(pk=run_id).first()
    if run is None or not run.callback_url:
        return
    message_id = f"msg_{run.pk}_{run.status.lower()}"
    body = json.dumps(RunSerializer(run).data, separators=(",", ":"))
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "user-agent": "recoup-webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(run.account.webhook_secret, message_id, timestamp, body),
    }
    record = WebhookDelivery(run=run, message_id=message_id, attempt=attempt, url=run.callback_url)
    started = time.monotonic()
    try:
        check_destination(run.callback_url)
        response = requests.post(
            run.callback_url, data=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS, allow_redirects=False
        )
        record.status_code = response.status_code
        record.delivered = 200 <= response.status_code < 300
        if not record.delivered:
            record.error = f"HTTP {response.status_code}"
    except UnsafeAddress as exc:
        record.error = f"refused: {exc}"[:500]
        attempt = settings.WEBHOOK_MAX_ATTEMPTS  # never retry a refused destination
    except requests.RequestException as exc:
        record.error = f"{type(exc).__name__}: {exc}"[:500]
    record.duration_ms = int((time.monotonic() - started) * 1000)
    record.save()
    if not record.delivered and attempt < settings.WEBHOOK_MAX_ATTEMPTS:
        delay = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1)
        schedule(
            DELIVER_JOB,
            run_id,
            attempt + 1,
            name=f"webhook-{run_id}-{attempt + 1}",
            schedule_type=Schedule.ONCE,
            next_run=timezone.now() + timedelta(seconds=delay),
        )
