"""API benchmark (issue 2): gunicorn on PostgreSQL and Redis, on loopback.

    .venv/bin/python bench/api.py            # or: python3 dev manage ... is not needed

Measures the create endpoint's latency for batch 1 and batch 30, and the
throughput of GET /api/tasks/runs?runId= against a minimal Django view that
returns a fixed JSON body, in the same run. Writes the "API" section of
docs/benchmarks.md.

Targets: batch 30 median <= 2x batch 1 median; runs polling >= 0.6x the
minimal view's requests per second.
"""

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/recoup_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="recoup-bench-"))

import django  # noqa: E402
import psycopg  # noqa: E402
import requests  # noqa: E402

CREATE_ROUNDS = {1: 60, 30: 30}
THROUGHPUT_SECONDS = 8.0
CLIENT_THREADS = 4


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_data() -> tuple[str, str, str]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from artists.models import FileKind
    from artists.services import artist_create, artist_file_add
    from content.media.synth import face_guide_png, song_wav
    from django.core.files.uploadedfile import SimpleUploadedFile
    from recoup.models import Account, api_key_create

    account, _ = Account.objects.get_or_create(name="bench")
    _, key = api_key_create(account=account)
    artist = artist_create(account=account, name="Bench Artist")
    with tempfile.TemporaryDirectory() as folder:
        for kind, path in [
            (FileKind.FACE_GUIDE, face_guide_png(Path(folder) / "face.png")),
            (FileKind.SONG, song_wav(Path(folder) / "song.wav", seconds=20, chorus_start=8)),
        ]:
            artist_file_add(artist=artist, kind=kind, upload=SimpleUploadedFile(path.name, path.read_bytes()))
    return key, str(artist.pk), str(account.pk)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def create_latencies(base: str, key: str, artist_id: str, batch: int, rounds: int) -> list[float]:
    session = requests.Session()
    session.headers["x-api-key"] = key
    body = {"artist_account_id": artist_id, "batch": batch}
    for _ in range(5):  # warm-up
        session.post(f"{base}/api/content/create", json=body, timeout=30).raise_for_status()
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = session.post(f"{base}/api/content/create", json=body, timeout=30)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 202, response.text
        assert len(response.json()["runIds"]) == batch
    return out


def throughput(url: str, headers: dict, seconds: float) -> tuple[float, int]:
    """Requests per second from CLIENT_THREADS keep-alive clients for `seconds`; and the error count."""
    counts, errors = [0] * CLIENT_THREADS, [0] * CLIENT_THREADS
    deadline = time.perf_counter() + seconds

    def client(i: int) -> None:
        session = requests.Session()
        session.headers.update(headers)
        while time.perf_counter() < deadline:
            response = session.get(url, timeout=30)
            if response.status_code == 200:
                counts[i] += 1
            else:
                errors[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENT_THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started), sum(errors)


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    key, artist_id, _ = setup_data()

    from recoup.lib import processes

    port = processes.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PUBLIC_BASE_URL": base}
    with open(Path(os.environ["VAR_DIR"]) / "gunicorn.log", "w") as log, processes.running(
        processes.start_web(port, env=env, workers=2, log=log)
    ):
        processes.wait_for_http(f"{base}/bench/fixed")
        latency = {batch: create_latencies(base, key, artist_id, batch, rounds) for batch, rounds in CREATE_ROUNDS.items()}
        run_id = requests.post(
            f"{base}/api/content/create", json={"artist_account_id": artist_id}, headers={"x-api-key": key}, timeout=30
        ).json()["runIds"][0]
        # Alternate the two endpoints so drift on the machine hits both alike.
        runs_rps, fixed_rps, errors = [], [], 0
        for _ in range(2):
            rps, err = throughput(f"{base}/api/tasks/runs?runId={run_id}", {"x-api-key": key}, THROUGHPUT_SECONDS / 2)
            runs_rps.append(rps)
            errors += err
            rps, err = throughput(f"{base}/bench/fixed", {}, THROUGHPUT_SECONDS / 2)
            fixed_rps.append(rps)
            errors += err
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()

    med1, med30 = statistics.median(latency[1]), statistics.median(latency[30])
    runs, fixed = statistics.mean(runs_rps), statistics.mean(fixed_rps)
    ratio_create, ratio_poll = med30 / med1, runs / fixed
    rows = [
        "| measure | result | target |",
        "|---|---|---|",
        f"| create, batch 1: median / p99 | {med1:.1f} ms / {percentile(latency[1], 0.99):.1f} ms | |",
        f"| create, batch 30: median / p99 | {med30:.1f} ms / {percentile(latency[30], 0.99):.1f} ms | |",
        f"| batch 30 median / batch 1 median | {ratio_create:.2f}x | <= 2x {'(met)' if ratio_create <= 2 else '(MISSED)'} |",
        f"| GET /api/tasks/runs?runId= | {runs:.0f} req/s | |",
        f"| minimal Django JSON view | {fixed:.0f} req/s | |",
        f"| runs polling / minimal view | {ratio_poll:.2f}x | >= 0.6x {'(met)' if ratio_poll >= 0.6 else '(MISSED)'} |",
        f"| errors | {errors} | 0 |",
    ]
    body = (
        "Command: `.venv/bin/python bench/api.py` (PostgreSQL at `DATABASE_URL`, default "
        "`postgres://postgres@127.0.0.1:5432/recoup_bench`; Redis at `REDIS_URL`, default db 14). "
        f"gunicorn with 2 sync workers on loopback; create latency from one sequential client "
        f"({CREATE_ROUNDS[1]} and {CREATE_ROUNDS[30]} requests after 5 warm-ups); throughput from "
        f"{CLIENT_THREADS} client threads on the same 2-core machine, {THROUGHPUT_SECONDS:.0f} s per endpoint.\n\n"
        + "\n".join(rows)
    )
    print(body)
    from bench.report import write_section

    write_section("API", body)


if __name__ == "__main__":
    main()
