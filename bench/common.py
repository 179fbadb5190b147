"""Setup shared by the benchmarks that run against a real server on PostgreSQL and Redis."""

import os
import tempfile
from pathlib import Path

import psycopg


def postgres_and_redis_env(db_name: str, redis_db: int) -> None:
    """Points this process (and its children) at a bench database and Redis db, without limits."""
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{db_name}")
    os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{redis_db}")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="recoup-bench-"))
    # The limits protect a shared service; here they would only measure themselves.
    os.environ["API_RATE_LIMIT"] = os.environ["CREATE_RATE_LIMIT"] = "1000000/second"
    os.environ["MAX_RUNS_IN_FLIGHT"] = "1000000"


def fresh_database(url: str) -> None:
    """Each run starts from an empty database, so earlier runs never slow this one."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ready_artist(account_name: str) -> tuple[str, str]:
    """Migrates, then makes an account, a key and an artist with a face guide and a song. Returns (key, artist id)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from artists.models import FileKind
    from artists.services import artist_create, artist_file_add
    from content.media.synth import face_guide_png, song_wav
    from recoup.models import Account, api_key_create

    call_command("migrate", verbosity=0)
    account, _ = Account.objects.get_or_create(name=account_name)
    _, key = api_key_create(account=account)
    artist = artist_create(account=account, name=f"{account_name} artist")
    with tempfile.TemporaryDirectory() as folder:
        for kind, path in [
            (FileKind.FACE_GUIDE, face_guide_png(Path(folder) / "face.png")),
            (FileKind.SONG, song_wav(Path(folder) / "song.wav", seconds=20, chorus_start=8)),
        ]:
            artist_file_add(artist=artist, kind=kind, upload=SimpleUploadedFile(path.name, path.read_bytes()))
    return key, str(artist.pk)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
