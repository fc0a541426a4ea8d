"""
The comparison table: the questions people ask in rows, the treatments in
columns.

Built from treatments loaded with `Treatment.objects.for_comparison()`; it
runs no query of its own. Each row keeps, beside what it shows, a key per
treatment to decide whether the treatments differ on that row.
"""

from dataclasses import dataclass, field

from treatments.models import NOT_STATED_CHOICE, Milestone, SideEffect

FREQUENCY_RANK = {
    frequency: rank for rank, frequency in enumerate(SideEffect.Frequency)
}


@dataclass
class Row:
    label: str
    kind: str  # how its cells are shown: templates/comparisons/cells/<kind>.html
    cells: list
    keys: list = field(default_factory=list)

    @property
    def template(self):
        return f"comparisons/cells/{self.kind}.html"

    @property
    def differs(self):
        return len(set(self.keys or self.cells)) > 1


@dataclass
class Group:
    title: str
    slug: str
    rows: list

    @property
    def differs(self):
        return any(row.differs for row in self.rows)


@dataclass
class FocusAnswer:
    """Whether a treatment is used on the focus area, and how we know."""

    treats: bool
    text: str


def text_row(label, treatments, value):
    cells = [value(treatment) for treatment in treatments]
    return Row(label, "text", cells, [normalise(cell) for cell in cells])


def normalise(text):
    return " ".join(str(text or "").split()).casefold()


def choice_with_details(field, details):
    """A choice's label and its details ("Local anaesthetic. None is
    needed."); "" where the source is silent."""

    def value(treatment):
        if getattr(treatment, field) == NOT_STATED_CHOICE:
            return ""
        label = getattr(treatment, f"get_{field}_display")()
        text = getattr(treatment, details)
        return f"{label}. {text}" if text else label

    return value


def plan_of(treatment):
    return getattr(treatment, "session_plan", None)


def plan_text(summary, wording):
    def value(treatment):
        plan = plan_of(treatment)
        if plan is None or not getattr(plan, summary):
            return ""
        text = getattr(plan, summary)
        words = getattr(plan, wording)
        return f"{text} (the source: {words[:1].lower()}{words[1:]})" if words else text

    return value


def build_groups(treatments, focus=None, area_tree=None):
    """The rows of the comparison, grouped as a person asks."""
    groups = [
        Group(
            "What it is and how it works",
            "what",
            [
                text_row("What it is", treatments, lambda t: t.summary),
                text_row("How it works", treatments, lambda t: t.how_it_works),
                text_row(
                    "What happens during a session",
                    treatments,
                    lambda t: t.what_happens,
                ),
            ],
        ),
        Group(
            "How it is done",
            "how",
            [
                text_row(
                    "How invasive",
                    treatments,
                    lambda t: t.get_invasiveness_display(),
                ),
                text_row(
                    "Anaesthesia",
                    treatments,
                    choice_with_details("anaesthesia", "anaesthesia_details"),
                ),
                text_row("How it feels", treatments, lambda t: t.how_it_feels),
                text_row("Who performs it", treatments, lambda t: t.performed_by),
            ],
        ),
        Group("Body areas", "areas", area_rows(treatments, focus, area_tree)),
        Group(
            "Sessions",
            "sessions",
            [
                text_row(
                    "How many sessions",
                    treatments,
                    plan_text("sessions_summary", "sessions_wording"),
                ),
                text_row(
                    "How often",
                    treatments,
                    plan_text("interval_summary", "interval_wording"),
                ),
                text_row(
                    "When results usually show",
                    treatments,
                    plan_text("results_summary", "results_wording"),
                ),
            ],
        ),
        Group("Side effects", "side-effects", side_effect_rows(treatments)),
        Group(
            "Recovery and results",
            "recovery",
            [
                *milestone_rows(treatments),
                text_row(
                    "What results to expect", treatments, lambda t: t.effectiveness
                ),
                text_row(
                    "How long results last", treatments, lambda t: t.results_duration
                ),
                text_row(
                    "Maintenance",
                    treatments,
                    choice_with_details("maintenance", "maintenance_details"),
                ),
            ],
        ),
        Group(
            "Before you book",
            "booking",
            [
                text_row(
                    "Before the first session",
                    treatments,
                    lambda t: t.before_first_session,
                ),
                text_row(
                    "Where to have it done", treatments, lambda t: t.where_to_have_it
                ),
                text_row("Cautions", treatments, lambda t: t.cautions),
                list_row("Questions worth asking", treatments, lambda t: t.questions),
            ],
        ),
        Group(
            "Sources",
            "sources",
            [
                Row(
                    "Sources",
                    "sources",
                    [t.cited_sources() for t in treatments],
                    [tuple(s.pk for s in t.cited_sources()) for t in treatments],
                ),
                Row(
                    "Last reviewed",
                    "date",
                    [t.last_reviewed for t in treatments],
                ),
            ],
        ),
    ]
    return groups


def list_row(label, treatments, items):
    cells = [list(items(treatment)) for treatment in treatments]
    return Row(label, "list", cells, [tuple(map(normalise, cell)) for cell in cells])


def area_rows(treatments, focus, area_tree):
    names = [
        [treated.body_area.name for treated in treatment.treated_areas.all()]
        for treatment in treatments
    ]
    rows = [
        Row(
            "Body areas it is used on",
            "areas",
            [
                "Does not apply: not a treatment"
                if treatment.is_baseline
                else ", ".join(area_names)
                for treatment, area_names in zip(treatments, names, strict=True)
            ],
            [tuple(sorted(area_names)) for area_names in names],
        )
    ]
    if focus is not None:
        answers = [focus_answer(t, focus, area_tree) for t in treatments]
        rows.insert(
            0,
            Row(
                f"Used on the {focus.name.lower()}?",
                "focus",
                answers,
                [answer.text for answer in answers],
            ),
        )
    return rows


def focus_answer(treatment, focus, area_tree):
    """Whether `treatment` is used on `focus`, counting larger and smaller
    areas: "legs" include the thighs; "thighs" are part of the legs."""
    name = focus.name.lower()
    if treatment.is_baseline:
        return FocusAnswer(False, "Does not apply: not a treatment")
    areas = {
        treated.body_area_id: treated.body_area
        for treated in treatment.treated_areas.all()
    }
    if focus.pk in areas:
        return FocusAnswer(True, f"Yes: its source names the {name}")
    for ancestor in area_tree.ancestors(focus):
        if ancestor.pk in areas:
            return FocusAnswer(
                True,
                f"Yes: its source names the {ancestor.name.lower()}, "
                f"which include the {name}",
            )
    inner = [
        areas[area_id].name.lower()
        for area_id in sorted(area_tree.descendant_ids([focus.pk]) - {focus.pk})
        if area_id in areas
    ]
    if inner:
        return FocusAnswer(
            True,
            f"Partly: its source names the {' and the '.join(inner)}, "
            f"part of the {name}",
        )
    return FocusAnswer(False, f"No: its source does not name the {name}")


def side_effect_rows(treatments):
    """One row for each effect any compared treatment has, most common first."""
    by_treatment = [
        {side_effect.effect_id: side_effect for side_effect in t.side_effects.all()}
        for t in treatments
    ]
    effects = {}
    for side_effects in by_treatment:
        for side_effect in side_effects.values():
            effects.setdefault(side_effect.effect_id, side_effect.effect)

    def commonest(effect_id):
        ranks = [
            FREQUENCY_RANK[side_effects[effect_id].frequency]
            for side_effects in by_treatment
            if effect_id in side_effects
        ]
        return (min(ranks), effects[effect_id].name)

    rows = []
    for effect_id in sorted(effects, key=commonest):
        cells = [side_effects.get(effect_id) for side_effects in by_treatment]
        keys = [None if cell is None else (cell.frequency, cell.site) for cell in cells]
        rows.append(Row(effects[effect_id].name, "side-effect", cells, keys))
    return rows


def milestone_rows(treatments):
    """The four questions everyone asks, then any other milestone kind."""
    kinds = list(Milestone.KEY_KINDS)
    for treatment in treatments:
        for milestone in treatment.milestones.all():
            if milestone.kind not in kinds:
                kinds.append(milestone.kind)
    rows = []
    for kind in kinds:
        cells = [
            MilestoneCell(
                [m for m in treatment.milestones.all() if m.kind == kind],
                baseline=treatment.is_baseline,
            )
            for treatment in treatments
        ]
        rows.append(
            Row(Milestone.Kind(kind).label, "milestone", cells, [c.key for c in cells])
        )
    return rows


@dataclass
class MilestoneCell:
    milestones: list
    baseline: bool = False

    @property
    def key(self):
        if not self.milestones:
            return "baseline" if self.baseline else None
        return tuple((m.days_min, m.days_max) for m in self.milestones)
