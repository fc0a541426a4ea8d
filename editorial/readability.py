"""
How easy a text is to read: its reading age, by one formula.

The formula is Flesch-Kincaid's grade level (textstat), from the words per
sentence and the syllables per word, as a US school grade; a reading age is
that grade plus five years. The NHS writes for a reading age of 9 to 11, up
to 14 where medical detail cannot be simplified, in sentences of at most
about 20 words; decision aids aim at 10 to 12. So:

- TARGET_AGE: what a text should read at (11: a US grade of 6).
- CEILING_AGE: what no text should read above (14: grade 9).
- LONGEST_SENTENCE: the most words a sentence should hold (25).

A text of fewer than MIN_WORDS words is not measured: the formula says
little about a few words ("Usually a doctor"). Each line of a list is a
sentence of its own, whether or not it ends with a full stop.
"""

import re
import statistics
from dataclasses import dataclass

import textstat

TARGET_AGE = 11
CEILING_AGE = 14
LONGEST_SENTENCE = 25
MIN_WORDS = 8
# A US school grade is a reading age less five years.
GRADE_TO_AGE = 5

WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
# The end of a sentence: ., ! or ? before a space or the end, or a line.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+|\n+")


def sentences(text):
    """The sentences of `text`, each line of a list one at least."""
    return [part.strip() for part in SENTENCE_END.split(text or "") if part.strip()]


def words(text):
    return WORD.findall(text or "")


@dataclass(frozen=True)
class Reading:
    """What the formula makes of one text."""

    grade: float
    words: int
    longest: int  # words in its longest sentence
    hardest: str  # that sentence

    @property
    def age(self):
        """The reading age, in years, to one decimal place."""
        return round(self.grade + GRADE_TO_AGE, 1)

    @property
    def on_target(self):
        return self.age <= TARGET_AGE and self.longest <= LONGEST_SENTENCE

    @property
    def too_hard(self):
        return self.age > CEILING_AGE or self.longest > LONGEST_SENTENCE

    def advice(self):
        """In plain words, for the editor who wrote it."""
        said = f"Reading age about {self.age:.0f}"
        if self.on_target:
            return f"{said}: easy to read (the aim is {TARGET_AGE} or under)."
        hints = []
        if self.age > TARGET_AGE:
            hints.append(
                f"aim for {TARGET_AGE} or under: use shorter words and sentences"
            )
        if self.longest > LONGEST_SENTENCE:
            hints.append(
                f"split the sentence of {self.longest} words (“{clip(self.hardest)}”) "
                f"into sentences of {LONGEST_SENTENCE} words or fewer"
            )
        return f"{said}: {'; '.join(hints)}."


def measure(text):
    """The Reading of `text`, or None if it has fewer than MIN_WORDS words."""
    parts = sentences(text)
    counted = sum(len(words(part)) for part in parts)
    if counted < MIN_WORDS:
        return None
    # Each sentence ended by a full stop, so the formula counts them as
    # this module does (a line of a list is a sentence).
    joined = " ".join(part if part[-1] in ".!?" else f"{part}." for part in parts)
    longest = max(parts, key=lambda part: len(words(part)))
    return Reading(
        grade=float(textstat.flesch_kincaid_grade(joined)),
        words=counted,
        longest=len(words(longest)),
        hardest=longest,
    )


def warm():
    """Load what the formula counts syllables with: textstat's pronouncing
    dictionary (cmudict), which it otherwise loads on its first text. That
    takes about a second and 75 MB in some 260,000 objects, so a server
    loads it once, before its workers fork, where they share it
    (config/wsgi.py; gunicorn.conf.py freezes it out of the collector's
    way) rather than each worker on its first page."""
    textstat.flesch_kincaid_grade("A word.")


def median_age(readings):
    """The median reading age of these readings (None for none)."""
    ages = [reading.age for reading in readings if reading is not None]
    return round(statistics.median(ages), 1) if ages else None


def clip(text, length=60):
    """The start of `text`, cut at a word, for a hint."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"
