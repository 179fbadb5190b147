"""The main job: a real video of a demo artist, through the HTTP API and a worker cluster."""

import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from content.media.synth import face_guide_png, song_lyrics_lrc, song_wav
from recoup.lib import processes
from recoup.models import Account, api_key_create

DEMO_ACCOUNT = "demo"
DEMO_ARTIST = "Demo Artist"
SONG = {"seconds": 40.0, "chorus_start": 18.0, "chorus_seconds": 10.0}
FINAL = {"COMPLETED", "FAILED", "CANCELED"}
SERVE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Makes demo videos end to end: server, worker cluster, demo artist, a batch through the API."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=3)
        parser.add_argument("--template", default="artist-caption-bedroom")
        parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the runs")

    def handle(self, *args, batch: int, template: str, timeout: float, **options):
        call_command("migrate", verbosity=0)
        account, _ = Account.objects.get_or_create(name=DEMO_ACCOUNT)
        _, key = api_key_create(account=account, name="demo")
        port = processes.free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PUBLIC_BASE_URL": base, "DJANGO_SETTINGS_MODULE": "recoup.settings"}
        log_path = Path(settings.VAR_DIR) / "demo.log"
        self.stdout.write(f"Starting the API on {base} and a worker cluster (logs: {log_path})")
        with open(log_path, "a") as log, processes.running(
            processes.start_web(port, env=env, log=log), processes.start_cluster(env=env, log=log)
        ):
            processes.wait_for_http(f"{base}/api/content/templates")
            session = requests.Session()
            session.headers["x-api-key"] = key
            artist_id = self._demo_artist(session, base)
            self.stdout.write(f"Triggering {batch} runs of template {template} for {DEMO_ARTIST} ({artist_id})")
            response = session.post(
                f"{base}/api/content/create",
                json={"artist_account_id": artist_id, "template": template, "batch": batch},
                timeout=30,
            )
            if response.status_code != 202:
                self.stderr.write(f"create failed: {response.status_code} {response.text}")
                sys.exit(1)
            runs = self._follow(session, base, response.json()["runIds"], timeout)
        self._report(runs, key, artist_id)
        if any(run["status"] != "COMPLETED" for run in runs):
            sys.exit(1)

    def _demo_artist(self, session: requests.Session, base: str) -> str:
        artists = session.get(f"{base}/api/artists", timeout=30).json()["artists"]
        existing = next((a for a in artists if a["name"] == DEMO_ARTIST and a["ready"]), None)
        if existing:
            return existing["id"]
        artist = session.post(f"{base}/api/artists", json={"name": DEMO_ARTIST}, timeout=30).json()["artist"]
        with tempfile.TemporaryDirectory() as folder:
            face = face_guide_png(Path(folder) / "face-guide.png", seed=7)
            song = song_wav(Path(folder) / "midnight-signal.wav", seed=7, **SONG)
            lyrics = song_lyrics_lrc(SONG["seconds"], SONG["chorus_start"], SONG["chorus_seconds"])
            for kind, path, extra in [
                ("face_guide", face, {}),
                ("song", song, {"title": "Midnight Signal", "lyrics": lyrics}),
            ]:
                with open(path, "rb") as handle:
                    response = session.post(
                        f"{base}/api/artists/{artist['id']}/files",
                        data={"kind": kind, **extra},
                        files={"file": (path.name, handle)},
                        timeout=60,
                    )
                response.raise_for_status()
        self.stdout.write(f"Created {DEMO_ARTIST} with a generated face guide and song")
        return artist["id"]

    def _follow(self, session: requests.Session, base: str, run_ids: list[str], timeout: float) -> list[dict]:
        """Polls every run and redraws one progress bar per run until all have ended."""
        tty = sys.stdout.isatty()
        runs: dict[str, dict] = {}
        drawn = 0
        last_lines: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for run_id in run_ids:
                if runs.get(run_id, {}).get("status") not in FINAL:
                    body = session.get(f"{base}/api/tasks/runs", params={"runId": run_id}, timeout=30).json()
                    runs[run_id] = body["runs"][0]
            lines = [_bar(runs[run_id]) for run_id in run_ids]
            if tty:
                if drawn:
                    sys.stdout.write(f"\x1b[{drawn}F")
                sys.stdout.write("".join(f"\x1b[2K{line}\n" for line in lines))
                sys.stdout.flush()
                drawn = len(lines)
            else:
                for line in lines:
                    if line not in last_lines:
                        self.stdout.write(line)
            last_lines = lines
            if all(run["status"] in FINAL for run in runs.values()):
                break
            time.sleep(0.5)
        return [runs[run_id] for run_id in run_ids]

    def _report(self, runs: list[dict], key: str, artist_id: str) -> None:
        media = Path(settings.MEDIA_ROOT)
        self.stdout.write("")
        for run in runs:
            if run["status"] == "COMPLETED":
                output = run["output"]
                path = media / urlsplit(output["videoUrl"]).path.removeprefix(settings.MEDIA_URL)
                self.stdout.write(
                    f"{run['id']}: {output['width']}x{output['height']} {output['durationSeconds']:.1f} s, "
                    f"mood {output['mood']!r}, caption {output['captionText']!r}\n    {path}"
                )
            else:
                self.stdout.write(f"{run['id']}: {run['status']} {run['error']}")
        self.stdout.write(
            "\nNext, with the server running (python3 dev serve):\n"
            f"  export RECOUP_KEY={key}\n"
            f"  curl -s -H \"x-api-key: $RECOUP_KEY\" '{SERVE_URL}/api/tasks/runs?limit=3'\n"
            f"  curl -s -X POST -H \"x-api-key: $RECOUP_KEY\" -H 'content-type: application/json' "
            f"-d '{{\"artist_account_id\": \"{artist_id}\", \"batch\": 2, \"caption_length\": \"medium\"}}' "
            f"{SERVE_URL}/api/content/create\n"
            f"  curl -s -H \"x-api-key: $RECOUP_KEY\" '{SERVE_URL}/api/tasks/runs?runId=<run id>'\n"
            f"  curl -O '<videoUrl from that answer>'\n"
        )


def _bar(run: dict, width: int = 30) -> str:
    filled = width * run["progress"] // 100
    stage = run["stage"] or "queued"
    return f"{run['id']}  [{'#' * filled}{'.' * (width - filled)}] {run['progress']:3d}%  {run['status']:<9} {stage}"
