"""The delivered soundtrack: -14 LUFS integrated, true peak <= -1 dBTP, 48 kHz AAC.

The clip step masters the song clip once, and the render copies it into the final video; the
render masters only a lipsync model's own soundtrack.

The loudness is measured in two passes: a single-pass normaliser must guess the loudness of
what it has not heard yet and misses the target on short clips. After encoding, the true
peak is checked, since the AAC encoder can overshoot on dense, clipped masters.
"""

from dataclasses import dataclass
from pathlib import Path

from content.media import ffmpeg

TARGET_LUFS = -14.0
MAX_TRUE_PEAK = -1.0
# The limiter acts on samples; inter-sample peaks and the AAC encoder add up to about 1 dB on
# top, so it holds samples 1 dB under the true peak the platforms allow.
CEILING_DB = -2.0
# Quieter than this is silence or noise, and turning it up further would only show the hiss.
MAX_GAIN_DB = 30.0
# How close the limited audio must come to the target before we stop re-measuring.
TOLERANCE_LU = 0.3
# At 192 kb/s ffmpeg's AAC encoder overshoots dense masters by 2 dB and more; at 256 by a few tenths.
MASTER_AAC = ["-c:a", "aac", "-b:a", "256k", "-ar", "48000"]


def master(source: Path, out: Path, *, seconds: float) -> None:
    """Writes the first `seconds` of `source`'s first audio stream to `out` (.m4a), at
    TARGET_LUFS with true peak <= MAX_TRUE_PEAK, padded with silence to `seconds`."""
    level = Level.measure(source)
    _encode(source, out, level, seconds)
    overshoot = ffmpeg.loudness(out)["true_peak"] - MAX_TRUE_PEAK
    if overshoot > 0:
        _encode(source, out, level.lowered(overshoot), seconds)


@dataclass(frozen=True)
class Level:
    """A gain, then a look-ahead limiter that holds the peaks a gain alone would push too high."""

    gain_db: float
    ceiling_db: float

    @classmethod
    def measure(cls, audio: Path) -> "Level":
        """The level that brings `audio` to TARGET_LUFS. Limiting lowers the loudness a little, so
        when the limiter has work to do the limited audio is measured again and the gain
        corrected (each pass reads 8 s of audio in ~0.07 s)."""
        measured = ffmpeg.loudness(audio)
        level = cls(_clamp(TARGET_LUFS - measured["integrated"]), CEILING_DB)
        if measured["true_peak"] + level.gain_db <= level.ceiling_db:
            return level
        for _ in range(3):
            error = TARGET_LUFS - ffmpeg.loudness(audio, filters=level.filters())["integrated"]
            if abs(error) <= TOLERANCE_LU:
                break
            level = cls(_clamp(level.gain_db + error), level.ceiling_db)
        return level

    def lowered(self, overshoot_db: float) -> "Level":
        """The same gain under a ceiling low enough to absorb what the encoder added on top."""
        return Level(self.gain_db, self.ceiling_db - overshoot_db - 0.5)

    def filters(self) -> str:
        limit = max(0.0625, 10 ** (self.ceiling_db / 20))
        return f"volume={self.gain_db:.2f}dB,alimiter=limit={limit:.4f}:attack=5:release=60:level=false:latency=true"


def _encode(source: Path, out: Path, level: Level, seconds: float) -> None:
    ffmpeg.run(
        [
            "-i", source, "-map", "0:a:0", "-filter:a", f"{level.filters()},apad", "-t", f"{seconds:.3f}",
            *MASTER_AAC, "-map_metadata", "-1", out,
        ]
    )  # fmt: skip


def _clamp(gain_db: float) -> float:
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain_db))
