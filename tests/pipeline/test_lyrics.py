import pytest

from content.media.lyrics import transcript_from_lyrics, words_between

LRC = """[ar:Nova Vale]
[ti:Neon Hours]
[00:02.00] streetlights hum on the empty road
[00:06.50]i keep your jacket by the door
[00:10.00]
[00:12.00][00:20.00] turn it up till the night comes down
"""


def test_lrc_lines_keep_their_timestamps_and_spread_words_until_the_next_line():
    transcript = transcript_from_lyrics(LRC, 30.0)
    words = transcript["words"]
    assert [w["text"] for w in words[:6]] == ["streetlights", "hum", "on", "the", "empty", "road"]
    assert words[0]["start"] == 2.0 and words[5]["end"] <= 6.5
    keep = next(w for w in words if w["text"] == "keep")
    assert 6.5 < keep["start"] < 10.0
    assert all(w["start"] < w["end"] for w in words)
    assert [w["start"] for w in words] == sorted(w["start"] for w in words)


def test_lrc_metadata_is_not_sung_and_a_repeated_line_is_sung_at_each_stamp():
    transcript = transcript_from_lyrics(LRC, 30.0)
    assert "Nova" not in transcript["text"] and "Neon" not in transcript["text"]
    starts = [w["start"] for w in transcript["words"] if w["text"] == "turn"]
    assert starts == [12.0, 20.0]


def test_an_empty_stamp_ends_the_line_before_it():
    words = transcript_from_lyrics(LRC, 30.0)["words"]
    door = next(w for w in words if w["text"] == "door")
    assert door["end"] <= 10.0


def test_the_last_lrc_line_does_not_stretch_over_a_long_outro():
    words = transcript_from_lyrics("[00:05.00] one two three", 240.0)["words"]
    assert words[-1]["end"] < 10.0


def test_plain_lyrics_are_spread_evenly_over_the_song():
    transcript = transcript_from_lyrics("first line here\n\n[Chorus]\nsecond line\nthird line now\n", 30.0)
    assert transcript["text"] == "first line here second line third line now"
    starts = {w["text"]: w["start"] for w in transcript["words"]}
    assert starts["first"] == 0.0 and starts["second"] == pytest.approx(10.0) and starts["third"] == pytest.approx(20.0)
    assert transcript["words"][-1]["end"] <= 30.0


def test_no_lyrics_give_an_empty_transcript():
    assert transcript_from_lyrics("", 30.0) == {"text": "", "words": []}
    assert transcript_from_lyrics("  \n\n", 30.0) == {"text": "", "words": []}


def test_words_between_gives_the_clip_lyrics_a_line_a_phrase():
    transcript = transcript_from_lyrics(LRC, 30.0)
    assert words_between(transcript, 6.0, 20.0) == (
        "i keep your jacket by the door\nturn it up till the night comes down"
    )
    assert words_between(transcript, 0.0, 1.0) == ""
    assert words_between({"text": "", "words": []}, 0.0, 8.0) == ""
