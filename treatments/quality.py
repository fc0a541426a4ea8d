"""
"About this information": what was checked on a page, worked out from its
content, never typed by hand. The same report shows on the public page
(a treatment's, a comparison's), on the record's change form, and puts a
published page that fails a line in the admin's "Needs attention".

Each line is met or not, and says why in plain words (docs/content.md,
"About this information"):

- CITED: every fact says which source it comes from and where in it (a
  treatment's own description, its session plan, body areas, side effects
  and milestones: "n of n");
- REVIEWED: reviewed, and the next review not overdue;
- EVIDENCE: how strong the evidence is and its limits, stated, from
  sources as they were checked (none whose address is broken, none
  updated since the facts citing it were checked);
- HARMS: side effects given for every option, each with how common it is,
  in the source's words or "The source does not say" (a baseline has no
  procedure, so none to give);
- SILENCES: where a source is silent the page says "The source does not
  say", never a silence in other words ("N/A", "Unknown", "None");
- NO_TREATMENT: a "no treatment" option is offered (a comparison: one is
  in it, or offered to add);
- READING: the reading age of its texts against the target
  (editorial/readability.py: median at TARGET_AGE or under, none above
  CEILING_AGE, no sentence over LONGEST_SENTENCE words).

Built from treatments loaded with `Treatment.objects.for_comparison()`
(or `for_detail()`): no query of its own. Comparisons build theirs from
their treatments' (comparisons/quality.py may not be imported here).
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.dateformat import format as format_date

from core.text import and_list
from editorial import prose, readability

from .evidence import assess
from .models import NOT_STATED, SideEffect, Treatment

CITED = "cited"
REVIEWED = "reviewed"
EVIDENCE = "evidence"
HARMS = "harms"
SILENCES = "silences"
NO_TREATMENT = "no-treatment"
READING = "reading"
LINES = (CITED, REVIEWED, EVIDENCE, HARMS, SILENCES, NO_TREATMENT, READING)

LABELS = {
    CITED: "Every fact is cited",
    REVIEWED: "Reviewed, and not overdue",
    EVIDENCE: "How strong the evidence is, and its limits",
    HARMS: "Harms given for every option",
    SILENCES: "Silences stated",
    NO_TREATMENT: "A “no treatment” option offered",
    READING: "Plain words",
}

# A silence written in other words than NOT_STATED (docs/content.md, 1).
OTHER_SILENCE = re.compile(
    r"^\s*(?:n/?a|none|nil|unknown|tbc|tbd|-+|\?+|"
    r"not\s+(?:stated|mentioned|known|given|specified|said|available)"
    r"(?:\s+(?:in|by)\s+(?:the\s+)?(?:its\s+)?(?:source|article))?)\s*\.?\s*$",
    re.IGNORECASE,
)

# The few words a comparison leads with (Treatment.PROSE_WITH_BRIEF): not
# sentences, so not measured (editorial/prose.py), but checked for
# silences like the texts.
BRIEFS = tuple(f"{name}_brief" for name in Treatment.PROSE_WITH_BRIEF)


@dataclass
class Line:
    key: str
    met: bool
    detail: str

    @property
    def label(self):
        return LABELS[self.key]


@dataclass
class Report:
    lines: list = field(default_factory=list)

    @property
    def met(self):
        return [line for line in self.lines if line.met]

    @property
    def failing(self):
        return [line for line in self.lines if not line.met]

    @property
    def summary(self):
        """ "6 of 7 met; not met: plain words." """
        text = f"{len(self.met)} of {len(self.lines)} met"
        if self.failing:
            text += "; not met: " + "; ".join(
                line.label[:1].lower() + line.label[1:] for line in self.failing
            )
        return text + "."

    def line(self, key):
        return next(line for line in self.lines if line.key == key)


# What a treatment page holds.


def facts_of(treatment):
    """The records whose facts the page shows, each citing a source: the
    treatment's own description first."""
    plan = getattr(treatment, "session_plan", None)
    return [
        treatment,
        *([plan] if plan is not None else []),
        *treatment.treated_areas.all(),
        *treatment.side_effects.all(),
        *treatment.milestones.all(),
    ]


def texts_of(treatment):
    """(label, text) of each public text of a treatment and its facts
    (their fields in the registry of public prose, editorial/prose.py)
    that is not blank."""
    found = [
        (prose.label(Treatment, name), text) for name, text in prose.texts_of(treatment)
    ]
    plan = getattr(treatment, "session_plan", None)
    if plan is not None:
        found += [
            (plan._meta.get_field(name).verbose_name, text)
            for name, text in prose.texts_of(plan)
        ]
    for side_effect in treatment.side_effects.all():
        found += [
            (
                f"{side_effect.effect.name}: "
                f"{side_effect._meta.get_field(name).verbose_name}",
                text,
            )
            for name, text in prose.texts_of(side_effect)
        ]
    for milestone in treatment.milestones.all():
        found += [
            (
                f"{milestone.get_kind_display()}: "
                f"{milestone._meta.get_field(name).verbose_name}",
                text,
            )
            for name, text in prose.texts_of(milestone)
        ]
    for treated in treatment.treated_areas.all():
        found += [
            (f"{treated.body_area.name}: {name}", text)
            for name, text in prose.texts_of(treated)
        ]
    return [(label, text) for label, text in found if text and text.strip()]


def briefs_of(treatment):
    """(label, text) of the few words a comparison leads with, not blank."""
    found = [
        (prose.label(Treatment, name), getattr(treatment, name)) for name in BRIEFS
    ]
    return [(label, text) for label, text in found if text and text.strip()]


@lru_cache(maxsize=8192)
def _reading(text):
    return readability.measure(text)


def readings(treatment):
    """The Reading of each public text of a treatment (editorial/
    readability.py; None for one too short to measure), by label."""
    return [(label, _reading(text)) for label, text in texts_of(treatment)]


def page_readings(treatments, extra_texts=(), texts=None):
    """(label, Reading or None) of every text of a page showing
    `treatments` (one, or a comparison's), and its own `extra_texts`
    (label, text): what its "plain words" line and its stored reading
    (editorial/prose.py) are worked out from. `texts`: each treatment's
    texts_of(), by pk, where already worked out."""
    texts = texts or {t.pk: texts_of(t) for t in treatments}
    many = len(treatments) > 1
    found = [
        (f"{t.name}: {label}" if many else label, _reading(text))
        for t in treatments
        for label, text in texts[t.pk]
    ]
    found += [(label, _reading(text)) for label, text in extra_texts if text]
    return found


def restate_reading(treatment_ids):
    """Store on these treatments the reading of their pages (editorial/
    prose.py: the list's column and filter read it). treatments/apps.py
    calls it when a treatment or one of its facts is saved or deleted."""
    from .models import Treatment

    for treatment in Treatment.objects.for_reading().filter(pk__in=treatment_ids):
        prose.store(
            Treatment,
            treatment.pk,
            prose.page_reading(r for _label, r in readings(treatment)),
        )


# The lines.


def cited_line(treatments):
    facts = [fact for t in treatments for fact in facts_of(t)]
    cited = [f for f in facts if f.source_id and f.source_location.strip()]
    met = len(cited) == len(facts)
    detail = (
        f"{len(cited)} of {len(facts)} facts say which source they come from "
        "and where in it."
    )
    if not met:
        detail += f" {len(facts) - len(cited)} name their source but not where in it."
    return Line(CITED, met, detail)


def reviewed_line(reviewed, today):
    last = getattr(reviewed, "last_reviewed", None)
    due = getattr(reviewed, "next_review_due", None)
    if last is None:
        return Line(REVIEWED, False, "Not reviewed yet.")
    # The dates themselves are under the page's title: said once.
    if due is None:
        return Line(
            REVIEWED, False, "Reviewed, but no date is set for the next review."
        )
    if due < today:
        return Line(
            REVIEWED,
            False,
            f"The next review was due by {format_date(due, 'j F Y')}: it is overdue.",
        )
    return Line(
        REVIEWED,
        True,
        "A publisher checked it against its sources, and the next review is "
        "not due yet (the dates are under its title).",
    )


def evidence_line(sources):
    evidence = assess(sources)
    detail = (
        f"{evidence.statement} Its limits are listed under “Limits of this "
        "information”."
    )
    sources = list(dict.fromkeys(sources))
    changed = [s for s in sources if s.text_changed]
    broken = [s for s in sources if s.link_broken]
    if changed:
        detail += (
            f" {and_list(f'“{s.title}”' for s in changed)} "
            f"{'has' if len(changed) == 1 else 'have'} been updated since the "
            "last review of the facts citing "
            f"{'it' if len(changed) == 1 else 'them'}."
        )
    if broken:
        detail += (
            f" The address of {and_list(f'“{s.title}”' for s in broken)} no "
            "longer works."
        )
    return Line(EVIDENCE, not (changed or broken), detail)


def harms_line(treatments):
    options = [t for t in treatments if not t.is_baseline]
    if not options:
        return Line(
            HARMS,
            True,
            "Not a treatment: there is no procedure, so no side effects of one.",
        )
    missing = [t for t in options if not t.side_effects.all()]
    effects = [e for t in options for e in t.side_effects.all()]
    unsaid = [e for e in effects if e.frequency == SideEffect.Frequency.NOT_STATED]
    parts = []
    if effects:
        counted = f"{len(effects)} side effect{'' if len(effects) == 1 else 's'}"
        if unsaid:
            parts.append(
                f"{counted}, each with how common it is: as the source puts it, "
                f"or, for {len(unsaid)}, that the source does not say."
            )
        else:
            parts.append(f"{counted}, each with how common it is.")
    if missing:
        names = and_list(t.name for t in missing)
        parts.append(
            f"None given for {names}: its source names none."
            if len(missing) == 1
            else f"None given for {names}: their sources name none."
        )
    return Line(HARMS, not missing, " ".join(parts))


def silences_line(treatments, texts):
    """Silences said the one way, never in other words. `texts`: each
    treatment's texts_of(), by pk."""
    worded = [
        (treatment, label, text)
        for treatment in treatments
        for label, text in [*briefs_of(treatment), *texts[treatment.pk]]
        if OTHER_SILENCE.match(text)
    ]
    if worded:
        where = and_list(
            f"“{text.strip()}” for “{label}”"
            + (f" of {treatment.name}" if len(treatments) > 1 else "")
            for treatment, label, text in worded
        )
        return Line(
            SILENCES,
            False,
            f"A silence is worded another way: {where}. Where a source is "
            f"silent the page should say “{NOT_STATED}”.",
        )
    return Line(
        SILENCES,
        True,
        "Where a source is silent the page says so, in the same words every "
        "time: never a guess, and never “none”.",
    )


def no_treatment_line(treatments, offered):
    """`offered`: the baselines the page offers to set beside it."""
    inside = [t for t in treatments if t.is_baseline]
    if inside:
        if len(treatments) == 1:
            return Line(NO_TREATMENT, True, "This page is the “no treatment” option.")
        return Line(
            NO_TREATMENT,
            True,
            f"“{inside[0].name}” is in the comparison.",
        )
    offered = [t for t in offered if t.is_baseline]
    if offered:
        return Line(
            NO_TREATMENT,
            True,
            f"The page offers to set it beside “{offered[0].name}”.",
        )
    return Line(
        NO_TREATMENT, False, "No “no treatment” option is offered to compare with."
    )


def reading_line(found):
    """`found`: (label, Reading or None) of the texts."""
    page = prose.page_reading(r for _label, r in found)
    if page.median is None:
        return Line(READING, True, "Its texts are too short to measure.")
    too_hard = [label for label, r in found if r is not None and r.too_hard]
    detail = (
        f"Reading age about {page.median:.0f} (the middle of its "
        f"{page.measured} texts); the aim is {readability.TARGET_AGE} or under."
    )
    if too_hard:
        named = [f"“{label}”" for label in too_hard[:3]]
        if len(too_hard) > 3:
            named.append(f"{len(too_hard) - 3} more")
        detail += (
            f" Harder than {readability.CEILING_AGE}, or with a sentence of more "
            f"than {readability.LONGEST_SENTENCE} words: {and_list(named)}."
        )
    return Line(READING, page.met, detail)


# The reports.


def for_treatments(
    treatments, *, sources, reviewed, offered=(), today=None, extra_texts=()
):
    """The report of a page showing `treatments` (one, or a comparison's),
    citing `sources`, with the review dates of `reviewed`; `offered` are
    the baselines it offers to set beside them; `extra_texts` (label, text)
    the page's own texts (a comparison's introduction)."""
    today = today or datetime.date.today()
    texts = {t.pk: texts_of(t) for t in treatments}
    found = page_readings(treatments, extra_texts, texts)
    return Report(
        [
            cited_line(treatments),
            reviewed_line(reviewed, today),
            evidence_line(sources),
            harms_line(treatments),
            silences_line(treatments, texts),
            no_treatment_line(treatments, offered),
            reading_line(found),
        ]
    )


def for_treatment(treatment, *, offered=(), today=None):
    """The report of a treatment's page."""
    return for_treatments(
        [treatment],
        sources=treatment.cited_sources(),
        reviewed=treatment,
        offered=offered,
        today=today,
    )


# For the admin: a page's report on its form. "Needs attention" reads the
# lines each page fails as stored (treatments/attention.py).


def report_of_saved(treatment, today=None):
    """The report of a treatment as saved, loaded afresh with its facts
    (the admin's change form): a fixed number of queries."""
    from .models import Treatment

    loaded = Treatment.objects.for_comparison().get(pk=treatment.pk)
    offered = [] if loaded.is_baseline else list(published_baselines())
    return for_treatment(loaded, offered=offered, today=today)


def published_baselines():
    from .models import Treatment

    return Treatment.objects.published().baselines().only("name", "slug", "is_baseline")
