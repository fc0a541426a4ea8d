"""
The comparison table: the questions people ask in rows, the treatments in
columns, each cell a short answer (comparisons/answers.py).

Built from treatments loaded with `Treatment.objects.for_comparison()`; it
runs no query of its own. Every compared treatment gets the same rows: a
question one source is silent on is still asked of it, and answered "not
stated in its source".

The groups are the things a person may say matter most to them
(`PRIORITIES`, the comparison's `matters` field): the chosen groups come
first, in the order chosen.
"""

from dataclasses import dataclass

from treatments.models import Milestone, SideEffect

from . import answers

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


@dataclass
class Row:
    label: str
    slug: str
    cells: list  # of answers.Answer, one per treatment
    kind: str = "answer"  # templates/comparisons/cells/<kind>.html

    @property
    def template(self):
        return f"comparisons/cells/{self.kind}.html"

    @property
    def keys(self):
        return [cell.key for cell in self.cells]

    @property
    def differs(self):
        """Whether the short answers differ: bruising that is common with
        both is the same, whatever the details say."""
        return len(set(self.keys)) > 1

    @property
    def anchor(self):
        return f"row-{self.slug}"


@dataclass
class Group:
    title: str
    slug: str
    rows: list
    chosen: bool = False  # the reader said this matters most to them

    @property
    def differs(self):
        return any(row.differs for row in self.rows)

    @property
    def priority(self):
        """The label of the priority this group answers, if any."""
        return dict(PRIORITIES).get(self.slug, "")


def row(label, slug, treatments, answer):
    return Row(label, slug, [answer(treatment) for treatment in treatments])


def build_groups(treatments, focus=None, area_tree=None, *, evidence=None, matters=()):
    """The rows of the comparison, grouped as a person asks; the groups
    named in `matters` first, in that order. `evidence` maps each
    treatment's pk to its `treatments.evidence.Evidence`."""
    procedure = answers.for_a_procedure
    groups = [
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
                row(
                    "Questions worth asking",
                    "questions",
                    treatments,
                    procedure(answers.questions),
                ),
            ],
        ),
        Group(
            "Evidence and review",
            "evidence",
            [
                *(
                    [
                        row(
                            "Evidence",
                            "evidence",
                            treatments,
                            answers.evidence(evidence),
                        )
                    ]
                    if evidence
                    else []
                ),
                row("Sources", "sources", treatments, answers.sources),
                row(
                    "Last reviewed",
                    "last-reviewed",
                    treatments,
                    answers.date("last_reviewed"),
                ),
                row(
                    "Next review due",
                    "next-review-due",
                    treatments,
                    answers.date("next_review_due"),
                ),
            ],
        ),
    ]
    return in_order_of(groups, matters)


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
    first; a treatment whose source does not mention it says so."""
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
