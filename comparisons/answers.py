"""
Short answers: what each cell of the comparison says first, in a few words,
with the fuller wording and its citation one tap away.

Every short answer is built from a treatment's own facts: a choice's label,
figures in words, the "in a few words" field an editor writes once per
treatment for a fact told in prose. None is written for a pair. Where the
source is silent the answer says so; where a question does not apply (a
"no treatment" baseline has no procedure) it says that instead.
"""

import re
from dataclasses import dataclass, field

from django.utils.dateformat import format as format_date

from treatments.formatting import (
    and_list,
    format_days,
    in_words,
    interval_short,
    sessions_short,
    span_short,
)
from treatments.models import NOT_STATED, NOT_STATED_CHOICE

NOT_MENTIONED = "Not mentioned in its source"
NO_PROCEDURE = "Does not apply: no procedure"
# Where a fact is told in prose and no editor has put it in a few words
# (the admin asks for them): the prose's opening words, up to this many
# characters, and the rest one tap away.
OPENING_LENGTH = 80


@dataclass
class Detail:
    """A line of the fuller wording: "How we read it: …"."""

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
    sources: list = field(default_factory=list)  # Source records to list
    silence: str = NOT_STATED  # what a silence reads
    not_applicable: str = ""  # why the question does not apply
    note: str = ""  # after the short answer: "its source says: legs"
    mark: str = ""  # "yes" or "no", for the focus area
    when: object = None  # a date, shown as one
    column: str = ""  # left, right or aside on a narrow screen: see views

    @property
    def silent(self):
        return not self.not_applicable and not self.short and self.when is None

    @property
    def text(self):
        """The short answer as a reader sees it, in plain text."""
        if self.not_applicable:
            return self.not_applicable
        if self.silent:
            return self.silence
        if self.when is not None:
            return format_date(self.when, "j F Y")
        return self.short + (f" ({self.note})" if self.note else "")

    @property
    def brief_silence(self):
        """ "Not stated", "Not mentioned", "Does not apply": for the printed
        summary, whose table says once what they mean."""
        if self.not_applicable:
            return self.not_applicable.split(":")[0]
        return self.silence.removesuffix(" in its source")

    @property
    def key(self):
        """What "show only the differences" compares: the short answer."""
        return " ".join(self.text.split()).casefold()

    @property
    def has_details(self):
        return bool(self.details or self.cited or self.items or self.sources)


def prose(field_name):
    """A fact told in prose: its "in a few words" field first, the prose
    and the treatment's citation in the details."""

    def answer(treatment):
        text = getattr(treatment, field_name)
        brief = getattr(treatment, f"{field_name}_brief", "")
        if not text and not brief:
            return Answer(treatment)
        return Answer(
            treatment,
            short=brief or opening(text),
            details=[Detail(text)] if text else [],
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
    details = [
        Detail(treatment.how_it_works or NOT_STATED, "How it works"),
    ]
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
    """ "About 10, every 1–2 weeks", with the source's words behind it."""
    plan = plan_of(treatment)
    count = sessions_short(plan)
    if not count:
        if plan is None:
            return Answer(treatment)
        note = (
            [Detail(plan.reading_note, "How we read it")] if plan.reading_note else []
        )
        return Answer(treatment, details=note, cited=[plan])
    interval = interval_short(plan)
    details = [
        Detail(text, label)
        for label, text in (
            ("How many, in its words", plan.sessions_wording),
            ("How often, in its words", plan.interval_wording),
            ("When results show", plan.results_wording),
            ("How we read it", plan.reading_note),
        )
        if text
    ]
    if plan.is_course and not interval:
        details.insert(0, Detail(NOT_STATED, "How often"))
    return Answer(
        treatment,
        short=f"{count}, {interval}" if interval else count,
        details=details,
        cited=[plan],
    )


def milestones(kind):
    """When a person reaches a point of recovery or results: "About 2–3
    days". A figure read from vague words, or worked out, says "about" and
    how we read it."""

    def answer(treatment):
        found = [m for m in treatment.milestones.all() if m.kind == kind]
        if not found:
            return results_after(treatment, kind)
        worked_out = any(m.reading_note for m in found)
        spans = [span_short(m.days_min, m.days_max) for m in found]
        short = "; ".join(spans)
        if worked_out:
            # "about 2–3 days"; "up to about 12 months"
            short = (
                f"up to about {short[6:]}"
                if short.startswith("up to ")
                else f"about {short}"
            )
        short = short[:1].upper() + short[1:]
        after = " after the first session" if is_course(treatment) else ""
        details = []
        for milestone in found:
            days = format_days(milestone.days_min, milestone.days_max)
            details.append(Detail(f"{milestone.wording} ({days}{after})"))
            if milestone.reading_note:
                details.append(Detail(milestone.reading_note, "How we read it"))
        return Answer(treatment, short=short, details=details, cited=found)

    return for_a_procedure(answer)


def is_course(treatment):
    plan = plan_of(treatment)
    return plan is not None and plan.is_course


def results_after(treatment, kind):
    """First results, where the source counts sessions but gives no time."""
    plan = plan_of(treatment)
    if kind != "first-results" or plan is None or not plan.results_summary:
        return Answer(treatment)
    details = [Detail(plan.results_wording)] if plan.results_wording else []
    return Answer(treatment, short=plan.results_summary, details=details, cited=[plan])


def side_effect(effect_id):
    def answer(treatment):
        found = next(
            (s for s in treatment.side_effects.all() if s.effect_id == effect_id), None
        )
        if found is None:
            return Answer(treatment, silence=NOT_MENTIONED)
        stated = found.frequency != found.Frequency.NOT_STATED
        details = [
            Detail(text, label)
            for label, text in (
                ("Where", found.get_site_display() if found.site_stated else ""),
                ("In its words", found.frequency_wording),
                ("How long it lasts", found.duration),
                ("Is it normal?", found.what_is_normal),
            )
            if text
        ]
        if not stated:
            details.insert(0, Detail(NOT_STATED, "How common"))
        return Answer(
            treatment,
            short=found.get_frequency_display() if stated else "Listed",
            note="" if stated else "how common: not stated",
            details=details,
            cited=[found],
        )

    return for_a_procedure(answer)


def areas(treatment):
    if treatment.is_baseline:
        return Answer(treatment, not_applicable="Does not apply: not a treatment")
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
            return Answer(treatment, not_applicable="Does not apply: not a treatment")
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
    asked = treatment.questions
    if not asked:
        return Answer(treatment)
    count = in_words(len(asked))
    return Answer(
        treatment,
        short=f"{count[:1].upper()}{count[1:]} question{'s' if len(asked) > 1 else ''}",
        items=asked,
        cited=[treatment],
    )


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


def sources(treatment):
    cited = treatment.cited_sources()
    kinds = list(dict.fromkeys(source.get_kind_display() for source in cited))
    return Answer(treatment, short="; ".join(kinds), sources=cited)


def date(attribute):
    def answer(treatment):
        return Answer(treatment, when=getattr(treatment, attribute))

    return answer
