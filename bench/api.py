"""API benchmark (issue 2): gunicorn on PostgreSQL and Redis, on loopback.

    .venv/bin/python bench/api.py

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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import fresh_database, percentile, postgres_and_redis_env, ready_artist  # noqa: E402

postgres_and_redis_env("recoup_bench", 14)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402
import requests  # noqa: E402

CREATE_ROUNDS = {1: 60, 30: 30}
THROUGHPUT_SECONDS = 8.0
CLIENT_THREADS = 4


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
    fresh_database(os.environ["DATABASE_URL"])
    django.setup()
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    key, artist_id = ready_artist("bench")

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
