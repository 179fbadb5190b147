"""Load benchmark (issue 5): concurrent clients triggering batches and polling runs, against
gunicorn, PostgreSQL, Redis and a running worker cluster, all on loopback.

    .venv/bin/python bench/load.py [--clients 4] [--seconds 30]

Each client, for --seconds, triggers a batch of 2 with an Idempotency-Key (and sends every
third trigger twice, as a client retrying after a lost answer would), then polls its runs.
Afterwards it waits (bounded) for every run to end and checks that every run was created
exactly once and ended. Reports triggers/s, polls/s, p50 and p99 latencies and errors, and
writes the "Load" section of docs/benchmarks.md.
"""

import argparse
import os
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import fresh_database, percentile, postgres_and_redis_env, ready_artist  # noqa: E402

postgres_and_redis_env("recoup_load", 13)
os.environ["DJANGO_SETTINGS_MODULE"] = "recoup.settings"
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402
import requests  # noqa: E402

FINAL = {"COMPLETED", "FAILED", "CANCELED"}
DRAIN_SECONDS = 600


class Client(threading.Thread):
    def __init__(self, base: str, key: str, artist_id: str, until: float):
        super().__init__()
        self.base, self.until = base, until
        self.session = requests.Session()
        self.session.headers["x-api-key"] = key
        self.body = {"artist_account_id": artist_id, "batch": 2, "caption_length": "short"}
        self.trigger_ms: list[float] = []
        self.poll_ms: list[float] = []
        self.errors: list[str] = []
        self.run_ids: list[str] = []

    def trigger(self, idempotency_key: str) -> list[str]:
        started = time.perf_counter()
        response = self.session.post(
            f"{self.base}/api/content/create", json=self.body, headers={"Idempotency-Key": idempotency_key}, timeout=30
        )
        self.trigger_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 202:
            self.errors.append(f"create {response.status_code}: {response.text[:200]}")
            return []
        return response.json()["runIds"]

    def run(self) -> None:
        n = 0
        while time.perf_counter() < self.until:
            key = str(uuid.uuid4())
            ids = self.trigger(key)
            if n % 3 == 0 and ids and self.trigger(key) != ids:
                self.errors.append("a repeated Idempotency-Key answered different runs")
            self.run_ids += ids
            n += 1
            # Poll this client's runs for a few seconds before the next trigger.
            poll_until = min(self.until, time.perf_counter() + 4.0)
            while time.perf_counter() < poll_until:
                for run_id in self.run_ids[-6:]:
                    started = time.perf_counter()
                    response = self.session.get(f"{self.base}/api/tasks/runs", params={"runId": run_id}, timeout=30)
                    self.poll_ms.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        self.errors.append(f"poll {response.status_code}")
                time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()

    fresh_database(os.environ["DATABASE_URL"])
    django.setup()
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    key, artist_id = ready_artist("load")

    from recoup.lib import processes
    from tasks.models import Run

    port = processes.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PUBLIC_BASE_URL": base}
    log_path = Path(os.environ["VAR_DIR"]) / "load.log"
    with open(log_path, "w") as log, processes.running(
        processes.start_web(port, env=env, workers=2, log=log), processes.start_cluster(env=env, log=log)
    ):
        processes.wait_for_http(f"{base}/api/content/templates")
        until = time.perf_counter() + args.seconds
        clients = [Client(base, key, artist_id, until) for _ in range(args.clients)]
        started = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.perf_counter() - started
        drain_started = time.perf_counter()
        returned = [run_id for client in clients for run_id in client.run_ids]
        while time.perf_counter() - drain_started < DRAIN_SECONDS:
            if not Run.objects.exclude(status__in=FINAL).exists():
                break
            time.sleep(1)
        drained = time.perf_counter() - drain_started

    triggers = [ms for client in clients for ms in client.trigger_ms]
    polls = [ms for client in clients for ms in client.poll_ms]
    errors = [error for client in clients for error in client.errors]
    stored = list(Run.objects.values_list("pk", "status"))
    statuses = {status for _, status in stored}
    once = sorted(returned) == sorted(pk for pk, _ in stored) and len(set(returned)) == len(returned)
    ended = all(status in FINAL for status in statuses)
    completed = sum(1 for _, status in stored if status == "COMPLETED")
    rows = [
        "| measure | result |",
        "|---|---|",
        f"| clients / duration | {args.clients} / {elapsed:.0f} s |",
        f"| triggers (incl. repeated Idempotency-Keys) | {len(triggers)} ({len(triggers) / elapsed:.2f}/s) |",
        f"| trigger latency p50 / p99 | {percentile(triggers, 0.5):.1f} ms / {percentile(triggers, 0.99):.1f} ms |",
        f"| polls | {len(polls)} ({len(polls) / elapsed:.1f}/s) |",
        f"| poll latency p50 / p99 | {percentile(polls, 0.5):.1f} ms / {percentile(polls, 0.99):.1f} ms |",
        f"| errors | {len(errors)} {'(target 0: met)' if not errors else '(target 0: MISSED) ' + '; '.join(errors[:3])} |",
        f"| runs triggered / stored | {len(returned)} / {len(stored)} |",
        f"| every run created exactly once | {'yes' if once else 'NO'} |",
        f"| every run ended ({drained:.0f} s after the load) | {'yes' if ended else 'NO'}; {completed} completed |",
    ]
    body = (
        f"Command: `.venv/bin/python bench/load.py --clients {args.clients} --seconds {args.seconds:.0f}` "
        "(PostgreSQL at `DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/recoup_load`, recreated; "
        "Redis at `REDIS_URL`, default db 13). gunicorn with 2 sync workers and a 2-worker cluster "
        "with the local provider, clients on the same 2-core machine, all on loopback.\n\n" + "\n".join(rows)
    )
    print(body)
    from bench.report import write_section

    write_section("Load", body)
    if errors or not once or not ended:
        sys.exit(1)


if __name__ == "__main__":
    main()
