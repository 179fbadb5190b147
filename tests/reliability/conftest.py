"""Real processes for the fault tests: qcluster workers on the test database, and a Redis of our own.

The workers are `manage.py qcluster` as production runs it, with short liveness settings so
a fault is noticed in seconds. Each test gets its own queue name, so its workers never take
another test's jobs (or another test session's, on a shared Redis).
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django_q.conf import Conf
from django_q.signing import SignedPackage

from recoup.lib.processes import free_port, start_cluster

T = TypeVar("T")

# Short enough that a test sees a dead worker in seconds, long enough for a busy CI machine.
WORKER_ENV = {
    "HEARTBEAT_SECONDS": "0.5",
    "REAPER_STALE_SECONDS": "3",
    # Shorter videos: the faults are the point, not the media.
    "VIDEO_SECONDS": "3",
    "PYTHONUNBUFFERED": "1",
}


def wait_for(condition: Callable[[], T], *, timeout: float, what: str, every: float = 0.1) -> T:
    """The first truthy value of condition(), polled until timeout seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def final_videos(run_id: str) -> list[str]:
    """The run's final MP4s in storage: the store step names it after the run (a second one would get a suffix)."""
    files = default_storage.listdir(f"runs/{run_id}")[1]
    return [name for name in files if name.startswith(run_id) and name.endswith(".mp4")]


class Workers:
    """qcluster processes sharing the test database, the media directory and a queue of their own."""

    def __init__(self, log: Path, queue: str):
        self.log = log
        self.queue = queue
        self.procs: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
            "RECOUP_TEST_DATABASE_NAME": str(settings.DATABASES["default"]["NAME"]),
            "Q_CLUSTER_NAME": queue,
            **WORKER_ENV,
        }

    def start(self, **env: str) -> subprocess.Popen:
        with open(self.log, "ab") as log:
            proc = start_cluster(env={**self.env, **env}, log=log)
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL to the cluster's whole process group: sentinel, workers, pusher and monitor at once."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def worker_pid(self, run_id: str) -> int:
        """The pid of the worker process executing run_id, from what django-q2 logs."""
        log = self.logged()
        name = re.search(rf"(Process-\w+) processing {run_id} ", log).group(1)
        return int(re.search(rf"{name} ready for work at (\d+)", log).group(1))

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                # SIGTERM to the main process alone: it stops the sentinel, which stops the rest in
                # order. Sent to the whole group, it kills the sentinel first and the main process hangs.
                proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(20)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def logged(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def workers(tmp_path, monkeypatch) -> Iterator[Workers]:
    """Starts clusters on demand and stops them (before the test database is flushed)."""
    queue = f"recoup-test-{secrets.token_hex(4)}"
    # The test process enqueues to its workers' queue; the queue name also salts a job's signature.
    monkeypatch.setattr(Conf, "PREFIX", queue)
    monkeypatch.setattr(Conf, "CLUSTER_NAME", queue)
    group = Workers(tmp_path / "cluster.log", queue)
    yield group
    group.stop_all()
    # pytest shows this only when the test failed.
    print(f"--- worker log ({group.log})\n{group.logged()[-20000:]}")


class RedisServer:
    """A redis-server of our own on a free port, without persistence: a restart loses every queued job."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(self.folder), "--logfile", str(self.folder / "redis.log"),
        ]  # fmt: skip
        self.proc = subprocess.Popen(cmd, start_new_session=True)
        wait_for(self.ping, timeout=10, what=f"redis-server on port {self.port}")

    def ping(self) -> bool:
        try:
            return redis.from_url(self.url).ping()
        except redis.ConnectionError:
            return False

    def shutdown(self) -> None:
        """SHUTDOWN NOSAVE: what a crash or a restart without persistence does to the queue."""
        # The server closes the connection as it exits.
        with contextlib.suppress(redis.ConnectionError):
            redis.from_url(self.url).shutdown(nosave=True)
        self.proc.wait(10)

    def queued(self, queue: str) -> list[str]:
        """The run ids of the jobs waiting in the queue's list, first to be taken first."""
        jobs = redis.from_url(self.url).lrange(f"django_q:{queue}:q", 0, -1)
        return [SignedPackage.loads(job)["args"][0] for job in jobs]


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.proc.poll() is None:
        server.proc.kill()
        server.proc.wait()
