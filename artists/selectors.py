from django.db.models import QuerySet

from artists.models import Artist, ArtistFile, FileKind
from recoup.models import Account


def artists_for(account: Account) -> QuerySet[Artist]:
    return Artist.objects.filter(access__account=account).prefetch_related("files")


def artist_get(*, account: Account, artist_id) -> Artist | None:
    """The artist if this account may use it, else None (callers answer 404 either way)."""
    try:
        return artists_for(account).get(pk=artist_id)
    except Artist.DoesNotExist:
        return None


def artist_missing(artist: Artist, *, uses_face_guide: bool = True) -> list[str]:
    """Kinds of required files the artist lacks, in the order SPEC names them."""
    kinds = {f.kind for f in artist.files.all()}
    missing = []
    if uses_face_guide and FileKind.FACE_GUIDE not in kinds:
        missing.append(FileKind.FACE_GUIDE.value)
    if FileKind.SONG not in kinds:
        missing.append("songs")
    return missing


def artist_songs_matching(artist: Artist, wanted: list[str]) -> tuple[list[ArtistFile], list[str]]:
    """The artist's songs named by id or slug, and the names that matched none."""
    songs = [f for f in artist.files.all() if f.kind == FileKind.SONG]
    found, unknown = [], []
    for name in wanted:
        match = next((s for s in songs if str(s.id) == name or s.slug == name), None)
        (found.append(match) if match else unknown.append(name))
    return found, unknown
