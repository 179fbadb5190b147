"""Render benchmark (issue 3): the local pipeline on this machine.

    .venv/bin/python bench/render.py [--runs 3] [--rounds 5]
    (moviepy for the comparison: .venv/bin/pip install --no-deps -r bench/requirements.txt)

Measures, in one go, on a throw-away VAR_DIR with SQLite:
(a) the wall time of whole local runs (every step, through tasks.runner.execute_run on real
    Run rows) for an 8-s video, after one warm-up run, in a separate worker-like process;
(b) the render step alone against ONE plain ffmpeg command that makes the same output from the
    same inputs (drawtext for the caption lines, the mastered clip copied), interleaved;
(c) moviepy composing the same video from the same inputs;
(d) the worker process's peak memory (ru_maxrss of itself, and of its largest ffmpeg child).
Prints a markdown table and rewrites the "Render" section of docs/benchmarks.md.

Targets: whole local run <= 8 s; render <= 1.15x plain ffmpeg; >= 3x faster than moviepy;
worker peak memory <= 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "recoup.settings"
# Made here and removed at the end; the setup and worker processes inherit it.
OWN_VAR_DIR = "VAR_DIR" not in os.environ
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="recoup-bench-render-"))
os.environ["CONTENT_PROVIDER"] = "local"
# The embedded default: SQLite in VAR_DIR, whatever the shell points at.
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

if TYPE_CHECKING:
    from content.media.overlay import Caption

SECONDS = 8.0
TEMPLATE = "artist-caption-bedroom"
TARGET_RUN_SECONDS = 8.0
TARGET_VS_PLAIN = 1.15
TARGET_VS_MOVIEPY = 3.0
TARGET_MEMORY_MB = 300.0


def setup(runs: int) -> list[str]:
    """The database, an artist with a generated face guide and song, and `runs` + 1 queued runs."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from artists.models import FileKind
    from artists.services import artist_create, artist_file_add
    from content.media.synth import face_guide_png, song_lyrics_lrc, song_wav
    from recoup.models import Account
    from tasks.models import Run

    call_command("migrate", verbosity=0)
    account = Account.objects.create(name="bench")
    artist = artist_create(account=account, name="Bench Artist")
    with tempfile.TemporaryDirectory() as folder:
        face = face_guide_png(Path(folder) / "face.png", seed=3)
        song = song_wav(Path(folder) / "song.wav", seconds=30, chorus_start=14, chorus_seconds=8)
        artist_file_add(
            artist=artist, kind=FileKind.FACE_GUIDE, upload=SimpleUploadedFile("face.png", face.read_bytes())
        )
        artist_file_add(
            artist=artist,
            kind=FileKind.SONG,
            upload=SimpleUploadedFile("song.wav", song.read_bytes()),
            title="Neon Hours",
            lyrics=song_lyrics_lrc(30, 14, 8),
        )
    payload = {
        "artist_account_id": str(artist.pk),
        "template": TEMPLATE,
        "lipsync": False,
        "caption_length": "short",
        "upscale": False,
        "songs": None,
    }
    return [
        Run.objects.create(account=account, artist=artist, template_id=TEMPLATE, payload=payload, seed=1000 + i).pk
        for i in range(runs + 1)
    ]


def worker(run_ids: list[str]) -> dict:
    """Executes the runs as the django-q2 worker would; the first one warms up."""
    django.setup()
    from django.core.files.storage import default_storage

    from tasks.models import Run, RunStatus
    from tasks.runner import execute_run

    measured = []
    for index, run_id in enumerate(run_ids):
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        execute_run(run_id)
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        run = Run.objects.get(pk=run_id)
        if run.status != RunStatus.COMPLETED:
            raise SystemExit(f"run {run.pk} ended {run.status}: {run.error}")
        steps = {step.name: (step.finished_at - step.started_at).total_seconds() for step in run.steps.all()}
        outputs = {step.name: step.output for step in run.steps.all()}
        if index:
            measured.append(
                {"seconds": elapsed, "cpu": cpu, "steps": steps, "movement": outputs["prepare"]["movement"]}
            )
    return {
        "runs": measured,
        "inputs": {
            "video": default_storage.path(outputs["video"]["video"]),
            "clip": default_storage.path(outputs["clip"]["audio"]),
            "caption": outputs["caption"]["text"],
        },
        "maxrss_self_mb": _own_peak_mb(),
        "maxrss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _cpu_seconds() -> float:
    """User + system CPU time of this process and the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _own_peak_mb() -> float:
    """This process's peak RSS. ru_maxrss(RUSAGE_SELF) would include the parent's RSS at the time
    it spawned us (Linux carries it across exec); VmHWM is this process's own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def plain_ffmpeg(video: Path, clip: Path, caption: Caption, out: Path) -> None:
    """The same output in one plain ffmpeg command: drawtext per caption line (the lines, size and
    place our layout chose), the clip's audio copied (the clip step mastered it, as the render knows)."""
    from content.media import ffmpeg
    from content.media.overlay import FONT
    from content.pipeline.render import DECODE, FINAL_X264

    stroke = max(2, round(caption.font_size * 0.08))
    pitch = caption.height / len(caption.lines)
    centre = caption.x + caption.width / 2
    texts = []
    for index, line in enumerate(caption.lines):
        text_file = out.with_name(f"line{index}.txt")
        text_file.write_text(line)
        texts.append(
            f"drawtext=fontfile={FONT}:textfile={text_file}:fontsize={caption.font_size}:fontcolor=white:"
            f"borderw={stroke}:bordercolor=black:x={centre:.0f}-text_w/2:y={caption.y + index * pitch:.0f}"
        )
    picture = "[0:v]scale=720:1280:force_original_aspect_ratio=increase:flags=lanczos,crop=720:1280,setsar=1,"
    graph = picture + ",".join(texts) + ",format=yuv420p[v]"
    ffmpeg.run(
        [
            *DECODE, "-i", video, "-i", clip, "-filter_complex", graph, "-map", "[v]", "-map", "1:a:0", "-c:a", "copy",
            "-t", f"{SECONDS:.3f}", *FINAL_X264, "-map_metadata", "-1", "-movflags", "+faststart", out,
        ]
    )  # fmt: skip


def moviepy_compose(video: Path, clip: Path, caption: Caption, gain_db: float, out: Path) -> None:
    """The same video composed by moviepy: our caption PNG over the video, the clip at the gain
    our measurement found, the same encoder settings."""
    from moviepy import AudioFileClip, CompositeVideoClip, ImageClip, VideoFileClip
    from moviepy.audio.fx import MultiplyVolume

    from content.media.loudness import MASTER_AAC
    from content.pipeline.render import FINAL_X264

    def setting(options: list[str], name: str) -> str:
        return options[options.index(name) + 1]

    base = VideoFileClip(str(video))
    text = ImageClip(str(caption.path)).with_position((caption.x, caption.y)).with_duration(SECONDS)
    sound = AudioFileClip(str(clip)).with_effects([MultiplyVolume(10 ** (gain_db / 20))])
    final = CompositeVideoClip([base, text]).with_audio(sound).with_duration(SECONDS)
    final.write_videofile(
        str(out),
        fps=30,
        codec="libx264",
        preset=setting(FINAL_X264, "-preset"),
        audio_codec="aac",
        audio_bitrate=setting(MASTER_AAC, "-b:a"),
        ffmpeg_params=["-crf", setting(FINAL_X264, "-crf"), "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
        logger=None,
    )
    base.close()
    sound.close()


def _child(arguments: list[str]):
    proc = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, env=os.environ)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", nargs="+", metavar="RUN_ID", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        django.setup()
        print(json.dumps(setup(args.runs)))
        return
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return

    # Making the assets takes a few hundred MB; it happens in its own process so that neither this
    # process nor the worker carries it (a child's ru_maxrss starts at its parent's RSS).
    load_before = os.getloadavg()[0]
    run_ids = _child(["--setup", "--runs", str(args.runs)])
    # (a) and (d): a separate process, so its peak memory is the worker's alone.
    work = _child(["--worker", *run_ids])
    django.setup()
    run_seconds = [run["seconds"] for run in work["runs"]]

    from content.media import ffmpeg
    from content.media.overlay import render_caption
    from content.media.loudness import TARGET_LUFS
    from content.pipeline.render import render

    video, clip, caption_text = Path(work["inputs"]["video"]), Path(work["inputs"]["clip"]), work["inputs"]["caption"]
    scratch = Path(tempfile.mkdtemp(prefix="render-bench-"))
    caption = render_caption(caption_text, width=720, height=1280, out=scratch / "caption.png")

    def ours() -> None:
        render(
            video=video, clip=clip, keep_video_audio=False, caption=caption_text,
            seconds=SECONDS, width=720, height=1280, out=scratch / "ours.mp4",
        )  # fmt: skip

    # (b) interleaved, so drift on the machine hits both alike.
    ours_times, plain_times = [], []
    for _ in range(args.rounds):
        ours_times.append(timed(ours))
        plain_times.append(timed(lambda: plain_ffmpeg(video, clip, caption, scratch / "plain.mp4")))
    ours_loud, plain_loud = ffmpeg.loudness(scratch / "ours.mp4"), ffmpeg.loudness(scratch / "plain.mp4")

    # (c)
    try:
        import moviepy  # noqa: F401
    except ImportError:
        moviepy_times = []
        print("moviepy is not installed: .venv/bin/pip install --no-deps -r bench/requirements.txt", file=sys.stderr)
    else:
        gain = TARGET_LUFS - ffmpeg.loudness(clip)["integrated"]
        moviepy_times = [
            timed(lambda: moviepy_compose(video, clip, caption, gain, scratch / "moviepy.mp4")) for _ in range(2)
        ]

    render_median, plain_median = statistics.median(ours_times), statistics.median(plain_times)
    ratio_plain = render_median / plain_median
    peak_mb = work["maxrss_self_mb"] + work["maxrss_children_mb"]
    steps = {name: statistics.median(run["steps"][name] for run in work["runs"]) for name in work["runs"][0]["steps"]}

    def verdict(ok: bool) -> str:
        return "(met)" if ok else "(MISSED)"

    rows = [
        "| measure | result | target |",
        "|---|---|---|",
        f"| whole local run, 8-s video (median of {len(run_seconds)}; min / max) | "
        f"{statistics.median(run_seconds):.2f} s ({min(run_seconds):.2f} / {max(run_seconds):.2f}) | "
        f"<= {TARGET_RUN_SECONDS:.0f} s {verdict(statistics.median(run_seconds) <= TARGET_RUN_SECONDS)} |",
        "| steps (median) | " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items()) + " | |",
        f"| CPU time of a whole run, worker + ffmpeg (median) | "
        f"{statistics.median(run['cpu'] for run in work['runs']):.2f} s on {os.cpu_count()} cores | |",
        f"| render step alone (median of {args.rounds}; min) | {render_median:.2f} s ({min(ours_times):.2f}) | |",
        f"| one plain ffmpeg command, same output (median; min) | {plain_median:.2f} s ({min(plain_times):.2f}) | |",
        f"| render / plain ffmpeg | {ratio_plain:.2f}x | "
        f"<= {TARGET_VS_PLAIN}x {verdict(ratio_plain <= TARGET_VS_PLAIN)} |",
        f"| loudness: render / plain | {ours_loud['integrated']:.1f} LUFS, "
        f"{ours_loud['true_peak']:.1f} dBTP / {plain_loud['integrated']:.1f} LUFS, "
        f"{plain_loud['true_peak']:.1f} dBTP | -14 LUFS, <= -1 dBTP |",
    ]
    if moviepy_times:
        speedup = min(moviepy_times) / render_median
        rows.append(
            f"| moviepy composing the same video (best of {len(moviepy_times)}) | {min(moviepy_times):.2f} s "
            f"(render is {speedup:.1f}x faster) | >= {TARGET_VS_MOVIEPY:.0f}x {verdict(speedup >= TARGET_VS_MOVIEPY)} |"
        )
    else:
        rows.append("| moviepy composing the same video | not installed | |")
    rows.append(
        f"| worker peak memory: process + largest ffmpeg child (upper bound) | {work['maxrss_self_mb']:.0f} MB + "
        f"{work['maxrss_children_mb']:.0f} MB = {peak_mb:.0f} MB | <= {TARGET_MEMORY_MB:.0f} MB "
        f"{verdict(peak_mb <= TARGET_MEMORY_MB)} |"
    )
    body = (
        "Command: `.venv/bin/python bench/render.py` (moviepy: `.venv/bin/pip install --no-deps -r "
        "bench/requirements.txt`). A throw-away VAR_DIR with SQLite; the `local` provider; template "
        f"`{TEMPLATE}`, short caption, no lipsync, no upscale. Whole runs go through "
        "`tasks.runner.execute_run` on real Run rows in a separate process (one warm-up run first); "
        "the render comparisons reuse the last run's video, clip and caption. The clip step has mastered "
        "the clip (-14 LUFS, AAC), so the render copies its audio, and so does the plain ffmpeg command, "
        "which draws the same caption lines with drawtext; moviepy composites the same caption PNG and "
        "re-encodes the clip at the measured gain (it cannot copy a stream). Peak memory is the worker process's own "
        "peak RSS (VmHWM) plus ru_maxrss of its largest ffmpeg child (children run one at a time, so "
        "the sum is an upper bound). Other work on the machine slows every row: the 1-minute load "
        f"average was {load_before:.2f} at the start and {os.getloadavg()[0]:.2f} at the end.\n\n" + "\n".join(rows)
    )
    print(body)
    from bench.report import write_section

    write_section("Render", body)
    shutil.rmtree(scratch, ignore_errors=True)
    if OWN_VAR_DIR:
        shutil.rmtree(os.environ["VAR_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
