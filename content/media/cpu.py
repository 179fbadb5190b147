"""CPU slots: at most CPU_SLOTS pieces of heavy media work at once on this machine.

A cluster that uses the fal provider runs many workers, since most of a run is spent
waiting on fal.ai, and a wait costs no CPU. The work that does cost CPU (encoding,
drawing, decoding audio) takes a slot first, so a batch whose videos come back together
renders them a few at a time at full speed, instead of all at once, each crawling and
holding its own ffmpeg's memory.

Slots are advisory locks on files in VAR_DIR/cpu-slots, so they hold across the worker
processes of one machine and are freed by the kernel when a process dies.
"""

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

# How often a worker that found every slot taken tries again.
RETRY_SECONDS = 0.05


@contextlib.contextmanager
def cpu_slot() -> Iterator[None]:
    folder = Path(settings.VAR_DIR) / "cpu-slots"
    folder.mkdir(parents=True, exist_ok=True)
    handle = _take_one(folder, settings.CPU_SLOTS)
    try:
        yield
    finally:
        os.close(handle)  # closing the file releases its lock


def _take_one(folder: Path, slots: int) -> int:
    # Workers start from a different slot each, so they do not all queue on slot 0.
    first = os.getpid() % slots
    while True:
        for i in range(slots):
            handle = os.open(folder / f"{(first + i) % slots}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                continue
            return handle
        time.sleep(RETRY_SECONDS)
