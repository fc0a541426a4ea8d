"""
Short answers: what each cell of the comparison says first, in a few words,
with the fuller wording and its citation one tap away.

Every short answer is built from a treatment's own facts: a choice's label,
figures in words, the "in a few words" field an editor writes once per
treatment for a fact told in prose, a milestone's words. None is written
for a pair. Where the source is silent the answer is silent, and reads
`NOT_STATED` as every silence on the site does; where a question does not
apply (a baseline has no procedure) it says that instead.
"""

import re
from dataclasses import dataclass, field

from core.text import and_list
from treatments.formatting import days_after, sessions_phrase
from treatments.models import NOT_STATED, NOT_STATED_CHOICE

NO_PROCEDURE = "Does not apply: no procedure"
NOT_A_TREATMENT = "Does not apply: not a treatment"
HOW_WE_READ = "How we read this"
# Where a fact is told in prose and no editor has put it in a few words
# (the admin asks for them): the prose's opening words, up to this many
# characters, and the rest one tap away.
OPENING_LENGTH = 80


@dataclass
class Detail:
    """A line of the fuller wording: "How we read this: …"."""

    text: str
    label: str = ""


@dataclass
class Answer:
    """One treatment's answer to one question."""

    treatment: object
    short: str = ""  # a few words; blank where the source is silent
    details: list = field(default_factory=list)  # of Detail
    cited: list = field(default_factory=list)  # records with a source
    items: list = field(default_factory=list)  # a list in the details
    not_applicable: str = ""  # why the question does not apply
    note: str = ""  # after the short answer: "its source says: legs"
    mark: str = ""  # "yes" or "no", for the focus area

    @property
    def silent(self):
        return not (self.not_applicable or self.short or self.items)

    @property
    def text(self):
        """The short answer as a reader sees it, in plain text."""
        if self.not_applicable:
            return self.not_applicable
        if self.silent:
            return NOT_STATED
        return self.short + (f" ({self.note})" if self.note else "")

    @property
    def brief(self):
        """For the printed summary, whose table says once what "Does not
        apply" means."""
        if self.not_applicable:
            return self.not_applicable.split(":")[0]
        return self.text

    @property
    def key(self):
        """What the row's badge compares: the short answer."""
        return " ".join(self.text.split()).casefold()

    @property
    def has_details(self):
        return bool(self.details or self.cited or self.items)


def prose(field_name):
    """A fact told in prose: its "in a few words" field first, the prose
    and the treatment's citation in the details. Without the few words,
    the prose itself."""

    def answer(treatment):
        text = getattr(treatment, field_name)
        brief = getattr(treatment, f"{field_name}_brief", "")
        if not text and not brief:
            return Answer(treatment)
        return Answer(
            treatment,
            short=brief or opening(text),
            # The prose, where the short answer is not all of it.
            details=[Detail(text)] if text and (brief or opening(text) != text) else [],
            cited=[treatment],
        )

    return answer


def opening(text, length=OPENING_LENGTH):
    """The first sentence of `text` without its full stop, or as many of
    its first words as fit in `length` characters, then "…"."""
    first = text.strip().split("\n", 1)[0]
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0].removesuffix(".")
    if len(sentence) <= length:
        return sentence
    words = sentence[: length + 1].rsplit(" ", 1)[0] if " " in sentence else ""
    return (words or sentence[:length]).rstrip(",;:–— ") + "…"


def for_a_procedure(build):
    """Only for treatments with a procedure: a baseline's answer is that
    there is none."""

    def answer(treatment):
        if treatment.is_baseline:
            return Answer(treatment, not_applicable=NO_PROCEDURE)
        return build(treatment)

    return answer


def what_it_is(treatment):
    details = [Detail(treatment.how_it_works or NOT_STATED, "How it works")]
    if not treatment.is_baseline:
        details.append(Detail(treatment.what_happens or NOT_STATED, "During a session"))
    return Answer(
        treatment, short=treatment.summary, details=details, cited=[treatment]
    )


def choice(field_name, details_field=None):
    """A choice's label; its details, if any, one tap away."""

    def answer(treatment):
        value = getattr(treatment, field_name)
        if value == NOT_STATED_CHOICE:
            return Answer(treatment)
        details = getattr(treatment, details_field) if details_field else ""
        return Answer(
            treatment,
            short=getattr(treatment, f"get_{field_name}_display")(),
            details=[Detail(details)] if details else [],
            cited=[treatment],
        )

    return answer


def plan_of(treatment):
    return getattr(treatment, "session_plan", None)


def sessions(treatment):
    """ "About 10, weekly or every two weeks", with the source's words and
    how we read them behind it."""
    plan = plan_of(treatment)
    if plan is None:
        return Answer(treatment)
    reading = [Detail(plan.reading_note, HOW_WE_READ)] if plan.reading_note else []
    phrase = sessions_phrase(plan)
    if not phrase:
        return Answer(treatment, details=reading, cited=[plan])
    words = [
        Detail(text, label)
        for label, text in (
            ("How many, in its words", plan.sessions_wording),
            ("When results show", plan.results_wording),
        )
        if text
    ]
    if plan.is_course and not (plan.interval_wording or plan.interval_min_days):
        words.append(Detail(NOT_STATED, "How often"))
    return Answer(treatment, short=phrase, details=words + reading, cited=[plan])


def milestones(kind):
    """When a person reaches a point of recovery or results, in the
    source's words ("After a couple of days"); where we put that on a
    timeline, and how we read it, one tap away."""

    def answer(treatment):
        found = [m for m in treatment.milestones.all() if m.kind == kind]
        if not found:
            return results_after(treatment, kind)
        plan = plan_of(treatment)
        course = plan is not None and plan.is_course
        details = []
        for milestone in found:
            where = days_after(milestone.days_min, milestone.days_max, course=course)
            reading = f" {milestone.reading_note}" if milestone.reading_note else ""
            details.append(Detail(f"On a timeline: {where}.{reading}", HOW_WE_READ))
        return Answer(
            treatment,
            short="; ".join(m.wording for m in found),
            details=details,
            cited=found,
        )

    return for_a_procedure(answer)


def results_after(treatment, kind):
    """First results, where the source counts sessions but gives no time."""
    plan = plan_of(treatment)
    if kind != "first-results" or plan is None or not plan.results_summary:
        return Answer(treatment)
    return Answer(
        treatment, short=plan.results_wording or plan.results_summary, cited=[plan]
    )


def side_effect(effect_id):
    """How common a side effect is, or that its source mentions it without
    saying; where it shows and the source's words in the details."""

    def answer(treatment):
        found = next(
            (s for s in treatment.side_effects.all() if s.effect_id == effect_id), None
        )
        if found is None:
            return Answer(treatment)
        stated = found.frequency != found.Frequency.NOT_STATED
        details = [
            Detail(text)
            for text in (
                found.get_site_display() if found.site_stated else "",
                found.frequency_wording,
                found.duration,
                found.what_is_normal,
            )
            if text
        ]
        return Answer(
            treatment,
            # Mentioned without how common: the source's words say how.
            short=found.get_frequency_display() if stated else "Mentioned",
            details=details,
            cited=[found],
        )

    return for_a_procedure(answer)


def areas(treatment):
    if treatment.is_baseline:
        return Answer(treatment, not_applicable=NOT_A_TREATMENT)
    treated = list(treatment.treated_areas.all())
    return Answer(
        treatment,
        short=", ".join(t.body_area.name for t in treated),
        details=[Detail(t.note, t.body_area.name) for t in treated if t.note],
        cited=treated,
    )


def focus(area_tree, area):
    """Whether it is used on the focus area, by the site's one body-area
    rule (AreaTree.match), and how its source puts it."""
    name = area.name.lower()

    def answer(treatment):
        if treatment.is_baseline:
            return Answer(treatment, not_applicable=NOT_A_TREATMENT)
        treated = list(treatment.treated_areas.all())
        match = area_tree.match([t.body_area_id for t in treated], [area.pk])
        if not match.found:
            return Answer(
                treatment,
                short="No",
                note=f"its source does not name the {name}",
                mark="no",
                cited=treated,
            )
        if match.named:
            note = f"its source names the {name}"
        elif match.inner:
            note = (
                f"its source names the {and_list(a.name.lower() for a in match.inner)}"
            )
        else:
            note = f"its source says: {match.source_says}"
        return Answer(treatment, short="Yes", note=note, mark="yes", cited=treated)

    return answer


def questions(treatment):
    """The questions its source leads to, in a list to open."""
    if not treatment.questions:
        return Answer(treatment)
    return Answer(treatment, items=treatment.questions, cited=[treatment])


def evidence(assessments):
    """The strength of each treatment's evidence, from its sources' kinds."""

    def answer(treatment):
        assessment = assessments[treatment.pk]
        return Answer(
            treatment,
            short=assessment.level_label,
            details=[Detail(assessment.sources_sentence)],
        )

    return answer
