"""Captions composed offline from a template's caption guide, the clip's lyrics and the mood.

The guide's examples carry the template's voice: we reuse their lines and sentences,
splice in a fragment of the lyrics heard in the clip and a phrase for the mood, and
follow the examples' casing and punctuation. Units are added whole while they fit,
so a caption is never cut mid-phrase unless a single unit exceeds the limit.
"""

import random
import re

# Used when an operator's template leaves a length out of its guide.
_DEFAULT_MAX_CHARS = {"short": 80, "medium": 180, "long": 420}
_FALLBACK_EXAMPLES = {
    "short": ["new one out now", "this one stays on repeat"],
    "medium": ["Made this one for the late nights. Turn it up."],
    "long": [
        "Some songs arrive all at once and some take their time. This one sat with us for months "
        "before it felt finished. Play it loud, play it twice, tell us what you hear."
    ],
}
# Our own phrasings around the mood word; the voice comes from the examples around them.
_MOOD_PHRASES = [
    "{mood} hours",
    "feeling {mood} tonight",
    "a little {mood}",
    "{mood} on repeat",
    "something {mood} about it",
    "{mood} and not sorry",
    "stay {mood}",
]
_MOOD_SENTENCES = [
    "it feels {mood} from the first second",
    "the whole thing runs {mood}",
    "everything went a bit {mood} after that",
    "{mood} is the only word for it",
    "we kept it {mood} on purpose",
]
_PLACEHOLDER = re.compile(r"\{(lyric|mood|artist|title)\}")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_ENDS_SENTENCE = re.compile(r"[.!?…]['\"”’)]*$")
# Lyrics keep their apostrophes; other punctuation would start stray sentences.
_LYRIC_JUNK = re.compile(r"[^\w\s'’-]")
# A fragment cut from a longer line should not stop on a word that leads somewhere.
_DANGLING = frozenset(
    "a an the and or but of to in on at for with from by my your our their his her its we you i "
    "they he she it's is are was were be been like as so if when while till until".split()
)


def compose_caption(
    *,
    template: dict,
    length: str,
    mood: str,
    clip_lyrics: str,
    song_title: str,
    artist_name: str,
    seed: int,
) -> str:
    """A caption within the guide's max_chars for `length` ("short", "medium" or "long")."""
    guide = template.get("caption_guide") or {}
    limit = _max_chars(guide, length)
    examples = _examples(guide, length)
    voice = _Voice.of(examples)
    fill = {
        "mood": _mood_word(mood),
        "artist": artist_name.strip(),
        "title": song_title.strip(),
    }
    rng = random.Random(f"{template.get('id', '')}|{length}|{seed}")
    lyric_lines = [words for line in clip_lyrics.splitlines() if (words := _LYRIC_JUNK.sub(" ", line).split())]
    parts = _Parts(rng=rng, examples=examples, formats=guide.get("formats") or [], lines=lyric_lines, fill=fill)
    if length == "short":
        units, separator = parts.short(), "\n"
    elif length == "medium":
        units, separator = parts.medium(), " "
    else:
        units, separator = parts.long(), " "
    text = _assemble([voice.style(unit) for unit in units if unit.strip()], separator, limit, voice, length)
    return text or _trim(voice.style(parts.example_line()), limit)


def _max_chars(guide: dict, length: str) -> int:
    value = (guide.get("max_chars") or {}).get(length)
    return value if isinstance(value, int) and value > 0 else _DEFAULT_MAX_CHARS[length]


def _examples(guide: dict, length: str) -> list[str]:
    by_length = guide.get("examples") or {}
    own = [e for e in by_length.get(length) or [] if isinstance(e, str) and e.strip()]
    if own:
        return own
    # Another length's examples still carry the template's voice.
    others = [e for values in by_length.values() for e in values or [] if isinstance(e, str) and e.strip()]
    return others or _FALLBACK_EXAMPLES[length]


def _mood_word(mood: str) -> str:
    # Template moods may be phrases ("late-night, blue"): the first clause reads best in a caption.
    return re.split(r"[,;/]", mood.strip())[0].strip().lower() or "restless"


class _Voice:
    """How the template's examples write: all lowercase or sentence case, final stop or none."""

    def __init__(self, *, lowercase: bool, full_stop: bool):
        self.lowercase = lowercase
        self.full_stop = full_stop

    @classmethod
    def of(cls, examples: list[str]) -> "_Voice":
        ends = [bool(_ENDS_SENTENCE.search(example.strip())) for example in examples]
        return cls(
            lowercase=all(example == example.lower() for example in examples),
            full_stop=sum(ends) * 2 > len(ends),
        )

    def style(self, unit: str) -> str:
        unit = " ".join(unit.split())
        if self.lowercase:
            return unit.lower()
        unit = re.sub(r"\bi\b", "I", unit)
        return re.sub(r"^([“\"']?)(\w)", lambda match: match[1] + match[2].upper(), unit)

    def close(self, sentence: str, *, last: bool) -> str:
        if _ENDS_SENTENCE.search(sentence) or (last and not self.full_stop):
            return sentence
        # A quoted lyric takes its full stop inside the quotes.
        if sentence.endswith("”"):
            return sentence[:-1] + ".”"
        return sentence + "."


class _Parts:
    """The pieces a caption is built from, all drawn from one seeded random generator."""

    def __init__(self, *, rng: random.Random, examples: list[str], formats: list, lines: list[list[str]], fill: dict):
        self.rng = rng
        self.examples = examples
        self.lines = lines
        self.fill = fill
        self.formats = [f for f in formats if isinstance(f, str) and _PLACEHOLDER.search(f)]

    def example_line(self) -> str:
        """A whole line of an example: short examples stand on their own."""
        return self._render(self.rng.choice([line for e in self.examples for line in e.splitlines() if line.strip()]))

    def example_opener(self) -> str:
        """An example's first sentence: later ones lean on what came before."""
        return self._render(_split_units(self.rng.choice(self.examples))[0])

    def fragment(self, low: int, high: int) -> str:
        """A sung phrase of low..high words that starts where a line does: a whole line
        where one fits, else its head, never stopping on a word that leads somewhere."""
        if not self.lines:
            return ""
        index = self.rng.randrange(len(self.lines))
        words = self.lines[index][:]
        # Lines cut by the clip's edges are often a word or two: borrow the next line.
        while len(words) < low and index + 1 < len(self.lines):
            index += 1
            words += self.lines[index]
        if len(words) <= high:
            return " ".join(words)
        head = words[: self.rng.randint(low, high)]
        while len(head) > 1 and head[-1].lower() in _DANGLING:
            head.pop()
        return " ".join(head)

    def mood(self, phrases: list[str]) -> str:
        return self.rng.choice(phrases).format(mood=self.fill["mood"])

    def short(self) -> list[str]:
        lyric = self.fragment(3, 9)
        shapes = [
            lambda: [lyric, self.example_line()],
            lambda: [self.example_line(), lyric],
            lambda: [lyric],
            lambda: [self.mood(_MOOD_PHRASES), lyric],
            lambda: [lyric, self.mood(_MOOD_PHRASES)],
            lambda: [self.example_line(), self.mood(_MOOD_PHRASES)],
        ]
        if not lyric:
            shapes = [shapes[5], lambda: [self.mood(_MOOD_PHRASES), self.example_line()], lambda: [self.example_line()]]
        shapes += [lambda f=f: [self._render(f, lyric=lyric)] for f in self.formats if lyric or "{lyric}" not in f]
        return self.rng.choice(shapes)()

    def medium(self) -> list[str]:
        lyric = self._quoted(self.fragment(4, 12))
        shapes = [
            lambda: [self.example_opener(), lyric],
            lambda: [lyric, self.example_opener()],
            lambda: [lyric, self.mood(_MOOD_SENTENCES)],
            lambda: [self.example_opener(), self.mood(_MOOD_SENTENCES)],
        ]
        if not lyric:
            shapes = [shapes[3], lambda: [self.mood(_MOOD_SENTENCES), self.example_opener()]]
        return self.rng.choice(shapes)()

    def long(self) -> list[str]:
        """Stream of consciousness: one example's train of thought in its own order, then
        the others', interrupted early on by a line of the song and the mood."""
        first = self.rng.randrange(len(self.examples))
        order = [first] + [i for i in range(len(self.examples)) if i != first]
        thoughts = [self._render(unit) for i in order for unit in _split_units(self.examples[i])]
        for aside in (self._quoted(self.fragment(4, 12)), self.mood(_MOOD_SENTENCES)):
            if aside:
                thoughts.insert(self.rng.randint(1, min(len(thoughts), 4)), aside)
        return thoughts

    def _quoted(self, fragment: str) -> str:
        if not fragment or self.rng.random() < 0.5:
            return fragment
        return f"“{fragment}”"

    def _render(self, text: str, *, lyric: str | None = None) -> str:
        values = {**self.fill, "lyric": lyric if lyric is not None else self.fragment(3, 6)}
        return _PLACEHOLDER.sub(lambda match: values[match[1]], text)


def _split_units(example: str) -> list[str]:
    return [unit.strip() for line in example.splitlines() for unit in _SENTENCE_END.split(line) if unit.strip()]


def _assemble(units: list[str], separator: str, limit: int, voice: _Voice, length: str) -> str:
    """Joins whole units while they fit; short stays within two lines, medium within two sentences."""
    most = {"short": 2, "medium": 2}.get(length, len(units))
    kept: list[str] = []
    for unit in units:
        if len(kept) == most:
            break
        candidate = _join([*kept, unit], separator, voice)
        if len(candidate) <= limit:
            kept.append(unit)
        elif not kept:
            # A single unit longer than the limit: better a trimmed line than nothing.
            return _trim(_join([unit], separator, voice), limit)
    return _join(kept, separator, voice)


def _join(units: list[str], separator: str, voice: _Voice) -> str:
    if separator == "\n":
        return separator.join(units)
    last = len(units) - 1
    return separator.join(voice.close(unit, last=i == last) for i, unit in enumerate(units))


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    trimmed = (cut[:space] if space > 0 else text[:limit]).rstrip(" ,;:-\n")
    return trimmed or text[:limit]
