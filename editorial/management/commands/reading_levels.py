"""
How hard the public texts are to read, in figures: every text of public
prose (the registry, editorial/prose.py) that the public can read, of
MIN_WORDS words or more, measured by editorial/readability.py.

    manage.py reading_levels           # the figures
    manage.py reading_levels --texts   # and every text, hardest first

It prints the median reading age, how many texts read above CEILING_AGE,
how many sentences have more than LONGEST_SENTENCE words, the longest
sentence and the hardest text; the same figures the test of the seeded content checks
(tests/editorial/test_seeded_reading.py).
"""

from dataclasses import dataclass

from django.core.management.base import BaseCommand

from editorial import prose, readability


@dataclass(frozen=True)
class Measured:
    record: object
    field: str
    text: str
    reading: readability.Reading

    @property
    def name(self):
        model = type(self.record)
        return (
            f"{model._meta.verbose_name} “{self.record}”: "
            f"{prose.label(model, self.field).lower()}"
        )


def measured_texts():
    """Measured, of every public text long enough to measure."""
    found = []
    for record, field, text in prose.public_texts():
        reading = readability.measure(text)
        if reading is not None:
            found.append(Measured(record, field, text, reading))
    return found


class Command(BaseCommand):
    help = (
        "Print the reading ages of the public texts: their median, how many "
        "are too hard, and the longest sentence."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--texts",
            action="store_true",
            help="List every text measured, hardest first.",
        )

    def handle(self, *args, texts=False, **options):
        found = measured_texts()
        if not found:
            self.stdout.write("No public text is long enough to measure.")
            return
        median = readability.median_age(m.reading for m in found)
        above = [m for m in found if m.reading.age > readability.CEILING_AGE]
        long = [
            sentence
            for m in found
            for sentence in readability.sentences(m.text)
            if len(readability.words(sentence)) > readability.LONGEST_SENTENCE
        ]
        longest = max(found, key=lambda m: m.reading.longest)
        hardest = max(found, key=lambda m: m.reading.age)
        write = self.stdout.write
        write(f"Public texts of {readability.MIN_WORDS} words or more: {len(found)}.")
        write(
            f"Median reading age: {median} (the target: "
            f"{readability.TARGET_AGE} or under)."
        )
        write(f"Above {readability.CEILING_AGE}: {len(above)}.")
        write(
            f"Sentences of more than {readability.LONGEST_SENTENCE} words: {len(long)}."
        )
        write(
            f"Longest sentence: {longest.reading.longest} words, in "
            f"{longest.name} (“{readability.clip(longest.reading.hardest)}”)."
        )
        write(f"Hardest text: reading age {hardest.reading.age}, {hardest.name}.")
        if texts:
            write("")
            for m in sorted(found, key=lambda m: -m.reading.age):
                write(
                    f"{m.reading.age:5.1f} {m.reading.longest:3d} words  "
                    f"{m.name}: {readability.clip(m.text, 70)}"
                )
