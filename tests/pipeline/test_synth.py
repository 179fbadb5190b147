import wave

import numpy as np
from PIL import Image

from content.media import ffmpeg
from content.media.synth import face_guide_png, song_lyrics_lrc, song_wav


def _level_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(samples.astype(np.float64) ** 2)))


def test_the_song_is_quiet_in_the_verse_and_much_louder_in_the_chorus(tmp_path):
    song = song_wav(tmp_path / "song.wav", seconds=20, chorus_start=8, chorus_seconds=6, seed=3)
    with wave.open(str(song)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, 44100)
        assert wav.getnframes() == 20 * 44100
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    # Loud, but not clipped.
    assert np.count_nonzero(np.abs(frames.astype(np.int32)) >= 32767) == 0
    samples = ffmpeg.decode_pcm(song, rate=8000)
    verse, chorus = samples[1 * 8000 : 7 * 8000], samples[9 * 8000 : 13 * 8000]
    assert 15 <= _level_db(chorus) - _level_db(verse) <= 22


def test_the_same_seed_makes_the_same_song_and_another_seed_another(tmp_path):
    first = song_wav(tmp_path / "a.wav", seconds=6, chorus_start=2, chorus_seconds=2, seed=1).read_bytes()
    again = song_wav(tmp_path / "b.wav", seconds=6, chorus_start=2, chorus_seconds=2, seed=1).read_bytes()
    other = song_wav(tmp_path / "c.wav", seconds=6, chorus_start=2, chorus_seconds=2, seed=2).read_bytes()
    assert first == again != other


def test_the_face_guide_is_a_deterministic_portrait_png(tmp_path):
    first = face_guide_png(tmp_path / "a.png", seed=4, size=(384, 512))
    again = face_guide_png(tmp_path / "b.png", seed=4, size=(384, 512))
    with Image.open(first) as image:
        assert (image.format, image.size) == ("PNG", (384, 512))
        # Not a flat fill: a face and a backdrop.
        assert len(image.getcolors(1 << 20) or []) > 50
    assert first.read_bytes() == again.read_bytes()


def test_the_lyrics_put_the_chorus_lines_inside_the_chorus():
    lrc = song_lyrics_lrc(30, 14, 8)
    stamps = [line[1:9] for line in lrc.splitlines()]
    chorus = [s for s in stamps if "00:14.00" <= s < "00:22.00"]
    assert len(chorus) == 4 and stamps[0] == "00:01.00"
