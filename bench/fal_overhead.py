"""What the fal provider and the runner add on top of fal.ai's own latency ("fal overhead" in docs/benchmarks.md).

A fake fal.ai runs on loopback: the queue (submit, status, result, cancel), the CDN
upload endpoints and the result files, each model answering after a fixed latency.
fal-client only speaks https, so the fake serves TLS with a throw-away certificate
(trusted through SSL_CERT_FILE); the queue host comes from FAL_QUEUE_RUN_HOST, and
fal-client's two storage URLs, which it offers no setting for, are set on its module.

1. One run (CONTENT_PROVIDER=fal) executed by tasks.runner in this process, after a
   first run of the same artist has transcribed the song: its wall time minus the
   latencies on its critical path, step by step.
2. A batch of runs through a real qcluster (Q_WORKERS workers, forked from a process
   that patched fal-client the same way): its wall time against one run's, the CPU
   time it used and the peak memory of the whole cluster.

    .venv/bin/python bench/fal_overhead.py [--batch 30] [--workers 30] [--scale 1.0]
"""

import argparse
import json
import multiprocessing
import os
import re
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Seconds each fake model takes (--scale multiplies them): about what fal.ai's take for
# a 30-second song, an image at 1K and an 8-second 720p video.
LATENCIES = {
    "fal-ai/whisper": 5.0,
    "openrouter/router": 1.5,
    "fal-ai/nano-banana-2/edit": 10.0,
    "fal-ai/veo3.1/fast/image-to-video": 60.0,
}
SONG_SECONDS, CHORUS_START, CHORUS_SECONDS, VIDEO_SECONDS = 30.0, 14.0, 8.0, 8.0
REQUEST = re.compile(r"^/(?P<app>[^/]+/[^/]+)/requests/(?P<id>[^/?]+)(?P<action>/status|/cancel)?(?:\?.*)?$")


class FakeFal(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, media: dict[str, bytes], transcript: dict, latencies: dict[str, float]):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.media, self.transcript, self.latencies = media, transcript, latencies
        self.requests: dict[str, dict] = {}
        self.polls = 0
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as fal's servers do
    # One segment per response, sent at once: otherwise delayed ACKs add 40 ms to each request.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    server: FakeFal

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, code: int, body: bytes | dict, content_type: str = "application/json") -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        self.send_response(code)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def do_POST(self) -> None:
        fake, body = self.server, self._body()
        if self.path.startswith("/storage/auth/token"):
            expires = "2099-01-01T00:00:00+00:00"
            return self._send(200, {"token": "t", "token_type": "Bearer", "base_url": fake.base, "expires_at": expires})
        if self.path == "/files/upload":
            return self._send(200, {"access_url": f"{fake.base}/files/in/{self.headers['x-fal-file-name']}"})
        model = self.path.lstrip("/")
        with fake.lock:
            request_id = f"req-{len(fake.requests) + 1}"
            fake.requests[request_id] = {"model": model, "body": json.loads(body), "at": time.monotonic()}
        base = f"{fake.base}/{'/'.join(model.split('/')[:2])}/requests/{request_id}"
        self._send(
            200,
            {
                "status": "IN_QUEUE",
                "request_id": request_id,
                "response_url": base,
                "status_url": f"{base}/status",
                "cancel_url": f"{base}/cancel",
                "queue_position": 0,
            },
        )

    def do_PUT(self) -> None:
        self._body()
        self._send(202, {"status": "CANCELLATION_REQUESTED"})

    def do_GET(self) -> None:
        fake = self.server
        if self.path == "/polls":
            return self._send(200, {"polls": fake.polls})
        if self.path.startswith("/files/out/"):
            kind = "image" if self.path.endswith(".png") else "video"
            return self._send(200, fake.media[kind], "image/png" if kind == "image" else "video/mp4")
        match = REQUEST.match(self.path)
        state = fake.requests[match["id"]]
        if match["action"] == "/status":
            with fake.lock:
                fake.polls += 1
            done = time.monotonic() - state["at"] >= fake.latencies[state["model"]]
            return self._send(
                200,
                {"status": "COMPLETED", "logs": None, "metrics": {}}
                if done
                else {"status": "IN_PROGRESS", "logs": None},
            )
        self._send(200, self._result(state))

    def _result(self, state: dict) -> dict:
        fake, model, body = self.server, state["model"], state["body"]
        if model == "fal-ai/whisper":
            words = fake.transcript["words"]
            return {
                "text": fake.transcript["text"],
                "chunks": [{"timestamp": [w["start"], w["end"]], "text": w["text"]} for w in words],
            }
        if model == "openrouter/router":
            clip = "stretch of a song" in body["system_prompt"]
            return {
                "output": json.dumps({"starts": [CHORUS_START, 2.0]}) if clip else "neon hours again",
                "error": None,
            }
        if model == "fal-ai/nano-banana-2/edit":
            return {
                "images": [{"url": f"{fake.base}/files/out/image.png", "content_type": "image/png"}],
                "description": "",
            }
        return {"video": {"url": f"{fake.base}/files/out/video.mp4", "content_type": "video/mp4"}}


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def make_assets(folder: Path) -> dict:
    """The artist's files and what the fake models return, made on this machine."""
    from PIL import Image

    from content.media import ffmpeg
    from content.media.lyrics import transcript_from_lyrics
    from content.media.synth import face_guide_png, song_lyrics_lrc, song_wav

    folder.mkdir()
    Image.new("RGB", (768, 1344), (90, 40, 120)).save(folder / "result.png")
    video = folder / "result.mp4"
    ffmpeg.run(
        ["-f", "lavfi", "-i", f"testsrc=size=720x1280:rate=24:duration={VIDEO_SECONDS}", "-pix_fmt", "yuv420p", video]
    )
    lyrics = song_lyrics_lrc(SONG_SECONDS, CHORUS_START, CHORUS_SECONDS)
    song = song_wav(folder / "song.wav", seconds=SONG_SECONDS, chorus_start=CHORUS_START, chorus_seconds=CHORUS_SECONDS)
    return {
        "face": face_guide_png(folder / "face.png"),
        "song": song,
        "lyrics": lyrics,
        "transcript": transcript_from_lyrics(lyrics, SONG_SECONDS),
        "media": {"image": (folder / "result.png").read_bytes(), "video": video.read_bytes()},
    }


def serve(assets: dict, latencies: dict[str, float], cert: Path, key: Path, ready: "multiprocessing.Queue") -> None:
    """The fake fal.ai, in its own process so that its CPU time is not counted as ours."""
    server = FakeFal(assets["media"], assets["transcript"], latencies)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    ready.put(server.base)
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=30)
    parser.add_argument("--workers", type=int, default=0, help="qcluster workers (default: --batch)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every model's latency")
    parser.add_argument("--cluster", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.cluster:
        return run_cluster()
    latencies = {model: seconds * options.scale for model, seconds in LATENCIES.items()}
    # The machine may be busy with other work, which the numbers below would include.
    load_before = os.getloadavg()[0]

    work = Path(tempfile.mkdtemp(prefix="fal-bench-"))
    cert, key = certificate(work)
    assets = make_assets(work / "assets")
    ready: multiprocessing.Queue = multiprocessing.Queue()
    fake = multiprocessing.Process(target=serve, args=(assets, latencies, cert, key, ready), daemon=True)
    fake.start()
    base = ready.get(timeout=30)
    os.environ.update(
        {
            "SSL_CERT_FILE": str(cert),
            "VAR_DIR": str(work / "var"),
            "CONTENT_PROVIDER": "fal",
            "FAL_KEY": "bench-key",
            # Read by fal-client when it is imported.
            "FAL_QUEUE_RUN_HOST": base.removeprefix("https://"),
            "FAL_BENCH_STORAGE_URL": base,
            "Q_WORKERS": str(options.workers or options.batch),
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "recoup.settings",
        }
    )
    setup_django()
    import httpx
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    account, artist, template = make_artist(assets)

    def polls() -> int:
        return httpx.get(f"{base}/polls").json()["polls"]

    execute(account, artist, template)  # transcribes the song and uploads the face guide once
    started, polls_before = time.monotonic(), polls()
    run = execute(account, artist, template)
    single, single_polls = time.monotonic() - started, polls() - polls_before
    steps = step_report(run, latencies)
    critical = sum(waited for _, _, waited in steps)
    rows = "\n".join(
        f"| {name} | {wall:.2f} s | {waited:g} s | {wall - waited:.2f} s |" for name, wall, waited in steps
    )

    polls_before = polls()
    batch, cpu, peak_mb, statuses, spread = run_batch(account, artist, template, options.batch)
    batch_polls = polls() - polls_before
    batch_rows = "\n".join(
        f"| {name} | {median:.2f} s | {slowest:.2f} s | {latencies.get(STEP_MODELS.get(name, ''), 0.0):g} s |"
        for name, (median, slowest) in spread.items()
    )
    fal_late = max(spread[name][0] - latencies[STEP_MODELS[name]] for name in ("image", "video", "caption"))
    render_alone = next(wall for name, wall, _ in steps if name == "render")
    clip_local = next(wall - waited for name, wall, waited in steps if name == "clip")
    from django.conf import settings

    slots = settings.CPU_SLOTS
    fake.terminate()
    fal_overhead = sum(wall - waited for name, wall, waited in steps if name in ("image", "video", "caption"))
    workers = options.workers or options.batch
    command = " ".join(["bench/fal_overhead.py", *sys.argv[1:]])

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    body = f"""
Command: `.venv/bin/python {command}`. A fake fal.ai on loopback (TLS; the queue, CDN uploads
and result files) answers each model after a fixed latency: {", ".join(f"{m} {s:g} s" for m, s in latencies.items())}.
The real fal-client talks to it (`FAL_QUEUE_RUN_HOST`, `SSL_CERT_FILE`, its storage URLs set on
its module). SQLite and the ORM broker in a throw-away VAR_DIR; template `artist-caption-bedroom`,
short caption, no lipsync, no upscale. One run goes through `tasks.runner.execute_run` in the
bench's process after a warm-up run has transcribed the song and uploaded the face guide; the
batch is triggered with `runs_trigger` on a real qcluster with {workers} workers. Load average
of the machine (other work) when the bench started: {load_before:.1f}.

One run, step by step (overhead: wall time minus the fal.ai latency the step waited for):

| step | wall | fal.ai latency | overhead |
|---|---|---|---|
{rows}
| **run** | **{single:.2f} s** | **{critical:.2f} s** | **{single - critical:.2f} s** |

| measure | result | target |
|---|---|---|
| one run: wall time minus the latencies on its critical path | {single - critical:.2f} s | <= 0.5 s ({verdict(single - critical <= 0.5)}) |
| of which the fal steps (image, video, caption: upload, polling, download, checks) | {fal_overhead:.2f} s | <= 0.5 s ({verdict(fal_overhead <= 0.5)}) |
| of which the render (encoding on this machine) | {render_alone:.2f} s | |
| batch of {options.batch}: wall time, first trigger to last run finished | {batch:.1f} s ({batch / single:.2f}x one run) | <= 1.5x ({verdict(batch <= 1.5 * single)}) |
| status polls: one run, the batch | {single_polls}, {batch_polls} ({batch_polls / options.batch:.0f} a run) | |
| batch: run statuses | {", ".join(f"{n} {status}" for status, n in statuses.items())} | |
| batch: CPU time of the cluster and its ffmpeg children | {cpu:.1f} s ({cpu / options.batch:.2f} s a run) | |
| batch: peak memory of the cluster, all processes (PSS) | {peak_mb:.0f} MB | <= 4096 MB ({verdict(peak_mb <= 4096)}) |

Steps in the batch:

| step | median wall | slowest | fal.ai latency |
|---|---|---|---|
{batch_rows}

In the batch the fal steps end within {fal_late:.2f} s (median) of their models' latency. The
renders take a CPU slot each ({slots} slots on this machine, `CPU_SLOTS`), so a render's wall time in
the batch, {spread["render"][0]:.2f} s (median) against {render_alone:.2f} s alone, is mostly its wait for a
slot: the videos come back from fal.ai together, and the batch's time past one run's is the time
the machine takes to encode them one slot at a time.

The one-run target (<= 0.5 s) cannot be met by any provider here: the render step (the caption
burned in, H.264 encoding, which SPEC section 9 requires of every run) takes {render_alone:.2f} s of
this machine's CPU after the video arrives, and the clip step cuts and masters the audio
({clip_local:.2f} s with its LLM call's overhead). What the fal provider itself adds to the run,
the row "of which the fal steps", is the part this bench measures against the target.
"""
    print(body)
    from bench.report import write_section

    write_section("fal overhead", body)


def setup_django() -> None:
    import django

    django.setup()
    import fal_client.client

    fal_client.client.REST_URL = os.environ["FAL_BENCH_STORAGE_URL"]
    fal_client.client.CDN_URL = os.environ["FAL_BENCH_STORAGE_URL"]


def run_cluster() -> None:
    """The qcluster, its workers forked from this process and so with fal-client patched."""
    setup_django()
    from django.core.management import call_command

    call_command("qcluster")


def make_artist(assets: dict) -> tuple:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from artists.models import FileKind
    from artists.services import artist_create, artist_file_add
    from content.models import Template
    from recoup.models import Account

    account = Account.objects.create(name="bench")
    artist = artist_create(account=account, name="Nova Vale")
    for kind, path, extra in [
        (FileKind.FACE_GUIDE, assets["face"], {}),
        (FileKind.SONG, assets["song"], {"title": "Neon Hours", "lyrics": assets["lyrics"]}),
    ]:
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        artist_file_add(artist=artist, kind=kind, upload=upload, **extra)
    return account, artist, Template.objects.get(pk="artist-caption-bedroom")


PAYLOAD = {"lipsync": False, "upscale": False, "caption_length": "short", "songs": None}


def execute(account, artist, template):
    from tasks.models import Run, RunStatus
    from tasks.runner import execute_run

    run = Run.objects.create(
        account=account, artist=artist, template=template, payload={**PAYLOAD, "template": template.pk}, seed=7
    )
    execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED, run.error
    return run


# The model each pipeline step waits for (the defaults of FAL_MODELS).
STEP_MODELS = {
    "transcribe": "fal-ai/whisper",
    "clip": "openrouter/router",
    "image": "fal-ai/nano-banana-2/edit",
    "video": "fal-ai/veo3.1/fast/image-to-video",
    "caption": "openrouter/router",
}


def step_report(run, latencies: dict[str, float]) -> list[tuple[str, float, float]]:
    """(step, wall seconds, seconds of fal.ai latency it waited for) for each step of a run."""
    steps = []
    for step in run.steps.order_by("position"):
        # A transcript served from a cache waits for no model, and costs nothing.
        waited = latencies[STEP_MODELS[step.name]] if step.name in STEP_MODELS and step.cost_cents else 0.0
        steps.append((step.name, (step.finished_at - step.started_at).total_seconds(), waited))
    return steps


def run_batch(account, artist, template, size: int) -> tuple[float, float, float, dict, dict]:
    from django.db.models import Count, Max
    from django.utils import timezone
    from django_q.tasks import async_task, result

    from tasks.models import Run, RunStatus, RunStep
    from tasks.services import runs_trigger

    cluster = subprocess.Popen([sys.executable, __file__, "--cluster"])
    try:
        # Measured from a cluster that is up: its workers fork at start, so one answer will do.
        assert result(async_task("math.sqrt", 4.0), wait=120_000) == 2.0, "the cluster did not start"
        cpu_before, started = _tree_cpu(cluster.pid), timezone.now()
        ids, _ = runs_trigger(
            account=account, artist=artist, template=template, lipsync=False, caption_length="short",
            upscale=False, batch=size, songs=None,
        )  # fmt: skip
        peak = 0
        runs = Run.objects.filter(pk__in=ids)
        while runs.exclude(status__in=[RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELED]).exists():
            peak = max(peak, _tree_pss(cluster.pid))
            time.sleep(0.5)
        wall = (runs.aggregate(Max("finished_at"))["finished_at__max"] - started).total_seconds()
        cpu = _tree_cpu(cluster.pid) - cpu_before
        statuses = dict(runs.values_list("status").annotate(n=Count("id")))
    finally:
        cluster.terminate()
        cluster.wait(timeout=60)
    spread = {}
    for name in ("clip", "image", "video", "caption", "render"):
        steps = RunStep.objects.filter(run__in=ids, name=name)
        walls = sorted((step.finished_at - step.started_at).total_seconds() for step in steps)
        spread[name] = (walls[len(walls) // 2], walls[-1])
    return wall, cpu, peak / 1024, statuses, spread


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def _tree_pss(pid: int) -> int:
    """Memory of a process and all its descendants, in KB: proportional set sizes, so that
    the pages forked workers share with the cluster are counted once, not once a worker."""
    total = 0
    for member in _descendants(pid):
        try:
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total


def _tree_cpu(pid: int) -> float:
    """CPU seconds used by a process and its descendants, counting children already waited for."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for member in _descendants(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime
        total += sum(int(value) for value in fields[11:15]) / tick
    return total


if __name__ == "__main__":
    main()
