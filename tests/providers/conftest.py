"""fal.ai's HTTP API faked with respx, in the shapes fal documents, for the fal provider's tests.

The real fal-client talks to it: queue submit, status, result and cancel on queue.fal.run,
CDN uploads (token from rest.fal.ai, then v3.fal.media/files/upload) and result files.
"""

import io
import itertools
import json
import re
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import respx
from django.core.cache import cache
from PIL import Image

from content.media import ffmpeg
from content.providers import fal as fal_module

QUEUE = "https://queue.fal.run"
CDN = "https://v3.fal.media"

TEMPLATE = {
    "id": "test-bedroom",
    "description": "moody LED-lit bedroom selfie",
    "image_prompt": "A phone selfie in a small bedroom lit by a purple LED strip, deadpan expression.",
    "style_rules": {"camera": "front phone camera at arm's length", "realism": "candid, slight grain"},
    "uses_face_guide": True,
    "uses_artist_image": False,
    "caption_guide": {
        "tone": "deadpan, lowercase",
        "rules": ["no hashtags"],
        "formats": ["lyric line, then a dry aside"],
        "max_chars": {"short": 40, "medium": 160, "long": 400},
        "examples": {"short": ["i keep the lights on for you"], "medium": ["made this at 3am and it shows."]},
    },
}

_REQUEST = re.compile(r"^/(?P<app>[^/]+/[^/]+)/requests/(?P<id>[^/]+)(?P<action>/status|/cancel)?$")


class FakeFal:
    """Records what the provider sends and answers like fal; tests script failures per model."""

    def __init__(self, router: respx.MockRouter, media: dict[str, bytes]):
        self.media = media
        self.submissions: list[tuple[str, dict]] = []  # accepted: (model, JSON body)
        self.submit_attempts: list[str] = []  # every POST to a model, accepted or not
        self.uploads: list[tuple[str, bytes]] = []  # (file name, bytes)
        self.cancels: list[str] = []
        self.queue_headers: list[httpx.Headers] = []
        # Scripts, by model: HTTP codes to answer instead of accepting / instead of the result,
        # polls to stay IN_PROGRESS for (math.inf: never finishes), and the result itself.
        self.submit_failures: dict[str, list[int]] = {}
        self.status_failures: dict[str, list[int]] = {}
        self.result_failures: dict[str, list[int]] = {}
        self.pending: dict[str, float] = {}
        self.results: dict[str, Callable[[dict], dict]] = {}
        self.files: dict[str, tuple[bytes, str]] = {}
        self._requests: dict[str, dict] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        router.post(host="rest.fal.ai", path="/storage/auth/token").mock(
            return_value=httpx.Response(
                200,
                json={
                    "token": "cdn-token",
                    "token_type": "Bearer",
                    "base_url": CDN,
                    "expires_at": "2099-01-01T00:00:00+00:00",
                },
            )
        )
        router.post(host="v3.fal.media", path="/files/upload").mock(side_effect=self._upload)
        router.get(host="v3.fal.media").mock(side_effect=self._file)
        router.route(host="queue.fal.run").mock(side_effect=self._queue)

    # -- what the tests read -----------------------------------------------------------

    def url_of(self, path: Path) -> str:
        """The URL fal storage gave for the upload of this file's bytes."""
        data = path.read_bytes()
        [url] = {self._upload_url(n, name) for n, (name, body) in enumerate(self.uploads) if body == data}
        return url

    def bodies(self, model: str) -> list[dict]:
        return [body for name, body in self.submissions if name == model]

    def request_ids(self, model: str) -> list[str]:
        return [request_id for request_id, state in self._requests.items() if state["model"] == model]

    # -- fal's endpoints ---------------------------------------------------------------

    def _upload_url(self, index: int, name: str) -> str:
        return f"{CDN}/files/in/{index}-{name}"

    def _upload(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer cdn-token"
        with self._lock:
            self.uploads.append((request.headers["x-fal-file-name"], request.content))
            index = len(self.uploads) - 1
        return httpx.Response(200, json={"access_url": self._upload_url(index, request.headers["x-fal-file-name"])})

    def _file(self, request: httpx.Request) -> httpx.Response:
        data, content_type = self.files[str(request.url)]
        return httpx.Response(200, content=data, headers={"content-type": content_type})

    def _queue(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.queue_headers.append(request.headers)
            if request.method == "POST":
                return self._submit(request)
            match = _REQUEST.match(request.url.path)
            assert match, request.url
            state = self._requests[match["id"]]
            if match["action"] == "/cancel":
                assert request.method == "PUT"
                self.cancels.append(match["id"])
                return httpx.Response(202, json={"status": "CANCELLATION_REQUESTED"})
            if match["action"] == "/status":
                return self._status(state)
            return self._result(state)

    def _submit(self, request: httpx.Request) -> httpx.Response:
        model = request.url.path.lstrip("/")
        self.submit_attempts.append(model)
        if failures := self.submit_failures.get(model):
            return _error(failures.pop(0))
        body = json.loads(request.content)
        self.submissions.append((model, body))
        request_id = f"req-{next(self._ids)}"
        self._requests[request_id] = {"model": model, "body": body, "polls": 0}
        # Status, result and cancel live under the app (owner/alias), not the endpoint's sub-path.
        base = f"{QUEUE}/{'/'.join(model.split('/')[:2])}/requests/{request_id}"
        return httpx.Response(
            200,
            json={
                "status": "IN_QUEUE",
                "request_id": request_id,
                "response_url": base,
                "status_url": f"{base}/status",
                "cancel_url": f"{base}/cancel",
                "queue_position": 0,
            },
        )

    def _status(self, state: dict) -> httpx.Response:
        if failures := self.status_failures.get(state["model"]):
            return _error(failures.pop(0))
        state["polls"] += 1
        if state["polls"] <= self.pending.get(state["model"], 1):
            return httpx.Response(200, json={"status": "IN_PROGRESS", "logs": None})
        failing = bool(self.result_failures.get(state["model"]))
        return httpx.Response(
            200,
            json={
                "status": "COMPLETED",
                "logs": None,
                "metrics": {"inference_time": 1.0},
                "error": "Internal error" if failing else None,
                "error_type": "internal_error" if failing else None,
            },
        )

    def _result(self, state: dict) -> httpx.Response:
        if failures := self.result_failures.get(state["model"]):
            return _error(failures.pop(0))
        return httpx.Response(200, json=self.results[state["model"]](state["body"]))

    # -- results, in the models' documented shapes -------------------------------------

    def serve(self, kind: str, *, content_type: str | None = None) -> dict:
        """A result file fal would host: {"url", "content_type", "file_name", "file_size"}."""
        data = self.media[kind]
        content_type = content_type or {"image": "image/png", "video": "video/mp4"}[kind]
        name = f"{kind}-{next(self._ids)}.{'png' if kind == 'image' else 'mp4'}"
        url = f"{CDN}/files/out/{name}"
        self.files[url] = (data, content_type)
        return {"url": url, "content_type": content_type, "file_name": name, "file_size": len(data)}


def _error(code: int) -> httpx.Response:
    # fal's request errors: a readable detail and a machine-readable type.
    return httpx.Response(
        code,
        json={"detail": f"fal says {code}", "error_type": "internal_error"},
        headers={"x-fal-request-id": "req-error", "x-fal-error-type": "internal_error"},
    )


@pytest.fixture(scope="session")
def fal_media(tmp_path_factory) -> dict[str, bytes]:
    """What the fake models return: a 768x1344 PNG (nano-banana's 9:16) and a short MP4."""
    buffer = io.BytesIO()
    Image.new("RGB", (768, 1344), (90, 40, 120)).save(buffer, "PNG")
    video = tmp_path_factory.mktemp("fal") / "video.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", "testsrc=size=144x256:rate=24:duration=0.5", "-pix_fmt", "yuv420p", video])
    return {"image": buffer.getvalue(), "video": video.read_bytes()}


@pytest.fixture
def fal(settings, fal_media) -> FakeFal:
    settings.FAL_KEY = "test-key"
    settings.FAL_MAX_RETRIES = 2
    settings.FAL_BACKOFF_SECONDS = 0.001
    settings.FAL_BACKOFF_MAX_SECONDS = 0.005
    settings.FAL_POLL_MIN_SECONDS = 0.001
    settings.FAL_POLL_MAX_SECONDS = 0.005
    # The cache (uploads, transcripts) and fal-client's CDN token outlive a test otherwise.
    cache.clear()
    fal_module._client.cache_clear()
    with respx.mock(assert_all_called=False) as router:
        fake = FakeFal(router, fal_media)
        models = settings.FAL_MODELS
        fake.results[models["transcribe"]] = lambda body: {
            "text": "neon hours",
            "chunks": [{"timestamp": [14.0, 14.4], "text": " neon"}, {"timestamp": [14.4, 15.0], "text": " hours"}],
        }
        fake.results[models["llm"]] = lambda body: {"output": '{"starts": [14.0]}', "error": None}
        fake.results[models["image"]] = lambda body: {"images": [fake.serve("image")], "description": ""}
        fake.results[models["video"]] = lambda body: {"video": fake.serve("video")}
        fake.results[models["lipsync"]] = lambda body: {"video": fake.serve("video"), "seed": body["seed"]}
        fake.results[models["upscale_image"]] = lambda body: {"image": fake.serve("image"), "seed": 1}
        fake.results[models["upscale_video"]] = lambda body: {"video": fake.serve("video"), "seed": 1}
        yield fake
    cache.clear()
