"""
Key differences: a few short contrasts above the table, read from its rows
for any 2 to 4 treatments (never written for a pair).

Each contrast is a topic a person weighs ("Anaesthesia", "Time off") that
two or more of the sources answer, and answer differently, each treatment
named with its short answer, the same words the table shows. What only
some sources cover is said once, in a closing line, not as a difference:
a gap in one article is not a difference between the treatments. With
"what matters most" chosen, the reader's topics come first, with whatever
their sources say. 3 to 5 contrasts, about 120 words in all.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from core.text import and_list
from treatments.formatting import in_sentence, in_words

from .naming import called, names, whose

FEWEST, MOST = 3, 5
WORDS = 120  # about this many at most, the closing lines included

SIDE_EFFECTS = "effect-"  # every side-effect row's slug starts with it


@dataclass(frozen=True)
class Part:
    """One row a topic reads, and the words before its answer in a
    sentence ("exercise" + "After a couple of weeks")."""

    row: str
    lead: str = ""


@dataclass(frozen=True)
class Topic:
    label: str
    # What a silent source leaves out, after "X's source does not say".
    unsaid: str
    parts: tuple
    # The "what matters most" choice (table.PRIORITIES) it answers.
    priority: str = ""
    # Whether a baseline answers it; where it does not, the baseline's note
    # says once that it has no procedure (no sessions, no recovery, …).
    for_baseline: bool = False


TOPICS = (
    Topic(
        "Anaesthesia",
        "what anaesthetic",
        (Part("invasiveness"), Part("anaesthesia")),
        "pain",
    ),
    Topic("Sessions", "how many sessions", (Part("sessions"),), "sessions"),
    Topic(
        "Time off",
        "when daily life and exercise resume",
        (Part("daily-activities", "daily life"), Part("exercise", "exercise")),
        "downtime",
    ),
    Topic(
        "When results show",
        "when results show",
        (
            Part("first-results", "first results"),
            Part("progress", "still improving"),
            Part("final-result", "final result"),
        ),
        "lasting-results",
    ),
    Topic(
        "What results to expect",
        "what results to expect",
        (Part("effectiveness"),),
        "lasting-results",
        for_baseline=True,
    ),
    Topic("Side effects", "which side effects", (Part(SIDE_EFFECTS),), "side-effects"),
    Topic("How it feels", "how it feels", (Part("how-it-feels"),), "pain"),
    Topic(
        "How long results last",
        "how long results last",
        (Part("results-duration"), Part("maintenance", "maintenance:")),
        "lasting-results",
    ),
    Topic(
        "Who does it, and where",
        "who does it",
        (Part("performed-by"), Part("where")),
    ),
    Topic(
        "Before the first session",
        "what comes before the first session",
        (Part("before-first-session"),),
    ),
    Topic("Cautions", "what to watch out for", (Part("cautions"),)),
    Topic("Evidence", "how strong its evidence is", (Part("evidence"),), "evidence"),
)


class Standing(StrEnum):
    """How a topic stands across the treatments it applies to."""

    CONTRAST = "contrast"  # two or more sources answer, differently
    AGREEMENT = "agreement"  # two or more answer, alike
    ONE_SIDED = "one-sided"  # one answers
    UNANSWERED = "unanswered"


@dataclass
class Side:
    treatment: object
    text: str  # its answer, as it reads mid-sentence

    @property
    def name(self):
        return called(self.treatment)


@dataclass
class KeyDifference:
    topic: Topic
    standing: Standing
    anchor: str  # the row it links to
    sides: list = field(default_factory=list)  # of Side, those that answer
    silent: list = field(default_factory=list)  # treatments whose source does not say

    @property
    def label(self):
        return self.topic.label

    @property
    def agreement(self):
        """ "Low for both": what the sources agree on, in one go."""
        if self.standing is not Standing.AGREEMENT:
            return ""
        count = len(self.sides)
        among = "both" if count == 2 else f"all {in_words(count)}"
        text = self.sides[0].text
        return f"{text[:1].upper()}{text[1:]} for {among}."

    @property
    def unsaid(self):
        """ "Mesotherapy's source does not say.", for a reader's point."""
        if not self.silent:
            return ""
        sources = "sources do" if len(self.silent) > 1 else "source does"
        return f"{and_list(whose(t) for t in self.silent)} {sources} not say."

    @property
    def text(self):
        if self.agreement:
            return f"{self.label}: {self.agreement}"
        said = " ".join(f"{side.name}: {side.text}." for side in self.sides)
        return " ".join(part for part in (f"{self.label}:", said, self.unsaid) if part)


@dataclass
class KeyDifferences:
    items: list
    unsaid: str  # what only some sources cover, in one line
    baseline: str  # "Living with cellulite involves no procedure: …"

    # How many a narrow screen shows before the rest fold away.
    FIRST = 2

    def __bool__(self):
        return bool(self.items or self.unsaid)

    @property
    def first(self):
        return self.items[: self.FIRST]

    @property
    def rest(self):
        return self.items[self.FIRST :]

    @property
    def more(self):
        """What the folded part holds, for its summary: "2 more, and what
        the sources leave out"."""
        parts = [f"{len(self.rest)} more"] if self.rest else []
        if self.unsaid:
            parts.append("what the sources leave out")
        elif self.baseline:
            parts.append("what having no procedure means")
        if not parts:
            return ""
        text = ", and ".join(parts)
        return text[:1].upper() + text[1:]

    @property
    def lines(self):
        return [item.text for item in self.items] + [
            line for line in (self.unsaid, self.baseline) if line
        ]

    @property
    def words(self):
        return sum(len(line.split()) for line in self.lines)


def key_differences(table, matters=()):
    """The key differences between the treatments of `table`
    (comparisons/table.Table), the topics of `matters` first."""
    treatments = table.treatments
    found = [standing_of(topic, table, treatments) for topic in TOPICS]
    found = [item for item in found if item is not None]
    rank = {priority: index for index, priority in enumerate(matters)}
    chosen = sorted(
        (
            item
            for item in found
            if item.topic.priority in rank and item.standing is not Standing.UNANSWERED
        ),
        key=lambda item: rank[item.topic.priority],
    )
    contrasts = [
        item
        for item in found
        if item.standing is Standing.CONTRAST and item not in chosen
    ]
    agreements = [
        item
        for item in found
        if item.standing is Standing.AGREEMENT and item not in chosen
    ]
    baseline = baseline_note(treatments)
    picked = []
    for item in chosen + contrasts + agreements:
        if len(picked) >= MOST:
            break
        if item.standing is Standing.AGREEMENT and item not in chosen:
            if len(picked) >= FEWEST:
                break
        trial = KeyDifferences(
            [*picked, item], unsaid_line(found, [*picked, item], treatments), baseline
        )
        if len(picked) >= FEWEST and trial.words > WORDS:
            break
        picked.append(item)
    return KeyDifferences(picked, unsaid_line(found, picked, treatments), baseline)


def standing_of(topic, table, treatments):
    """How `topic` stands across `treatments`: who answers it, in what
    words; None where it applies to no treatment here (a baseline's
    procedure) or no row asks it."""
    rows = [
        (part, row)
        for part in topic.parts
        for row in table.rows.values()
        if row.slug == part.row
        or (part.row == SIDE_EFFECTS and row.slug.startswith(SIDE_EFFECTS))
    ]
    if not rows:
        return None
    applies = [
        index
        for index, treatment in enumerate(treatments)
        if (topic.for_baseline or not treatment.is_baseline)
        and not all(row.cells[index].not_applicable for _part, row in rows)
    ]
    if len(applies) < 2:
        return None
    # A row whose answers all agree adds nothing to a contrast; what side
    # effects each source lists is told whole.
    telling = [
        (part, row)
        for part, row in rows
        if part.row == SIDE_EFFECTS
        or len({row.cells[index].key for index in applies}) > 1
    ]
    sides, silent = [], []
    for index in applies:
        text = answer_of(telling or rows, index)
        if text:
            sides.append(Side(treatments[index], text))
        else:
            silent.append(treatments[index])
    if not sides:
        standing = Standing.UNANSWERED
    elif len(sides) == 1:
        standing = Standing.ONE_SIDED
    elif len({side.text.casefold() for side in sides}) == 1:
        standing = Standing.AGREEMENT
    else:
        standing = Standing.CONTRAST
    anchor = next(
        (row.anchor for _part, row in telling if row.verdict is not None),
        rows[0][1].anchor,
    )
    return KeyDifference(topic, standing, anchor, sides, silent)


def answer_of(rows, index):
    """One treatment's answer to a topic, from the rows' short answers, as
    it reads mid-sentence; "" where its source is silent on all of them."""
    stated = [
        (part, row, row.cells[index])
        for part, row in rows
        if not row.cells[index].silent and not row.cells[index].not_applicable
    ]
    if any(part.row == SIDE_EFFECTS for part, _row, _cell in stated):
        return side_effects_answer((row, cell) for _part, row, cell in stated)
    return "; ".join(
        f"{part.lead} {in_sentence(cell.text)}" if part.lead else in_sentence(cell.text)
        for part, _row, cell in stated
    )


def side_effects_answer(rows):
    """ "bruising and soreness common; itching and swelling less common":
    the side effects a source lists, by how common it says they are. A
    side-effect row's label is the effect's name."""
    by_answer = {}
    for row, cell in rows:
        by_answer.setdefault(in_sentence(cell.text), []).append(row.label.lower())
    return "; ".join(
        f"{and_list(effects)} {answer}" for answer, effects in by_answer.items()
    )


def unsaid_line(found, shown, treatments):
    """What each source leaves out that another covers, in one line:
    "Laser cellulite reduction's source does not say how many sessions or
    how it feels. Mesotherapy's does not say when daily life and exercise
    resume." Topics shown above with their silences are left out."""
    said_above = {id(item.topic) for item in shown if item.silent}
    gaps = {}
    for item in found:
        if item.standing is Standing.UNANSWERED or id(item.topic) in said_above:
            continue
        for treatment in item.silent:
            gaps.setdefault(treatment.pk, []).append(item.topic.unsaid)
    sentences = []
    for treatment in treatments:
        if treatment.pk in gaps:
            subject = (
                f"{whose(treatment)} source" if not sentences else whose(treatment)
            )
            sentences.append(
                f"{subject} does not say {and_list(gaps[treatment.pk], 'or')}."
            )
    return " ".join(sentences)


def baseline_note(treatments):
    """ "Living with cellulite involves no procedure: …", once, where a
    baseline is compared."""
    baselines = [t for t in treatments if t.is_baseline]
    if not baselines:
        return ""
    verb = "involves" if len(baselines) == 1 else "involve"
    return (
        f"{names(baselines)} {verb} no procedure: no sessions, anaesthetic, "
        "recovery or maintenance."
    )
