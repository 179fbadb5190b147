"""Transcripts with word timings from lyrics the artist uploaded (plain text or LRC).

The shape is the one fal-ai/whisper gives, so the steps after transcribe need not
know which provider made it: {"text": str, "words": [{"text", "start", "end"}]}.
"""

import re

_TIMESTAMP = re.compile(r"\[(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)\]")
# Enhanced LRC puts per-word stamps inside the line; we spread words ourselves.
_WORD_STAMP = re.compile(r"<\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?>")
# Metadata ([ar:...], [length:...]) and section headers ([Chorus], (Verse 2)) are not sung.
_TAG_LINE = re.compile(r"^\s*(\[[^\]]*\]|\([^)]*\))\s*$")
# A sung word rarely lasts longer; beyond it the gap before the next line is instrumental.
_MAX_WORD_SECONDS = 1.2
# Used when the song's length is unknown.
_DEFAULT_WORD_SECONDS = 0.5
# Singers breathe between lines, and whisper's word timings show it: a silence this long
# between two words ends a phrase, which is how clip lyrics keep their line breaks.
_PHRASE_GAP = 0.2
_BREATH = 0.25


def transcript_from_lyrics(lyrics: str, song_seconds: float) -> dict:
    """Word timings for lyrics: LRC lines keep their timestamps, plain lines are spread over the song."""
    timed: list[tuple[float, str]] = []
    plain: list[str] = []
    for raw in lyrics.splitlines():
        stamps = list(_TIMESTAMP.finditer(raw))
        if stamps and raw.strip().startswith("["):
            text = _clean(_TIMESTAMP.sub("", raw))
            # One line may carry several stamps when a chorus repeats.
            timed += [(_seconds(stamp), text) for stamp in stamps]
        elif not _TAG_LINE.match(raw) and (text := _clean(raw)):
            plain.append(text)
    if timed:
        return _from_timed(sorted(timed, key=lambda item: item[0]), song_seconds)
    return _from_plain(plain, song_seconds)


def words_between(transcript: dict, start: float, end: float) -> str:
    """The words sung in [start, end), a phrase a line: a word belongs where its middle falls."""
    lines: list[list[str]] = []
    previous_end: float | None = None
    for word in transcript.get("words", []):
        if not start <= (word["start"] + word["end"]) / 2 < end:
            continue
        if previous_end is None or word["start"] - previous_end >= _PHRASE_GAP:
            lines.append([])
        lines[-1].append(word["text"])
        previous_end = word["end"]
    return "\n".join(" ".join(line) for line in lines)


def _seconds(stamp: re.Match) -> float:
    return int(stamp[1]) * 60 + float(stamp[2].replace(":", "."))


def _clean(text: str) -> str:
    return " ".join(_WORD_STAMP.sub("", text).split())


def _from_timed(lines: list[tuple[float, str]], song_seconds: float) -> dict:
    words: list[dict] = []
    sung: list[str] = []
    for index, (start, text) in enumerate(lines):
        tokens = text.split()
        if not tokens or (song_seconds > 0 and start >= song_seconds):
            continue
        following = lines[index + 1][0] if index + 1 < len(lines) else None
        end = start + len(tokens) * _MAX_WORD_SECONDS
        if following is not None:
            end = min(end, following)
        if song_seconds > 0:
            end = min(end, song_seconds)
        sung.append(text)
        words += _spread(tokens, start, end)
    return {"text": " ".join(sung), "words": words}


def _from_plain(lines: list[str], song_seconds: float) -> dict:
    if not lines:
        return {"text": "", "words": []}
    total = song_seconds if song_seconds > 0 else sum(len(line.split()) for line in lines) * _DEFAULT_WORD_SECONDS
    slot = total / len(lines)
    words: list[dict] = []
    for index, line in enumerate(lines):
        words += _spread(line.split(), index * slot, (index + 1) * slot)
    return {"text": " ".join(lines), "words": words}


def _spread(tokens: list[str], start: float, end: float) -> list[dict]:
    """Words evenly over [start, end), ending a breath early when the line has time for one."""
    end -= min(_BREATH, max(end - start, 0.0) * 0.2)
    step = max(end - start, 0.0) / len(tokens)
    return [
        {"text": token, "start": round(start + i * step, 3), "end": round(start + (i + 1) * step, 3)}
        for i, token in enumerate(tokens)
    ]
