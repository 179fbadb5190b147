"""Starting the web server and the worker cluster as child processes (demo, serve, benchmarks)."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_web(port: int, *, env: dict, workers: int = 2, log=None) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "gunicorn", "recoup.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--access-logfile", "-",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)


def start_cluster(*, env: dict, log=None) -> subprocess.Popen:
    cmd = [sys.executable, "manage.py", "qcluster"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen, timeout: float = 20.0) -> None:
    if proc.poll() is not None:
        return
    # The main process shuts its children down in order; SIGTERM to the whole group would
    # kill qcluster's sentinel first and leave the main process waiting.
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextmanager
def running(*procs: subprocess.Popen):
    try:
        yield procs
    finally:
        for proc in reversed(procs):
            stop(proc)
