"""
The comparison table: the questions people ask in rows, the treatments in
columns, each cell a short answer (comparisons/answers.py).

Built from treatments loaded with `Treatment.objects.for_comparison()`; it
runs no query of its own. Every compared treatment gets the same rows: a
question one source is silent on is still asked of it, and answered
`NOT_STATED`.

Each row says how its answers compare (`Verdict`): the same, different
(both sources answer, differently), or answered by only one source, named.
A gap in one source is not a difference between the treatments. On a
phone two columns stand side by side, and the row's badge speaks of those
two.

The groups are the things a person may say matter most to them
(`PRIORITIES`, the comparison's `matters` field): the chosen groups come
first, in the order chosen.
"""

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from core.text import and_list
from treatments.models import Milestone, SideEffect

from . import answers
from .naming import names, whose

# What a reader can say matters most to them: (value in the URL, label).
PRIORITIES = [
    ("downtime", "Time off: getting back to daily life and exercise"),
    ("sessions", "How many sessions"),
    ("side-effects", "Side effects"),
    ("pain", "Pain and anaesthesia"),
    ("lasting-results", "Results, and how long they last"),
    ("evidence", "How strong the evidence is"),
]

FREQUENCY_RANK = {
    frequency: rank for rank, frequency in enumerate(SideEffect.Frequency)
}


class Agreement(StrEnum):
    """How the answers in a row compare."""

    SAME = "same"
    DIFFERS = "differs"  # every source answers, and not all alike
    ONE_SIDED = "one-sided"  # some sources answer, others are silent
    NONE = "none"  # no source answers


class Show(StrEnum):
    """Which rows the table shows: every row, the real differences, or what
    only some sources answer."""

    ALL = "all"
    DIFFERENCES = "differences"
    ONE_SIDED = "gaps"

    def shows(self, verdict):
        if self is Show.ALL:
            return True
        if verdict is None:  # a row that is not compared (the questions)
            return False
        if self is Show.DIFFERENCES:
            return verdict.agreement is Agreement.DIFFERS
        return verdict.agreement is Agreement.ONE_SIDED


@dataclass(frozen=True)
class Verdict:
    """How a row's answers compare, and in words, for its badge."""

    agreement: Agreement
    saying: tuple = ()  # the treatments whose sources answer, if not all do
    among: int = 2  # how many treatments it speaks of

    @property
    def label(self):
        if self.agreement is Agreement.SAME:
            return "Same"
        if self.agreement is Agreement.DIFFERS:
            return "Differs"
        if self.agreement is Agreement.NONE:
            return "Neither source says" if self.among == 2 else "No source says"
        plural = len(self.saying) > 1
        whose_sources = and_list(whose(t) for t in self.saying)
        return f"Only {whose_sources} source{'s say' if plural else ' says'}"

    @property
    def short_label(self):
        """For a narrow screen, where the two answers side by side show
        which source is silent: "Only one source says"."""
        if self.agreement is not Agreement.ONE_SIDED:
            return self.label
        if len(self.saying) == 1:
            return "Only one source says"
        return "Only some sources say"


def verdict(cells):
    """The verdict on `cells`: an answer that does not apply (a baseline has
    no procedure) is an answer; a silence is not."""
    answering = [cell for cell in cells if not cell.silent]
    if not answering:
        return Verdict(Agreement.NONE, among=len(cells))
    alike = len({cell.key for cell in answering}) == 1
    if len(answering) < len(cells):
        if alike or len(answering) == 1:
            return Verdict(
                Agreement.ONE_SIDED,
                tuple(cell.treatment for cell in answering),
                among=len(cells),
            )
        # Those that answer differ: a real difference, beside the silence.
        return Verdict(Agreement.DIFFERS, among=len(cells))
    return Verdict(Agreement.SAME if alike else Agreement.DIFFERS, among=len(cells))


class Role(StrEnum):
    """Where a column stands on a narrow screen: the pair side by side, the
    others set aside (a link swaps them in)."""

    LEFT = "left"
    RIGHT = "right"
    ASIDE = "aside"


@dataclass
class Column:
    treatment: object
    role: Role


@dataclass
class Row:
    label: str
    slug: str
    cells: list  # of answers.Answer, one per treatment
    kind: str = "answer"  # or "questions" (comparisons/templatetags/comparing.py)
    compared: bool = True  # whether its answers are weighed against each other
    pair: tuple = (0, 1)  # the columns side by side on a narrow screen

    @property
    def anchor(self):
        return f"row-{self.slug}"

    @cached_property
    def verdict(self):
        return verdict(self.cells) if self.compared else None

    @cached_property
    def pair_verdict(self):
        """The verdict on the two columns a narrow screen shows: with three
        or four treatments, both may say "Common" while a third differs."""
        if not self.compared:
            return None
        if len(self.cells) < 3:
            return self.verdict
        return verdict([self.cells[index] for index in self.pair])

    def shown(self, show):
        return show.shows(self.verdict)


@dataclass
class Group:
    title: str
    slug: str
    rows: list
    chosen: bool = False  # the reader said this matters most to them

    @property
    def headed(self):
        """Whether it needs a heading of its own: a group of one row (How
        many sessions, Evidence) is said by its row, unless the reader put
        it first."""
        return self.chosen or len(self.rows) > 1

    @property
    def priority(self):
        """The label of the priority this group answers, if any."""
        return dict(PRIORITIES).get(self.slug, "")

    def shown(self, show):
        return any(row.shown(show) for row in self.rows)


@dataclass
class Table:
    groups: list
    columns: list  # of Column
    show: Show = Show.ALL
    treatments: list = field(default_factory=list)

    @property
    def caption(self):
        return f"{names(self.treatments)}, question by question"

    @cached_property
    def rows(self):
        """{slug: Row}, every row of every group."""
        return {row.slug: row for group in self.groups for row in group.rows}

    @cached_property
    def counts(self):
        """How many compared rows have each agreement."""
        return Counter(
            row.verdict.agreement for row in self.rows.values() if row.compared
        )

    @property
    def compared(self):
        return sum(self.counts.values())

    def shown_count(self, show):
        return sum(row.shown(show) for row in self.rows.values())

    # How to read it, in words built from the counts.

    @property
    def answered(self):
        """How many questions the sources answer alike, differently or not
        all: "Both sources answer 9 of these 27 questions: 3 alike, 6
        differently. Only one answers the other 18: a gap in the other
        source, not a difference between the treatments." """
        same, differs = self.counts[Agreement.SAME], self.counts[Agreement.DIFFERS]
        one_sided, none = self.counts[Agreement.ONE_SIDED], self.counts[Agreement.NONE]
        two = len(self.treatments) == 2
        if two:
            text = (
                f"Both sources answer {same + differs} of these {self.compared} "
                f"questions: {same} alike, {differs} differently."
            )
        else:
            text = (
                f"Of these {self.compared} questions, the answers are alike in "
                f"{same} and differ in {differs}."
            )
        if one_sided:
            text += (
                f" Only one answers the other {one_sided}"
                if two
                else f" Only some of the sources answer {one_sided}"
            )
            text += (
                ": a gap in the other source, not a difference between the treatments."
                if self.sources_differ
                else "."
            )
        if none:
            text += f" {'Neither' if two else 'None'} answers {none}."
        return text

    @property
    def sources_differ(self):
        """Whether the treatments are described by different sources."""
        return len({t.source_id for t in self.treatments if not t.is_baseline}) > 1

    @property
    def showing_now(self):
        return self.showing[self.show]

    @cached_property
    def showing(self):
        """{Show: what the table shows then, in words}."""
        total = len(self.rows)
        some = "one source answers" if len(self.treatments) == 2 else "some answer"
        words = {
            Show.ALL: "",
            Show.DIFFERENCES: "Showing the {} whose answers differ; {} hidden.",
            Show.ONE_SIDED: f"Showing the {{}} only {some}; {{}} hidden.",
        }
        return {
            show: text.format(
                questions(self.shown_count(show)),
                f"{total - self.shown_count(show)} others are",
            )
            if text
            else ""
            for show, text in words.items()
        }

    def without(self, slugs):
        """The table without the rows `slugs` (and any group left empty)."""
        groups = []
        for group in self.groups:
            rows = [row for row in group.rows if row.slug not in slugs]
            if rows:
                groups.append(Group(group.title, group.slug, rows, group.chosen))
        return Table(groups, self.columns, self.show, self.treatments)


def questions(count):
    return f"{count} question{'' if count == 1 else 's'}"


def columns_for(treatments, pair):
    """Each treatment's column, with the `pair` (two of them) side by side on
    a narrow screen, in that order."""
    roles = {pair[0].pk: Role.LEFT, pair[-1].pk: Role.RIGHT}
    return [Column(t, roles.get(t.pk, Role.ASIDE)) for t in treatments]


def row(label, slug, treatments, answer, **options):
    return Row(label, slug, [answer(treatment) for treatment in treatments], **options)


def build_table(
    treatments,
    *,
    pair,
    focus=None,
    area_tree=None,
    evidence=None,
    matters=(),
    show=Show.ALL,
):
    """The comparison of `treatments`, with `pair` side by side on a narrow
    screen; the groups named in `matters` first. `evidence` maps each
    treatment's pk to its `treatments.evidence.Evidence`."""
    groups = build_groups(treatments, focus, area_tree, evidence=evidence)
    columns = columns_for(treatments, pair)
    indexes = tuple(treatments.index(t) for t in pair)
    for group in groups:
        for each in group.rows:
            each.pair = indexes
    return Table(in_order_of(groups, matters), columns, show, list(treatments))


def build_groups(treatments, focus=None, area_tree=None, *, evidence=None):
    """The rows of the comparison, grouped as a person asks."""
    procedure = answers.for_a_procedure
    return [
        Group(
            "What it is",
            "what",
            [
                row("What it is", "what-it-is", treatments, answers.what_it_is),
                row(
                    "How invasive",
                    "invasiveness",
                    treatments,
                    procedure(answers.choice("invasiveness")),
                ),
            ],
        ),
        Group(
            "Sessions",
            "sessions",
            [row("How many, how often", "sessions", treatments, answers.sessions)],
        ),
        Group(
            "Pain and anaesthesia",
            "pain",
            [
                row(
                    "Anaesthesia",
                    "anaesthesia",
                    treatments,
                    procedure(answers.choice("anaesthesia", "anaesthesia_details")),
                ),
                row(
                    "How it feels",
                    "how-it-feels",
                    treatments,
                    procedure(answers.prose("how_it_feels")),
                ),
            ],
        ),
        Group(
            "Time off",
            "downtime",
            [
                milestone_row(treatments, kind)
                for kind in (Milestone.Kind.DAILY_ACTIVITIES, Milestone.Kind.EXERCISE)
            ],
        ),
        Group(
            "Results, and how long they last",
            "lasting-results",
            [
                *[milestone_row(treatments, kind) for kind in result_kinds(treatments)],
                row(
                    "What results to expect",
                    "effectiveness",
                    treatments,
                    answers.prose("effectiveness"),
                ),
                row(
                    "How long results last",
                    "results-duration",
                    treatments,
                    procedure(answers.prose("results_duration")),
                ),
                row(
                    "Maintenance",
                    "maintenance",
                    treatments,
                    procedure(answers.choice("maintenance", "maintenance_details")),
                ),
            ],
        ),
        Group("Side effects", "side-effects", side_effect_rows(treatments)),
        Group("Body areas", "areas", area_rows(treatments, focus, area_tree)),
        Group(
            "Before you book",
            "booking",
            [
                row(
                    "Before the first session",
                    "before-first-session",
                    treatments,
                    procedure(answers.prose("before_first_session")),
                ),
                row(
                    "Who performs it",
                    "performed-by",
                    treatments,
                    procedure(answers.prose("performed_by")),
                ),
                row(
                    "Where to have it done",
                    "where",
                    treatments,
                    procedure(answers.prose("where_to_have_it")),
                ),
                row(
                    "Cautions",
                    "cautions",
                    treatments,
                    procedure(answers.prose("cautions")),
                ),
                # Questions to take to an appointment, not answers to weigh.
                row(
                    "Questions to ask",
                    "questions",
                    treatments,
                    procedure(answers.questions),
                    kind="questions",
                    compared=False,
                ),
            ],
        ),
        *(
            [
                Group(
                    "Evidence",
                    "evidence",
                    [
                        row(
                            "Evidence",
                            "evidence",
                            treatments,
                            answers.evidence(evidence),
                        )
                    ],
                )
            ]
            if evidence
            else []
        ),
    ]


def in_order_of(groups, matters):
    """The groups named in `matters` first, in that order; then the rest as
    they were."""
    rank = {slug: index for index, slug in enumerate(matters)}
    for group in groups:
        group.chosen = group.slug in rank
    return sorted(groups, key=lambda group: rank.get(group.slug, len(rank)))


def result_kinds(treatments):
    """First and final results always; any other milestone a treatment has
    (such as "still improving") after them."""
    kinds = [Milestone.Kind.FIRST_RESULTS, Milestone.Kind.FINAL_RESULT]
    taken = {*kinds, Milestone.Kind.DAILY_ACTIVITIES, Milestone.Kind.EXERCISE}
    for treatment in treatments:
        for milestone in treatment.milestones.all():
            if milestone.kind not in taken:
                kinds.append(milestone.kind)
                taken.add(milestone.kind)
    return kinds


def milestone_row(treatments, kind):
    label = Milestone.Kind(kind).label
    return row(label, kind, treatments, answers.milestones(kind))


def area_rows(treatments, focus, area_tree):
    rows = [row("Body areas it is used on", "body-areas", treatments, answers.areas)]
    if focus is not None:
        rows.insert(
            0,
            row(
                f"Used on the {focus.name.lower()}?",
                "focus",
                treatments,
                answers.focus(area_tree, focus),
            ),
        )
    return rows


def side_effect_rows(treatments):
    """One row for each effect any compared treatment has, most common
    first; a treatment whose source does not mention it is silent."""
    effects = {}
    for treatment in treatments:
        for side_effect in treatment.side_effects.all():
            rank = FREQUENCY_RANK[side_effect.frequency]
            effect, best = effects.get(
                side_effect.effect_id, (side_effect.effect, rank)
            )
            effects[side_effect.effect_id] = (effect, min(best, rank))
    ordered = sorted(effects.items(), key=lambda item: (item[1][1], item[1][0].name))
    return [
        row(effect.name, f"effect-{effect.slug}", treatments, answers.side_effect(pk))
        for pk, (effect, _rank) in ordered
    ]
