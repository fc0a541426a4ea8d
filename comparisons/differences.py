"""
Key differences: a few plain sentences above the table, built from the
treatments' structured facts for any 2 to 4 of them (never written for a
pair).

One sentence per topic a person weighs (sessions, anaesthesia and how
invasive, back to daily life, back to exercise, results, side effects only
one source lists, maintenance), for the topics whose short answers differ
in the table; each names every compared treatment's value, or that its
source does not say, and links to its row.
"""

from dataclasses import dataclass

from treatments.formatting import and_list, in_words, interval_short
from treatments.models import NOT_STATED_CHOICE, Milestone, SessionPlan, Treatment

FEWEST, MOST = 3, 7

NOT_STATED = "is not stated in its source"

ANAESTHESIA = {
    Treatment.Anaesthesia.NONE: "with no anaesthetic",
    Treatment.Anaesthesia.OPTIONAL_TOPICAL: "with no anaesthetic needed, though "
    "some people use numbing cream",
    Treatment.Anaesthesia.TOPICAL: "with numbing cream",
    Treatment.Anaesthesia.LOCAL: "under local anaesthetic",
    Treatment.Anaesthesia.SEDATION: "under sedation",
    Treatment.Anaesthesia.GENERAL: "under general anaesthetic",
}


@dataclass
class KeyDifference:
    label: str  # the link's words: the row it points to
    anchor: str  # the row's id
    text: str


def called(treatment):
    """A treatment's name as it reads in a sentence. A baseline's name is
    "No treatment: diet and exercise alone": the part before the colon."""
    if treatment.is_baseline:
        return treatment.name.split(":", 1)[0]
    return treatment.name


def lower_first(text):
    return text[:1].lower() + text[1:]


def sentence(clauses):
    """Clauses as one sentence: what sources state first, then their
    silences. What does not apply (a baseline has no procedure) is said
    once, under the list: see `baseline_note()`."""
    order = {"stated": 0, "silent": 1}
    clauses = [clause for clause in clauses if clause[0] in order]
    text = "; ".join(
        text for _status, text in sorted(clauses, key=lambda c: order[c[0]])
    )
    return text[:1].upper() + text[1:] + "."


def sessions(treatment):
    name = called(treatment)
    plan = getattr(treatment, "session_plan", None)
    kind = plan.kind if plan is not None else NOT_STATED_CHOICE
    if treatment.is_baseline or kind == SessionPlan.Kind.NONE:
        return "n/a", f"{name} involves no sessions"
    if kind == SessionPlan.Kind.SINGLE:
        return "stated", f"{name} is a single procedure"
    if kind != SessionPlan.Kind.COURSE:
        return "silent", f"for {name}, the number of sessions {NOT_STATED}"
    low, high, typical = plan.sessions_min, plan.sessions_max, plan.sessions_typical
    if low is not None and high is not None:
        count = f"{in_words(low)} to {in_words(high)} sessions"
    elif high is not None:
        count = f"up to {in_words(high)} sessions"
    else:
        count = ""
    if typical is not None:
        typical_words = in_words(typical)
        count = (
            f"{count}, typically {typical_words}"
            if count
            else f"about {typical_words} sessions"
        )
    interval = lower_first(plan.interval_wording) or interval_short(plan)
    how_often = f", {interval}" if interval else f" (how often {NOT_STATED})"
    return "stated", f"{name} takes {count}{how_often}"


def anaesthesia(treatment):
    name = called(treatment)
    if treatment.is_baseline:
        return "n/a", f"{name} involves no procedure"
    invasive = treatment.get_invasiveness_display().lower()
    phrase = ANAESTHESIA.get(treatment.anaesthesia)
    if phrase is None:
        return "silent", (
            f"{name} is {invasive}; whether it needs an anaesthetic {NOT_STATED}"
        )
    return "stated", f"{name} is {invasive}, {phrase}"


def milestone_clause(kind, stated, silent):
    """`stated` and `silent` are formats with {name} and, for `stated`,
    {when}: the milestone's plain words ("after a couple of days")."""

    def clause(treatment):
        name = called(treatment)
        if treatment.is_baseline:
            return "n/a", f"{name} involves no procedure"
        found = [m for m in treatment.milestones.all() if m.kind == kind]
        if found:
            when = " or ".join(lower_first(m.wording) for m in found)
            return "stated", stated.format(name=name, when=when)
        if kind == Milestone.Kind.FIRST_RESULTS:
            plan = getattr(treatment, "session_plan", None)
            if plan is not None and plan.results_summary:
                when = lower_first(plan.results_summary)
                return "stated", stated.format(name=name, when=when)
        return "silent", silent.format(name=name)

    return clause


daily_life = milestone_clause(
    Milestone.Kind.DAILY_ACTIVITIES,
    "with {name}, daily life resumes {when}",
    f"for {{name}}, when daily life resumes {NOT_STATED}",
)
exercise = milestone_clause(
    Milestone.Kind.EXERCISE,
    "with {name}, exercise resumes {when}",
    f"for {{name}}, when exercise resumes {NOT_STATED}",
)
final_result = milestone_clause(
    Milestone.Kind.FINAL_RESULT,
    "{name}'s final result comes {when}",
    f"for {{name}}, when the final result comes {NOT_STATED}",
)
first_results = milestone_clause(
    Milestone.Kind.FIRST_RESULTS,
    "{name}'s first results show {when}",
    f"for {{name}}, when first results show {NOT_STATED}",
)


def maintenance(treatment):
    name = called(treatment)
    if treatment.is_baseline:
        return "n/a", f"{name} involves no procedure"
    if treatment.maintenance == NOT_STATED_CHOICE:
        return "silent", f"for {name}, whether maintenance is needed {NOT_STATED}"
    label = treatment.get_maintenance_display().lower()
    return "stated", f"for {name}, maintenance is {label}"


# The topics, in order: (the link's words, [(the rows it speaks of, clause)]).
TOPICS = [
    ("Sessions", [(["sessions"], sessions)]),
    ("Anaesthesia and how invasive", [(["invasiveness", "anaesthesia"], anaesthesia)]),
    ("Back to daily life", [([Milestone.Kind.DAILY_ACTIVITIES], daily_life)]),
    ("Back to exercise", [([Milestone.Kind.EXERCISE], exercise)]),
    (
        "Results",
        [
            ([Milestone.Kind.FINAL_RESULT], final_result),
            ([Milestone.Kind.FIRST_RESULTS], first_results),
        ],
    ),
    ("Side effects only one lists", "side-effects"),
    ("Maintenance", [(["maintenance"], maintenance)]),
]


def side_effects_only_one_lists(treatments):
    """ "Only Mesotherapy's source mentions soreness and itching; …" """
    with_procedure = [t for t in treatments if not t.is_baseline]
    if len(with_procedure) < 2:
        return None
    listed = {
        t.pk: {s.effect.name.lower(): s for s in t.side_effects.all()}
        for t in with_procedure
    }
    clauses, anchor = [], None
    for treatment in with_procedure:
        others = set().union(
            *(listed[t.pk] for t in with_procedure if t is not treatment)
        )
        only = [name for name in listed[treatment.pk] if name not in others]
        if only:
            effects = sorted(
                (listed[treatment.pk][name] for name in only),
                key=lambda s: (s.frequency != "common", s.effect.name),
            )
            anchor = anchor or f"row-effect-{effects[0].effect.slug}"
            clauses.append(
                f"only {called(treatment)}'s source mentions "
                f"{and_list(s.effect.name.lower() for s in effects)}"
            )
    if not clauses:
        return None
    text = "; ".join(clauses)
    text = text[:1].upper() + text[1:] + ". "
    text += (
        "The other source does not mention them."
        if len(with_procedure) == 2
        else "The other sources do not mention them."
    )
    return KeyDifference("Side effects only one lists", anchor, text)


def key_differences(treatments, rows):
    """3 to 7 key differences for `treatments`, given the table's rows
    ({slug: Row}) to tell which topics differ and to link to: the topics
    whose short answers differ, or, where fewer than three do, what they
    agree on."""
    found, same = [], []
    for label, parts in TOPICS:
        if parts == "side-effects":
            difference = side_effects_only_one_lists(treatments)
            if difference:
                found.append(difference)
            continue
        differing = [
            (next(rows[slug] for slug in slugs if rows[slug].differs), clause)
            for slugs, clause in parts
            if any(rows[slug].differs for slug in slugs)
        ]
        if differing:
            text = " ".join(
                sentence([clause(t) for t in treatments]) for _row, clause in differing
            )
            found.append(KeyDifference(label, differing[0][0].anchor, text))
        else:
            same.append(agreement(rows[parts[0][0][0]], len(treatments)))
    return found[:MOST] + same[: max(0, FEWEST - len(found))]


def agreement(row, count):
    subject = "both" if count == 2 else f"all {in_words(count)}"
    return KeyDifference(
        row.label, row.anchor, f"{lower_first(row.cells[0].text)}, for {subject}."
    )


def baseline_note(treatments):
    """ "No treatment involves no procedure: …", once for the list."""
    baselines = [called(t) for t in treatments if t.is_baseline]
    if not baselines:
        return ""
    verb = "involves" if len(baselines) == 1 else "involve"
    return (
        f"{and_list(baselines)} {verb} no procedure: no sessions, anaesthetic, "
        "recovery or maintenance."
    )
