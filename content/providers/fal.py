"""The fal.ai provider (production): every generative step through fal-client's queue API.

A call is submitted to fal's queue, polled until it completes and then fetched. Each
poll calls `on_wait`, which raises when the run was canceled (or handed to another
worker); the request is then cancelled at fal too. Transient failures (429, 5xx,
time-outs, lost connections) are retried with backoff within FAL_MAX_RETRIES, and a
request still running after its step's time limit is cancelled at fal.

Local files are uploaded to fal storage once per content checksum: the URL is shared
by every worker through Django's cache, so a batch uploads the face guide and each
song once. Model ids, arguments, prices and limits are settings (the "fal.ai provider"
section of recoup/settings.py; docs/fal.md).
"""

import functools
import hashlib
import json
import logging
import math
import os
import random
import re
import secrets
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import fal_client
import httpx
from django.conf import settings
from django.core.cache import cache
from PIL import Image

from content.media.audio import loudest_window
from content.media.ffmpeg import MediaError, probe
from content.providers.base import ProviderError, WaitHook
from content.providers.local_captions import _max_chars as caption_max_chars
from content.providers.local_captions import compose_caption

logger = logging.getLogger(__name__)

T = TypeVar("T")

# The model role behind each pipeline step ("lipsync" is asked for by cost estimates).
_ROLE_OF_STEP = {
    "transcribe": "transcribe",
    "clip": "llm",
    "image": "image",
    "upscale_image": "upscale_image",
    "video": "video",
    "lipsync": "lipsync",
    "upscale_video": "upscale_video",
    "caption": "llm",
}
# Worth another try: the request may succeed later (fal's own retryable set plus 5xx).
_TRANSIENT_STATUS = {408, 409, 425, 429}
# Whisper reads about 224 tokens of prompt; a longer lyrics hint is cut by the model anyway.
_WHISPER_HINT_CHARS = 600
# LRC timestamps and tags ([00:14.20], <00:14.50>, [Chorus]) are not sung: kept out of the hint.
_LRC_TAG = re.compile(r"\[[^\]]*\]|<[^>]*>")
# A silence this long between two sung words starts a new lyric line for the LLM.
_LINE_GAP_SECONDS = 0.6
_LINE_MAX_WORDS = 14
_MAX_LYRIC_LINES = 200
_MAX_CLIP_CANDIDATES = 5
_CAPTION_LENGTHS = {
    "short": "1-2 punchy lines",
    "medium": "1-2 sentences",
    "long": "a paragraph, stream of consciousness",
}
_QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "`": "`"}
_LABEL = re.compile(r"^\s*(?:caption|here(?:'s| is)[^:\n]{0,40})\s*:\s*", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:[#>*•-]+|\d+[.)])\s+")
_HASHTAG = re.compile(r"(?<!\w)#\w+")
_REFUSAL = re.compile(r"^(?:i'?m sorry|sorry,|i can(?:no|')t|as an ai)", re.IGNORECASE)
_MINUTES = re.compile(r"^\s*(\d{1,3}):(\d{1,2}(?:\.\d+)?)\s*$")


@functools.lru_cache(maxsize=4)
def _client(key: str, timeout: float, pid: int) -> fal_client.SyncClient:
    # One client per process (`pid`: a forked worker must not share its parent's sockets),
    # so that its pooled connections and fal's CDN upload token outlive a run.
    return fal_client.SyncClient(key=key, default_timeout=timeout)


class FalProvider:
    name = "fal"

    def __init__(self, *, on_wait: WaitHook | None = None):
        self.on_wait = on_wait
        # The model each step paid for (None: served from cache or a local fallback).
        self._billed: dict[str, str | None] = {}

    # -- Provider ----------------------------------------------------------------------

    def transcribe(self, *, song: Path, lyrics: str) -> dict:
        model = settings.FAL_MODELS["transcribe"]
        hint = " ".join(_LRC_TAG.sub(" ", lyrics).split())[:_WHISPER_HINT_CHARS]
        self._billed["transcribe"] = None

        def transcribe_once() -> dict:
            arguments = {
                **settings.FAL_ARGUMENTS["transcribe"],
                "audio_url": self._upload(song, step="transcribe", model=model),
            }
            if hint:
                arguments["prompt"] = hint
            return _transcript(self._run("transcribe", "transcribe", arguments), model)

        # Runs of a batch start together, before the transcribe step has stored anything:
        # this makes them share one transcription of each song.
        key = f"fal:transcript:{model}:{_sha256(song)}:{hashlib.sha256(hint.encode()).hexdigest()[:16]}"
        return self._once(
            key,
            ttl=settings.FAL_TRANSCRIPT_CACHE_SECONDS,
            lock_seconds=settings.FAL_STEP_TIMEOUT_SECONDS["transcribe"] + 60,
            compute=transcribe_once,
        )

    def choose_clip(self, *, song: Path, song_seconds: float, clip_seconds: float, transcript: dict) -> float:
        latest = max(0.0, song_seconds - clip_seconds)
        self._billed["clip"] = None
        if latest == 0:
            return 0.0
        words = [w for w in transcript.get("words") or [] if str(w.get("text", "")).strip()]
        lines = _lyric_lines(words)
        if lines:
            answer = self._ask_llm("clip", system=_CLIP_SYSTEM, prompt=_clip_prompt(lines, song_seconds, clip_seconds))
            starts = _parse_starts(answer, latest)
            if starts:
                return _best_window(starts, lines, clip_seconds)
            logger.info("fal.ai gave no usable clip start (%r); using the loudest window", answer[:200])
        return loudest_window(song, clip_seconds)

    def make_image(
        self,
        *,
        reference: Path,
        face_guide: Path | None,
        artist_image: Path | None,
        template: dict,
        mood: str,
        seed: int,
        out: Path,
    ) -> None:
        model = settings.FAL_MODELS["image"]
        inputs = [path for path in (face_guide, reference, artist_image) if path is not None]
        arguments = {
            **settings.FAL_ARGUMENTS["image"],
            "prompt": _image_prompt(
                template, mood, with_face=face_guide is not None, with_artist_image=artist_image is not None
            ),
            "image_urls": [self._upload(path, step="image", model=model) for path in inputs],
        }
        result = self._run("image", "image", arguments)
        self._download(_file_url(result, "images", model), out, kind="image", model=model, step="image")
        _as_vertical_png(out, model=model)

    def make_video(
        self,
        *,
        image: Path,
        template: dict,
        mood: str,
        movement: str,
        seconds: float,
        seed: int,
        out: Path,
        audio: Path | None = None,
    ) -> None:
        role = "lipsync" if audio is not None else "video"
        model = settings.FAL_MODELS[role]
        arguments = {
            **settings.FAL_ARGUMENTS[role],
            "prompt": _motion_prompt(template, mood, movement, lipsync=audio is not None),
            "image_url": self._upload(image, step="video", model=model),
            # The video models take 32-bit seeds.
            "seed": seed % 2**31,
        }
        if audio is not None:
            # The cut clip, never the whole song: the model moves the lips to exactly what plays.
            arguments["audio_url"] = self._upload(audio, step="video", model=model)
        else:
            made = _duration_seconds(arguments.get("duration"))
            if made is not None and seconds > made + 0.01:
                raise ProviderError(
                    f"VIDEO_SECONDS is {seconds:g} but fal.ai model {model} makes {made:g} s videos: "
                    "lower VIDEO_SECONDS or choose a model that makes longer ones",
                    model=model,
                )
        result = self._run("video", role, arguments)
        self._download(_file_url(result, "video", model), out, kind="video", model=model, step="video")
        _check_video(out, model=model)

    def upscale_image(self, *, src: Path, out: Path) -> None:
        self._upscale("image", src, out)
        _as_vertical_png(out, model=settings.FAL_MODELS["upscale_image"])

    def upscale_video(self, *, src: Path, out: Path) -> None:
        self._upscale("video", src, out)
        _check_video(out, model=settings.FAL_MODELS["upscale_video"])

    def _upscale(self, kind: str, src: Path, out: Path) -> None:
        """SeedVR2 on an image or a video: the two models take the same arguments but the input's name."""
        step = f"upscale_{kind}"
        model = settings.FAL_MODELS[step]
        arguments = {**settings.FAL_ARGUMENTS[step], f"{kind}_url": self._upload(src, step=step, model=model)}
        result = self._run(step, step, arguments)
        self._download(_file_url(result, kind, model), out, kind=kind, model=model, step=step)

    def write_caption(
        self,
        *,
        template: dict,
        length: str,
        mood: str,
        clip_lyrics: str,
        song_title: str,
        artist_name: str,
        seed: int,
    ) -> str:
        self._billed["caption"] = None
        guide = template.get("caption_guide") or {}
        max_chars = caption_max_chars(guide, length)
        examples = [e for e in (guide.get("examples") or {}).get(length) or [] if isinstance(e, str) and e.strip()]
        prompt = _caption_prompt(
            guide,
            length=length,
            max_chars=max_chars,
            examples=examples,
            mood=mood,
            clip_lyrics=clip_lyrics,
            song_title=song_title,
            artist_name=artist_name,
        )
        answer = self._ask_llm("caption", system=_CAPTION_SYSTEM, prompt=prompt)
        caption = _clean_caption(answer, length=length, max_chars=max_chars, examples=examples)
        if caption:
            return caption
        logger.info("fal.ai gave no usable caption (%r); composing one locally", answer[:200])
        return compose_caption(
            template=template,
            length=length,
            mood=mood,
            clip_lyrics=clip_lyrics,
            song_title=song_title,
            artist_name=artist_name,
            seed=seed,
        )

    def cost_cents(self, step: str, *, seconds: float) -> int:
        role = _ROLE_OF_STEP.get(step)
        if role is None:
            return 0
        # After a call, what it actually used; before one (an estimate), the step's model.
        model = self._billed[step] if step in self._billed else settings.FAL_MODELS[role]
        if model is None:
            return 0
        price = settings.FAL_PRICES_CENTS.get(model, {})
        return math.ceil(price.get("per_call", 0.0) + price.get("per_second", 0.0) * seconds)

    # -- fal's queue -------------------------------------------------------------------

    def _fal(self) -> fal_client.SyncClient:
        if not settings.FAL_KEY:
            raise ProviderError(
                "CONTENT_PROVIDER is fal but FAL_KEY is empty: set FAL_KEY to a fal.ai API key "
                "(or CONTENT_PROVIDER=local to generate on this machine)"
            )
        return _client(settings.FAL_KEY, settings.FAL_HTTP_TIMEOUT_SECONDS, os.getpid())

    def _run(self, step: str, role: str, arguments: dict) -> dict:
        """Submits `arguments` to the role's model, waits for it and returns its result."""
        model = settings.FAL_MODELS[role]
        attempts = _Attempts(self, f"fal.ai model {model}", model, settings.FAL_STEP_TIMEOUT_SECONDS[step])
        client = self._fal()
        while True:
            handle = attempts.call(lambda: client.submit(model, arguments))
            started = time.monotonic()
            logger.info("fal.ai %s: request %s submitted (%s step)", model, handle.request_id, step)
            try:
                self._await(handle, step=step, attempts=attempts)
            except BaseException:
                self._cancel(handle, model)
                raise
            result = self._fetch(handle, attempts)
            if result is not None:
                logger.info(
                    "fal.ai %s: request %s done in %.1f s", model, handle.request_id, time.monotonic() - started
                )
                self._billed[step] = model
                return result

    def _await(self, handle: fal_client.SyncRequestHandle, *, step: str, attempts: "_Attempts") -> None:
        submitted = time.monotonic()
        while True:
            self._check_run()
            try:
                status = handle.status()
            except Exception as exc:  # noqa: BLE001 - classified by absorb
                attempts.absorb(exc)
                continue
            if isinstance(status, fal_client.Completed):
                return
            left = attempts.deadline - time.monotonic()
            if left <= 0:
                limit = settings.FAL_STEP_TIMEOUT_SECONDS[step]
                raise ProviderError(
                    f"fal.ai model {attempts.model} did not finish within {limit:g} s, the {step} step's "
                    "time limit, and the request was cancelled at fal.ai; fal.ai may be busy — retry the run "
                    f"later (or raise FAL_TIMEOUT_{step.upper()}_SECONDS)",
                    model=attempts.model,
                    retryable=True,
                )
            # Spaced by a twentieth of the time waited so far: short calls are noticed quickly, and
            # long ones (videos take minutes) are not polled more often than they need.
            waited = time.monotonic() - submitted
            time.sleep(min(left, max(settings.FAL_POLL_MIN_SECONDS, min(settings.FAL_POLL_MAX_SECONDS, waited / 20))))

    def _fetch(self, handle: fal_client.SyncRequestHandle, attempts: "_Attempts") -> dict | None:
        """The completed request's result; None when it failed at fal and is worth submitting again."""
        while True:
            try:
                return handle.get()
            except Exception as exc:  # noqa: BLE001 - classified by absorb
                attempts.absorb(exc)
                if _status_code(exc) is not None:
                    return None

    def _cancel(self, handle: fal_client.SyncRequestHandle, model: str) -> None:
        try:
            handle.cancel()
            logger.info("fal.ai %s: request %s cancelled", model, handle.request_id)
        except Exception as exc:  # noqa: BLE001 - the error that led here matters more
            logger.warning("fal.ai %s: could not cancel request %s (%s)", model, handle.request_id, _describe(exc))

    def _ask_llm(self, step: str, *, system: str, prompt: str) -> str:
        """The LLM's answer, or "" when it could not be had: its callers have local fallbacks."""
        arguments = {**settings.FAL_ARGUMENTS["llm"], "system_prompt": system, "prompt": prompt}
        try:
            result = self._run(step, "llm", arguments)
        except ProviderError as exc:
            logger.warning("fal.ai LLM failed for the %s step, falling back: %s", step, exc)
            return ""
        output = result.get("output")
        return output if isinstance(output, str) and not result.get("error") else ""

    def _check_run(self) -> None:
        if self.on_wait is not None:
            self.on_wait()

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 1.0))
            self._check_run()

    # -- files -------------------------------------------------------------------------

    def _upload(self, path: Path, *, step: str, model: str) -> str:
        """The fal storage URL of a local file, uploaded once per content across the cluster."""
        limit = settings.FAL_STEP_TIMEOUT_SECONDS[step]

        def upload() -> str:
            attempts = _Attempts(self, f"fal.ai storage (uploading {path.name})", model, limit)
            lifecycle = fal_client.StorageSettings(expires_in=settings.FAL_UPLOAD_EXPIRES_SECONDS)
            return attempts.call(lambda: self._fal().upload_file(path, lifecycle=lifecycle))

        return self._once(
            f"fal:upload:{_sha256(path)}",
            ttl=settings.FAL_UPLOAD_CACHE_SECONDS,
            lock_seconds=limit + 60,
            compute=upload,
        )

    def _once(self, key: str, *, ttl: int, lock_seconds: float, compute: Callable[[], T]) -> T:
        """The cached value of `key`; while missing, one worker of the cluster computes it."""
        lock, token = f"{key}:lock", secrets.token_hex(8)
        while True:
            value = cache.get(key)
            if value is not None:
                return value
            # The lock expires by itself, so a worker that died holding it blocks no one for long.
            if cache.add(lock, token, timeout=math.ceil(lock_seconds)):
                break
            # Another worker is on it: wait for its answer rather than pay twice.
            self._check_run()
            time.sleep(settings.FAL_POLL_MIN_SECONDS)
        try:
            value = cache.get(key)
            if value is None:
                value = compute()
                cache.set(key, value, timeout=ttl)
            return value
        finally:
            if cache.get(lock) == token:
                cache.delete(lock)

    def _download(self, url: str, out: Path, *, kind: str, model: str, step: str) -> None:
        """Streams a result file into `out`, refusing anything that is not a `kind` under the size cap."""
        if not url.startswith(("https://", "http://")):
            raise ProviderError(
                f"fal.ai model {model} answered without a usable {kind} URL; retry the run later", model=model
            )
        cap = settings.FAL_MAX_IMAGE_BYTES if kind == "image" else settings.FAL_MAX_VIDEO_BYTES
        attempts = _Attempts(
            self, f"the download of fal.ai model {model}'s {kind}", model, settings.FAL_STEP_TIMEOUT_SECONDS[step]
        )
        attempts.call(lambda: _stream_to(url, out, kind=kind, cap=cap, model=model))


class _Attempts:
    """The transient failures one fal.ai call may absorb, and how long it may take in all."""

    def __init__(self, provider: FalProvider, label: str, model: str, limit: float):
        self.provider = provider
        self.label = label
        self.model = model
        self.deadline = time.monotonic() + limit
        self.failures = 0

    def call(self, fn: Callable[[], T]) -> T:
        while True:
            try:
                return fn()
            except ProviderError:
                raise
            except Exception as exc:  # noqa: BLE001 - classified by absorb
                self.absorb(exc)

    def absorb(self, exc: Exception) -> None:
        """Backs off before the next try, or raises the ProviderError that ends the call."""
        if not _is_transient(exc):
            raise self._rejected(exc) from exc
        self.failures += 1
        delay = _backoff(self.failures, exc)
        if self.failures > settings.FAL_MAX_RETRIES or time.monotonic() + delay > self.deadline:
            raise ProviderError(
                f"{self.label} kept failing ({_describe(exc)} after {self.failures} attempts); "
                "fal.ai may be degraded — retry the run later",
                model=self.model,
                retryable=True,
            ) from exc
        logger.info("%s: %s, trying again in %.1f s", self.label, _describe(exc), delay)
        self.provider._sleep(delay)

    def _rejected(self, exc: Exception) -> ProviderError:
        code = _status_code(exc)
        if code in (401, 403):
            message = (
                f"fal.ai refused the API key for model {self.model} (HTTP {code}): "
                "check FAL_KEY and the fal.ai account's balance"
            )
        elif code == 404:
            message = f"{self.label} was not found at fal.ai (HTTP 404): check the FAL_MODEL_* settings"
        elif code is not None:
            message = (
                f"{self.label} rejected the request (HTTP {code}: {_detail(exc)}); "
                "check its arguments in the fal.ai provider settings and the artist's files"
            )
        else:
            message = f"{self.label} failed ({type(exc).__name__}: {_scrub(str(exc))[:200]}); retry the run later"
        return ProviderError(message, model=self.model)


# -- errors ------------------------------------------------------------------------------


def _status_code(exc: BaseException) -> int | None:
    if isinstance(exc, fal_client.FalClientHTTPError):
        return exc.status_code
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code
    return None


def _is_transient(exc: BaseException) -> bool:
    code = _status_code(exc)
    if code is not None:
        return code in _TRANSIENT_STATUS or code >= 500
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def _describe(exc: BaseException) -> str:
    code = _status_code(exc)
    if code is not None:
        return f"HTTP {code}"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    return f"connection error: {type(exc).__name__}"


def _backoff(failures: int, exc: Exception) -> float:
    ceiling = settings.FAL_BACKOFF_MAX_SECONDS
    delay = min(ceiling, settings.FAL_BACKOFF_SECONDS * 2 ** (failures - 1))
    # Jittered so that the runs of a batch, failing together, do not come back together.
    delay = delay / 2 + random.uniform(0, delay / 2)
    if isinstance(exc, fal_client.FalClientHTTPError | httpx.HTTPStatusError):
        retry_after = exc.response.headers.get("retry-after", "")
        if retry_after.replace(".", "", 1).isdigit():
            delay = max(delay, min(float(retry_after), ceiling))
    return delay


def _detail(exc: Exception) -> str:
    if isinstance(exc, fal_client.FalClientHTTPError):
        detail = exc.message if isinstance(exc.message, str) else json.dumps(exc.message)
    else:
        detail = str(exc)
    return _scrub(" ".join(detail.split()))[:300] or "no detail"


def _scrub(text: str) -> str:
    return text.replace(settings.FAL_KEY, "[FAL_KEY]") if settings.FAL_KEY else text


# -- files -------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stream_to(url: str, out: Path, *, kind: str, cap: int, model: str) -> None:
    part = out.with_name(out.name + ".part")
    try:
        # A plain client: fal's result URLs are public, and the API key must not travel to them.
        with httpx.stream("GET", url, timeout=settings.FAL_HTTP_TIMEOUT_SECONDS, follow_redirects=True) as response:
            response.raise_for_status()
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if not content_type.startswith(f"{kind}/"):
                raise ProviderError(
                    f"fal.ai model {model} returned {content_type or 'an untyped file'} instead of an {kind}; "
                    "retry the run later",
                    model=model,
                )
            too_big = ProviderError(
                f"fal.ai model {model} returned an {kind} over the {cap // (1024 * 1024)} MB limit "
                f"(FAL_MAX_{kind.upper()}_BYTES); retry the run later",
                model=model,
            )
            if int(response.headers.get("content-length") or 0) > cap:
                raise too_big
            size = 0
            with open(part, "wb") as handle:
                for chunk in response.iter_bytes(1 << 20):
                    size += len(chunk)
                    if size > cap:
                        raise too_big
                    handle.write(chunk)
        part.replace(out)
    finally:
        part.unlink(missing_ok=True)


def _file_url(result: dict, key: str, model: str) -> str:
    value = result.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    url = value.get("url") if isinstance(value, dict) else None
    if not isinstance(url, str):
        raise ProviderError(
            f"fal.ai model {model} answered without {key} ({sorted(result)[:8]}); retry the run later", model=model
        )
    return url


def _as_vertical_png(path: Path, *, model: str) -> None:
    """Makes the image a 9:16 PNG at least 720x1280, the frame the render step works in."""
    try:
        with Image.open(path) as opened:
            opened.load()
            image, changed = opened, opened.format != "PNG" or opened.mode != "RGB"
    except (OSError, Image.DecompressionBombError) as exc:
        raise ProviderError(
            f"fal.ai model {model} returned an image that does not decode ({exc}); retry the run later", model=model
        ) from exc
    width, height = image.size
    if abs(width - round(height * 9 / 16)) > 1:
        # Centre crop: the model frames its subject in the middle.
        if width * 16 > height * 9:
            new_width = round(height * 9 / 16)
            left = (width - new_width) // 2
            image = image.crop((left, 0, left + new_width, height))
        else:
            new_height = round(width * 16 / 9)
            top = (height - new_height) // 2
            image = image.crop((0, top, width, top + new_height))
        changed = True
    if image.width < 720:
        image = image.resize((720, 1280), Image.Resampling.LANCZOS)
        changed = True
    if changed:
        # Fast compression, as the local provider: written once, read twice, and level 6 costs a tenth of a second.
        image.convert("RGB").save(path, "PNG", compress_level=1)


def _check_video(path: Path, *, model: str) -> None:
    try:
        info = probe(path)
    except MediaError as exc:
        raise ProviderError(
            f"fal.ai model {model} returned a video ffmpeg cannot read; retry the run later", model=model
        ) from exc
    if info.video_codec is None:
        raise ProviderError(
            f"fal.ai model {model} returned a file with no video in it; retry the run later", model=model
        )


def _duration_seconds(value: object) -> float | None:
    if isinstance(value, str) and value.endswith("s") and value[:-1].replace(".", "", 1).isdigit():
        return float(value[:-1])
    return None


# -- transcripts and clips ---------------------------------------------------------------


def _transcript(result: dict, model: str) -> dict:
    chunks = result.get("chunks")
    if not isinstance(chunks, list):
        raise ProviderError(f"fal.ai model {model} answered without word timings; retry the run later", model=model)
    words = []
    for chunk in chunks:
        text = str(chunk.get("text") or "").strip()
        stamp = chunk.get("timestamp") or [None, None]
        if not text or not isinstance(stamp[0], int | float):
            continue
        start = float(stamp[0])
        # Whisper leaves the last word of a stretch open-ended.
        end = float(stamp[1]) if len(stamp) > 1 and isinstance(stamp[1], int | float) else start + 0.5
        words.append({"text": text, "start": round(start, 3), "end": round(max(start, end), 3)})
    return {"text": str(result.get("text") or "").strip(), "words": words}


def _lyric_lines(words: list[dict]) -> list[dict]:
    """Words grouped into sung lines: {"start", "text", "key" (for spotting repeats), "words": [starts]}."""
    lines: list[dict] = []
    last_end: float | None = None
    for word in words:
        if not lines or word["start"] - last_end > _LINE_GAP_SECONDS or len(lines[-1]["words"]) >= _LINE_MAX_WORDS:
            lines.append({"start": float(word["start"]), "texts": [], "words": []})
        lines[-1]["texts"].append(str(word["text"]).strip())
        lines[-1]["words"].append(float(word["start"]))
        last_end = float(word["end"])
    for line in lines:
        line["text"] = " ".join(line.pop("texts"))
        line["key"] = " ".join(re.sub(r"[^\w\s']", " ", line["text"].casefold()).split())
    return lines


_CLIP_SYSTEM = (
    "You pick the stretch of a song that works best as the soundtrack of a short vertical video: "
    "its hook or chorus, the most quotable line, where the singing is dense and memorable. "
    "You answer with JSON only."
)


def _clip_prompt(lines: list[dict], song_seconds: float, clip_seconds: float) -> str:
    timed = "\n".join(f"[{line['start']:.1f}] {line['text']}" for line in lines[:_MAX_LYRIC_LINES])
    return (
        f"The song lasts {song_seconds:.1f} seconds. The clip lasts {clip_seconds:.1f} seconds and must start "
        f"between 0 and {song_seconds - clip_seconds:.1f}.\n\n"
        f"Timed lyrics, one sung line each, [start in seconds] then the words:\n{timed}\n\n"
        f"Answer with JSON only, best first, up to {_MAX_CLIP_CANDIDATES} candidates: "
        '{"starts": [<clip start in seconds>, ...]}'
    )


def _parse_starts(answer: str, latest: float) -> list[float]:
    """The valid, distinct candidate starts in the LLM's answer, in its order."""
    data = _json_in(answer)
    items = data.get("starts", data.get("candidates")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return []
    starts: list[float] = []
    for item in items:
        seconds = _as_seconds(item.get("start") if isinstance(item, dict) else item)
        if seconds is not None and 0 <= seconds <= latest and round(seconds, 2) not in starts:
            starts.append(round(seconds, 2))
    return starts[:_MAX_CLIP_CANDIDATES]


def _json_in(text: str) -> object:
    text = text.strip().removeprefix("```json").removeprefix("```").removesuffix("```").strip()
    for opening, closing in (("{", "}"), ("[", "]")):
        first, last = text.find(opening), text.rfind(closing)
        if 0 <= first < last:
            try:
                return json.loads(text[first : last + 1])
            except ValueError:
                continue
    return None


def _as_seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        if match := _MINUTES.match(value):
            return int(match[1]) * 60 + float(match[2])
        try:
            seconds = float(value)
        except ValueError:
            return None
        return seconds if math.isfinite(seconds) else None
    return None


def _best_window(starts: list[float], lines: list[dict], clip_seconds: float) -> float:
    """The candidate whose window holds the most sung words, most of them in repeated (hook) lines."""
    repeats = {key for key, count in Counter(line["key"] for line in lines).items() if key and count > 1}
    sung = [(start, line["key"] in repeats) for line in lines for start in line["words"]]

    def counts(window_start: float) -> tuple[int, int]:
        inside = [hook for start, hook in sung if window_start <= start < window_start + clip_seconds]
        return len(inside), sum(inside)

    stats = [counts(start) for start in starts]
    densest = max(words for words, _ in stats) or 1

    def score(index: int) -> float:
        words, hooks = stats[index]
        # The LLM's own order only breaks near-ties.
        return words / densest + (hooks / words if words else 0.0) + 0.1 * (len(starts) - index) / len(starts)

    return starts[max(range(len(starts)), key=score)]


# -- prompts and captions ----------------------------------------------------------------


def _image_prompt(template: dict, mood: str, *, with_face: bool, with_artist_image: bool) -> str:
    if with_face:
        roles = [
            "The first image is the artist: keep their face, identity, skin tone and hair exactly as they are.",
            "The second image is the scene: place the artist into it, matching its setting, framing and light.",
        ]
        artwork_position = "third"
    else:
        roles = ["The first image is the scene: recreate it as a new photo."]
        artwork_position = "second"
    if with_artist_image:
        roles.append(
            f"The {artwork_position} image is the artist's artwork (such as an album cover): "
            "show it in the scene exactly as it is."
        )
    rules = [
        f"{str(name).capitalize()}: {value}." for name, value in (template.get("style_rules") or {}).items() if value
    ]
    return " ".join(
        [
            *roles,
            str(template.get("image_prompt") or "").strip(),
            *rules,
            f"Mood: {mood}.",
            "A vertical 9:16 photo with no added text, captions, watermarks or logos.",
        ]
    )


def _motion_prompt(template: dict, mood: str, movement: str, *, lipsync: bool) -> str:
    parts = ["The artist sings along to the song, lips moving in time with the vocals."] if lipsync else []
    parts += [f"{movement.strip().rstrip('.')}.", f"Mood: {mood}."]
    camera = (template.get("style_rules") or {}).get("camera")
    if camera:
        parts.append(f"Camera: {camera}.")
    keep = "the person's face and identity" if template.get("uses_face_guide", True) else "everything in the image"
    parts.append(f"Keep {keep} exactly as in the image; natural, realistic motion; no text or captions appear.")
    return " ".join(parts)


_CAPTION_SYSTEM = (
    "You write the caption shown on screen in a short vertical music video (TikTok, Reels, Shorts) "
    "that promotes an artist's song. Write in the voice you are given. Answer with the caption text "
    "only: no quotation marks around it, no hashtags, no emoji, no markdown, no explanation."
)


def _caption_prompt(
    guide: dict,
    *,
    length: str,
    max_chars: int,
    examples: list[str],
    mood: str,
    clip_lyrics: str,
    song_title: str,
    artist_name: str,
) -> str:
    def bullets(items: object) -> str:
        return "\n".join(f"- {item}" for item in items or [] if str(item).strip()) or "- (none)"

    lines_rule = ", on at most 2 lines" if length == "short" else ", as one block of text"
    return (
        f"Artist: {artist_name}\nSong: {song_title}\nMood of the video: {mood}\n"
        f"Lyrics heard in the clip:\n{clip_lyrics.strip() or '(instrumental)'}\n\n"
        f"Voice: {guide.get('tone') or 'casual, first person, lowercase'}\n"
        f"Rules:\n{bullets(guide.get('rules'))}\n"
        f"Formats that work:\n{bullets(guide.get('formats'))}\n"
        f"Examples of the voice (write a new one, do not copy them):\n{bullets(examples)}\n\n"
        f"Write one {length} caption: {_CAPTION_LENGTHS.get(length, length)}, "
        f"at most {max_chars} characters{lines_rule}."
    )


def _clean_caption(answer: str, *, length: str, max_chars: int, examples: list[str]) -> str:
    """The answer as a caption the render step can burn in, or "" when it is unusable."""
    text = _unquote(_LABEL.sub("", answer.strip()))
    text = _HASHTAG.sub("", text).replace("**", "").replace("__", "").replace("*", "").replace("`", "")
    # The caption font has no emoji glyphs: they would burn in as empty boxes.
    text = "".join(ch for ch in text if ord(ch) <= 0xFFFF and ch not in "\u200d\ufe0f")
    lines = [" ".join(_unquote(_LIST_MARK.sub("", line)).split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or _REFUSAL.match(lines[0]):
        return ""
    caption = "\n".join(lines[:2]) if length == "short" else " ".join(lines)
    caption = _trim(caption, max_chars)
    if not any(ch.isalnum() for ch in caption):
        return ""
    if caption.casefold() in {example.strip().casefold() for example in examples}:
        return ""
    return caption


def _unquote(text: str) -> str:
    text = text.strip()
    while len(text) > 1 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return text


def _trim(text: str, max_chars: int) -> str:
    """Cuts at the last word boundary within `max_chars`."""
    if len(text) <= max_chars:
        return text
    head = text[: max_chars + 1]
    boundary = max(head.rfind(" "), head.rfind("\n"))
    head = head[:boundary] if boundary > 0 else text[:max_chars]
    return head.rstrip(" \n,;:-–—")
