from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify

from artists.models import Artist, ArtistAccess, ArtistFile, FileKind
from artists.validation import inspect_upload
from recoup.models import Account


@transaction.atomic
def artist_create(*, account: Account, name: str) -> Artist:
    artist = Artist.objects.create(name=name)
    ArtistAccess.objects.create(artist=artist, account=account)
    return artist


def artist_file_add(
    *, artist: Artist, kind: str, upload: UploadedFile, title: str = "", lyrics: str = ""
) -> ArtistFile:
    """Validates the upload (raises FileRejected) and stores it; a new face guide replaces the old one."""
    facts = inspect_upload(kind, upload)
    title = title or _title_from_name(upload.name or kind)
    with transaction.atomic():
        replaced = list(artist.files.filter(kind=FileKind.FACE_GUIDE)) if kind == FileKind.FACE_GUIDE else []
        record = ArtistFile(
            artist=artist,
            kind=kind,
            title=title,
            slug=_unique_slug(artist, kind, title),
            content_type=facts.content_type,
            size=facts.size,
            checksum=facts.checksum,
            width=facts.width,
            height=facts.height,
            duration_seconds=facts.duration_seconds,
            lyrics=lyrics,
        )
        record.file.save(upload.name or kind, upload, save=False)
        record.save()
        for old in replaced:
            old.delete()
            # Runs that already picked the old file keep their own copies of the outputs.
            transaction.on_commit(lambda name=old.file.name: old.file.storage.delete(name))
    return record


def _title_from_name(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("_", " ").replace("-", " ").strip()[:200] or "untitled"


def _unique_slug(artist: Artist, kind: str, title: str) -> str:
    base = slugify(title)[:180] or kind.replace("_", "-")
    taken = set(artist.files.filter(kind=kind, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
