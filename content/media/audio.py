"""Audio analysis and cutting for the clip and lipsync steps, on top of content.media.ffmpeg."""

from pathlib import Path

import numpy as np

from content.media import ffmpeg

# Hook finding and envelopes only need the level, not the highs: decoding at a low
# rate keeps a whole song in a few MB and the analysis in milliseconds.
_ANALYSIS_RATE = 8000
_BLOCK_SECONDS = 0.05
_FADE_SECONDS = 0.05
# Below this the clip is effectively silent: log10 of zero would poison the maths.
_FLOOR = 1e-10


def loudest_window(song: Path, clip_seconds: float) -> float:
    """Start (seconds) of the `clip_seconds` window with the highest mean loudness."""
    samples = ffmpeg.decode_pcm(song, rate=_ANALYSIS_RATE).astype(np.float64)
    block = int(_ANALYSIS_RATE * _BLOCK_SECONDS)
    blocks = len(samples) // block
    window = max(1, round(clip_seconds / _BLOCK_SECONDS))
    if blocks < window:
        return 0.0
    energy = (samples[: blocks * block] ** 2).reshape(blocks, block).sum(axis=1)
    summed = np.concatenate([[0.0], np.cumsum(energy)])
    window_energy = summed[window:] - summed[:-window]
    loudness_db = 10 * np.log10(window_energy / (window * block) + _FLOOR)
    return round(float(np.argmax(loudness_db)) * _BLOCK_SECONDS, 3)


def cut_clip(song: Path, *, start: float, seconds: float, out: Path) -> None:
    """Cuts `seconds` from `start` to 44.1 kHz stereo AAC (.m4a) or PCM (.wav), faded at both ends
    so the cut never clicks, and padded with silence if the song ends first."""
    duration = ffmpeg.probe(song).duration
    available = seconds if duration is None else max(0.0, min(seconds, duration - start))
    fade = min(_FADE_SECONDS, available / 2)
    filters = [
        f"afade=t=in:st=0:d={fade:.3f}",
        f"afade=t=out:st={max(0.0, available - fade):.3f}:d={fade:.3f}",
        f"apad=whole_dur={seconds:.3f}",
    ]
    codec = ["-c:a", "pcm_s16le"] if out.suffix.lower() == ".wav" else ["-c:a", "aac", "-b:a", "192k"]
    ffmpeg.run(
        [
            "-ss", f"{start:.3f}", "-i", song, "-t", f"{seconds:.3f}",
            "-vn", "-map_metadata", "-1", "-af", ",".join(filters),
            "-ar", "44100", "-ac", "2", *codec, out,
        ]
    )  # fmt: skip


def envelope(audio: Path, *, fps: int, seconds: float) -> np.ndarray:
    """Amplitude per video frame, 0..1 relative to the loudest frame, smoothed over a few
    frames so motion driven by it does not flicker. Frames past the audio's end are 0."""
    frames = round(fps * seconds)
    if frames <= 0:
        return np.zeros(0)
    samples = ffmpeg.decode_pcm(audio, rate=_ANALYSIS_RATE, seconds=seconds).astype(np.float64)
    edges = np.minimum(np.round(np.arange(frames + 1) * _ANALYSIS_RATE / fps).astype(int), len(samples))
    summed = np.concatenate([[0.0], np.cumsum(samples**2)])
    counts = np.diff(edges)
    power = np.divide(summed[edges[1:]] - summed[edges[:-1]], counts, out=np.zeros(frames), where=counts > 0)
    kernel = np.hanning(7)[1:-1]
    # "full" then centred, because "same" returns the kernel's length for very short clips.
    half = len(kernel) // 2
    smooth = np.convolve(np.sqrt(power), kernel / kernel.sum())[half : half + frames]
    peak = smooth.max()
    return smooth / peak if peak > 0 else np.zeros(frames)


# (loudness floor in dBFS RMS, brightness floor as spectral centroid in Hz, word); the
# first row a clip reaches wins. Mastered choruses sit around -10 dBFS RMS, soft verses
# below -25; hats, cymbals and vocals push the centroid of a mix above ~1.7 kHz.
_MOODS = [
    (-16.0, 1700.0, "euphoric"),
    (-16.0, 0.0, "driving"),
    (-26.0, 1700.0, "dreamy"),
    (-26.0, 0.0, "restless"),
    (-60.0, 1700.0, "hazy"),
    (-60.0, 0.0, "brooding"),
]
_BRIGHTNESS_RATE = 22050
_FFT = 2048


def energy_label(audio: Path) -> str:
    """A one-word mood for a clip, from how loud and how bright it sounds."""
    samples = ffmpeg.decode_pcm(audio, rate=_BRIGHTNESS_RATE).astype(np.float64)
    level_db = 10 * np.log10(np.mean(samples**2) + _FLOOR) if len(samples) else -120.0
    if level_db < _MOODS[-1][0]:
        return "hushed"
    frames = len(samples) // _FFT
    if frames:
        spectrum = np.abs(np.fft.rfft(samples[: frames * _FFT].reshape(frames, _FFT), axis=1)).mean(axis=0)
        freqs = np.fft.rfftfreq(_FFT, 1 / _BRIGHTNESS_RATE)
        centroid = float((spectrum * freqs).sum() / (spectrum.sum() + _FLOOR))
    else:
        centroid = 0.0
    return next(word for floor_db, floor_hz, word in _MOODS if level_db >= floor_db and centroid >= floor_hz)
