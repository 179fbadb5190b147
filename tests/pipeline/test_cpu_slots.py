"""Heavy media work takes a CPU slot: at most CPU_SLOTS at once, across processes."""

import subprocess
import sys
import threading
import time

from content.media.cpu import cpu_slot


def test_no_more_than_cpu_slots_pieces_of_work_run_at_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.CPU_SLOTS = 2
    running, most, lock = 0, 0, threading.Lock()

    def work() -> None:
        nonlocal running, most
        with cpu_slot():
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.1)
            with lock:
                running -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert most == 2
    # Six pieces of 0.1 s, two at a time: three rounds.
    assert time.monotonic() - started >= 0.3


def test_a_slot_held_by_a_process_is_taken_only_when_that_process_dies(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.CPU_SLOTS = 1
    (tmp_path / "cpu-slots").mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time;"
            f"fd = os.open({str(tmp_path / 'cpu-slots' / '0.lock')!r}, os.O_CREAT | os.O_RDWR);"
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        got = threading.Event()

        def take() -> None:
            with cpu_slot():
                got.set()

        taker = threading.Thread(target=take, daemon=True)
        taker.start()
        assert not got.wait(0.5), "the slot was taken while another process held it"
        holder.kill()  # a worker killed mid-render
        assert got.wait(5), "the slot of a dead process was never freed"
    finally:
        holder.kill()
        holder.wait()
