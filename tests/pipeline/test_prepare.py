import pytest

from artists.models import FileKind
from artists.services import artist_file_add
from content.pipeline import prepare
from tests.conftest import upload
from tests.pipeline.conftest import TEMPLATE

pytestmark = pytest.mark.django_db


@pytest.fixture
def artist_with_songs(artist, assets):
    for title in ("Paper Town", "Kitchen Floor"):
        artist_file_add(artist=artist, kind=FileKind.SONG, upload=upload(assets["song"]), title=title)
    return artist


def test_it_makes_the_same_choices_for_the_same_seed(artist_with_songs, make_context):
    first = prepare.run(make_context(artist_with_songs, seed=11)).output
    again = prepare.run(make_context(artist_with_songs, seed=11)).output
    assert first == again
    assert first["reference_image"] in TEMPLATE["reference_images"]
    assert first["mood"] in TEMPLATE["moods"] and first["movement"] in TEMPLATE["movements"]
    assert first["artist_image"] is None


def test_different_seeds_make_different_choices(artist_with_songs, make_context):
    outputs = [prepare.run(make_context(artist_with_songs, seed=seed)).output for seed in range(12)]
    assert len({o["song_id"] for o in outputs}) == 3
    assert len({(o["mood"], o["movement"], o["reference_image"]) for o in outputs}) > 3


def test_it_only_picks_songs_from_the_songs_restriction_by_id_or_slug(artist_with_songs, make_context):
    songs = {f.slug: str(f.id) for f in artist_with_songs.files.filter(kind=FileKind.SONG)}
    for seed in range(8):
        by_slug = prepare.run(make_context(artist_with_songs, seed=seed, songs=["paper-town"])).output
        assert by_slug["song_id"] == songs["paper-town"]
        allowed = [songs["kitchen-floor"], "paper-town"]
        either = prepare.run(make_context(artist_with_songs, seed=seed, songs=allowed)).output
        assert either["song_id"] in {songs["kitchen-floor"], songs["paper-town"]}


def test_restricting_songs_does_not_change_the_other_choices(artist_with_songs, make_context):
    free = prepare.run(make_context(artist_with_songs, seed=5)).output
    narrowed = prepare.run(make_context(artist_with_songs, seed=5, songs=["kitchen-floor"])).output
    assert {k: v for k, v in free.items() if k != "song_id"} == {k: v for k, v in narrowed.items() if k != "song_id"}


def test_a_restriction_matching_none_of_the_artists_songs_fails_with_a_clear_message(artist, make_context):
    with pytest.raises(ValueError, match="none of the requested songs"):
        prepare.run(make_context(artist, songs=["not-a-song"]))


def test_a_template_that_uses_an_artist_image_gets_one(artist, assets, make_context):
    image = artist_file_add(artist=artist, kind=FileKind.IMAGE, upload=upload(assets["face"]), title="Album art")
    template = {**TEMPLATE, "uses_artist_image": True}
    assert prepare.run(make_context(artist, template=template)).output["artist_image"] == image.file.name


def test_a_song_id_matches_whatever_its_case(artist_with_songs, make_context):
    song = artist_with_songs.files.get(kind=FileKind.SONG, slug="paper-town")
    output = prepare.run(make_context(artist_with_songs, songs=[str(song.id).upper()])).output
    assert output["song_id"] == str(song.id)
