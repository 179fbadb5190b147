"""The create endpoint's work: check the artist, queue the batch, and Idempotency-Key bookkeeping."""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound, ValidationError

from artists.selectors import artist_get, artist_missing, artist_songs_matching
from content.models import IdempotencyRecord, Template
from recoup.errors import ArtistNotReady, Conflict, EnqueueFailed
from recoup.models import Account
from tasks.services import runs_trigger

IDEMPOTENCY_WINDOW = timedelta(hours=24)
IN_PROGRESS = 0


def content_create(
    *,
    account: Account,
    artist_account_id,
    template: str,
    caption_length: str,
    upscale: bool,
    batch: int,
    lipsync: bool | None = None,
    songs: list[str] | None = None,
    callback_url: str = "",
) -> dict:
    """Checks the artist has what the template needs, triggers `batch` runs; returns the 202 body."""
    artist = artist_get(account=account, artist_id=artist_account_id)
    if artist is None:
        raise NotFound()
    chosen = Template.objects.get(pk=template)
    missing = artist_missing(artist, uses_face_guide=chosen.uses_face_guide)
    if missing:
        raise ArtistNotReady(missing)
    song_ids = None
    if songs is not None:
        found, unknown = artist_songs_matching(artist, songs)
        if unknown:
            raise ValidationError({"songs": [f"Unknown song for this artist: {', '.join(unknown)}"]})
        song_ids = sorted({str(song.pk) for song in found})
    resolved_lipsync = chosen.default_lipsync if lipsync is None else lipsync
    run_ids, failed = runs_trigger(
        account=account,
        artist=artist,
        template=chosen,
        lipsync=resolved_lipsync,
        caption_length=caption_length,
        upscale=upscale,
        batch=batch,
        songs=song_ids,
        callback_url=callback_url,
    )
    if not run_ids:
        raise EnqueueFailed(failed=failed)
    body = {
        "status": "triggered",
        "runIds": run_ids,
        "artist_account_id": str(artist.pk),
        "template": chosen.pk,
        "lipsync": resolved_lipsync,
        "caption_length": caption_length,
        "upscale": upscale,
        "batch": batch,
    }
    if failed:
        body["failed"] = failed
    return body


def request_fingerprint(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def idempotency_begin(*, account: Account, key: str, fingerprint: str) -> dict | None:
    """Reserves the key. Returns the first answer to replay, or None when this request should proceed."""
    IdempotencyRecord.objects.filter(
        account=account, key=key, created_at__lt=timezone.now() - IDEMPOTENCY_WINDOW
    ).delete()
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(
                account=account, key=key, request_hash=fingerprint, status_code=IN_PROGRESS, response={}
            )
        return None
    except IntegrityError:
        record = IdempotencyRecord.objects.filter(account=account, key=key).first()
    if record is None:  # expired and removed between the two statements: treat as new
        return idempotency_begin(account=account, key=key, fingerprint=fingerprint)
    if record.request_hash != fingerprint:
        raise Conflict("This Idempotency-Key was already used with a different request body.")
    if record.status_code == IN_PROGRESS:
        raise Conflict("A request with this Idempotency-Key is still in progress; retry shortly.")
    return record.response


def idempotency_finish(*, account: Account, key: str, response: dict | None) -> None:
    """Stores the answer to replay, or frees the key when the request did not trigger anything."""
    records = IdempotencyRecord.objects.filter(account=account, key=key, status_code=IN_PROGRESS)
    if response is None:
        records.delete()
    else:
        records.update(status_code=202, response=response)


def content_estimate(*, batch: int, lipsync: bool, upscale: bool) -> dict:
    """What a batch would cost with the configured provider, before triggering it."""
    from content.pipeline import steps_for
    from content.providers import get_provider

    provider = get_provider()
    steps = []
    for step in steps_for({"upscale": upscale}):
        # The provider prices the lipsync model under its own name.
        priced = "lipsync" if step.name == "video" and lipsync else step.name
        steps.append({"name": step.name, "costInCents": provider.cost_cents(priced, seconds=settings.VIDEO_SECONDS)})
    per_run = sum(step["costInCents"] for step in steps)
    return {
        "status": "success",
        "provider": provider.name,
        "batch": batch,
        "lipsync": lipsync,
        "upscale": upscale,
        "perRunCents": per_run,
        "totalCents": per_run * batch,
        "steps": steps,
    }
