import numpy as np
import pytest

from content.media import ffmpeg
from content.media.audio import cut_clip, energy_label, envelope, loudest_window
from content.media.synth import song_wav


@pytest.mark.parametrize("chorus_start", [2.0, 9.5, 15.0])
def test_it_picks_the_loud_chorus_of_a_song_that_is_quiet_elsewhere(tmp_path, chorus_start):
    song = song_wav(tmp_path / "song.wav", seconds=24, chorus_start=chorus_start, chorus_seconds=8, seed=5)
    start = loudest_window(song, 8.0)
    assert 0.0 <= start <= 24 - 8
    # The window is the chorus, give or take one analysis block.
    assert abs(start - chorus_start) <= 0.1


def test_a_song_shorter_than_the_clip_starts_at_zero(tmp_path):
    song = song_wav(tmp_path / "short.wav", seconds=4, chorus_start=1, chorus_seconds=2)
    assert loudest_window(song, 8.0) == 0.0


def test_the_cut_clip_is_stereo_441_khz_aac_of_the_asked_length_with_soft_edges(tmp_path):
    song = song_wav(tmp_path / "song.wav", seconds=12, chorus_start=3, chorus_seconds=8)
    clip = tmp_path / "clip.m4a"
    cut_clip(song, start=3.0, seconds=8.0, out=clip)
    facts = ffmpeg.probe(clip)
    assert (facts.audio_codec, facts.sample_rate) == ("aac", 44100)
    assert facts.duration == pytest.approx(8.0, abs=0.06)
    samples = ffmpeg.decode_pcm(clip, rate=44100)
    # The chorus starts loud, but the fade in means the first samples are near silence.
    assert np.abs(samples[:40]).max() < 0.05 < np.abs(samples[4410:8820]).max()


def test_a_clip_running_past_the_song_end_is_padded_with_silence(tmp_path):
    song = song_wav(tmp_path / "song.wav", seconds=6, chorus_start=0, chorus_seconds=6)
    clip = tmp_path / "clip.wav"
    cut_clip(song, start=2.0, seconds=8.0, out=clip)
    assert ffmpeg.probe(clip).duration == pytest.approx(8.0, abs=0.02)
    samples = ffmpeg.decode_pcm(clip, rate=8000)
    assert np.abs(samples[-8000:]).max() == 0.0


def test_the_envelope_follows_loudness(tmp_path):
    song = song_wav(tmp_path / "song.wav", seconds=8, chorus_start=4, chorus_seconds=4)
    values = envelope(song, fps=30, seconds=8.0)
    assert values.shape == (240,)
    assert values.min() >= 0.0 and values.max() == pytest.approx(1.0)
    quiet, loud = values[15:105], values[135:225]
    assert loud.mean() > 4 * quiet.mean()


def test_the_envelope_is_zero_past_the_end_of_the_audio(tmp_path):
    song = song_wav(tmp_path / "song.wav", seconds=2, chorus_start=0, chorus_seconds=2)
    values = envelope(song, fps=25, seconds=4.0)
    assert len(values) == 100 and values[70:].max() == 0.0


def test_a_loud_chorus_and_a_soft_verse_get_different_moods(tmp_path):
    song = song_wav(tmp_path / "song.wav", seconds=16, chorus_start=8, chorus_seconds=8)
    verse, chorus = tmp_path / "verse.wav", tmp_path / "chorus.wav"
    cut_clip(song, start=0.0, seconds=8.0, out=verse)
    cut_clip(song, start=8.0, seconds=8.0, out=chorus)
    assert energy_label(chorus) in {"euphoric", "driving"}
    assert energy_label(verse) in {"hazy", "brooding"}
