"""
A large synthetic catalogue, built with bulk_create in a few seconds.

Every record satisfies the models' constraints and `full_clean()` (the tests
check a sample), and every treatment is as fully described as a real one:
a session plan, several body areas, side effects, a timeline of milestones
and a condition; text fields are as long as the real fixtures' are, so page
sizes are realistic. Needs Django set up; `build()` writes to the default
database in one transaction and returns what a benchmark needs to address
the pages.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from comparisons.models import Comparison, ComparisonItem
from core.publishing import a_year_after
from treatments.areas import recount_areas
from treatments.models import (
    BodyArea,
    Condition,
    ConditionFact,
    Effect,
    Milestone,
    SessionPlan,
    SideEffect,
    Source,
    TreatedArea,
    Treatment,
)

PREFIX = "bench"
TECHNIQUES = [
    "Radiofrequency",
    "Cryolipolysis",
    "Ultrasound",
    "Microneedling",
    "Laser",
    "Carboxytherapy",
    "Acoustic wave",
    "Vacuum massage",
    "Injection",
    "Subcision",
]
GOALS = ["tightening", "contouring", "smoothing", "firming", "toning", "reduction"]
WORDS = (
    "the treated skin is warmed and the tissue underneath responds over weeks "
    "while the practitioner moves the handpiece slowly across the area and "
    "checks how it feels most people describe a mild tingling or pressure that "
    "fades soon after the session ends and results build gradually as the body "
    "renews collagen and clears the treated cells"
).split()
# A treatment's timeline, in order; the days grow along it.
MILESTONE_KINDS = [
    Milestone.Kind.DAILY_ACTIVITIES,
    Milestone.Kind.EXERCISE,
    Milestone.Kind.FIRST_RESULTS,
    Milestone.Kind.PROGRESS,
    Milestone.Kind.PROGRESS,
    Milestone.Kind.FINAL_RESULT,
]
REVIEWED = datetime.date(2026, 11, 21)


@dataclass
class Catalogue:
    """What was built: slugs to address pages by, and counts per model."""

    treatments: list = field(default_factory=list)  # published slugs
    drafts: list = field(default_factory=list)  # unpublished slugs
    areas: list = field(default_factory=list)  # slugs, top-level areas first
    comparisons: dict = field(default_factory=dict)  # slug: number of treatments
    counts: dict = field(default_factory=dict)  # model label: rows created


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng, rng.randint(10, 20)) for _ in range(sentences))


def area_parents(count):
    """Parent index (or None) for each of `count` areas: a quarter at the
    top, half inside those, the rest a level deeper."""
    top = max(1, count // 4)
    middle = max(0, min(count - top, count // 2))
    parents = [None] * top
    parents += [index % top for index in range(middle)]
    parents += [top + index % max(1, middle) for index in range(count - len(parents))]
    return parents


def session_plan(rng, treatment, source):
    plan = SessionPlan(
        treatment=treatment, source=source, source_location="paragraph 3"
    )
    roll = rng.random()
    if roll < 0.6:
        plan.kind = SessionPlan.Kind.COURSE
        plan.sessions_min = rng.randint(1, 4)
        plan.sessions_typical = plan.sessions_min + rng.randint(0, 3)
        if rng.random() < 0.8:
            plan.sessions_max = plan.sessions_typical + rng.randint(0, 4)
        plan.sessions_wording = f"about {plan.sessions_typical} sessions"
        plan.interval_min_days = rng.randint(7, 21)
        plan.interval_max_days = plan.interval_min_days + rng.randint(0, 14)
        plan.interval_wording = "every few weeks"
        plan.results_after_min = rng.randint(1, 3)
        plan.results_after_max = plan.results_after_min + rng.randint(0, 2)
        plan.results_wording = "after a few sessions"
        plan.reading_note = sentence(rng)
    elif roll < 0.8:
        plan.kind = SessionPlan.Kind.SINGLE
    elif roll < 0.9:
        plan.kind = SessionPlan.Kind.NONE
    else:
        plan.kind = SessionPlan.Kind.NOT_STATED
    return plan


def milestones(rng, treatment, source):
    day = rng.randint(0, 3)
    result = []
    for order, kind in enumerate(MILESTONE_KINDS, start=1):
        low = day
        high = low + rng.randint(0, low + 3)
        result.append(
            Milestone(
                treatment=treatment,
                order=order,
                kind=kind,
                days_min=low,
                days_max=high,
                wording=f"after {low} to {high} days",
                reading_note=sentence(rng, 8),
                source=source,
                source_location=f"paragraph {order + 3}",
            )
        )
        day = high + rng.randint(1, 30)
    return result


@transaction.atomic
def build(
    treatments=1000,
    *,
    drafts=None,
    areas=40,
    effects=10,
    side_effects=10,
    milestone_count=6,
    areas_each=3,
    comparisons=20,
    sources=5,
    seed=5,
):
    """Create a catalogue of `treatments` published treatments (and `drafts`
    unpublished ones, a twentieth by default) in the default database.

    Each treatment gets a session plan, `areas_each` body areas out of
    `areas` (nested three deep), `side_effects` side effects out of
    `effects` kinds, `milestone_count` milestones (at most 6) and a
    condition. Half the `comparisons` compare two treatments, half four;
    every fifth has a focus area. Names and slugs start with "bench" so they
    never meet the fixtures' own.
    """
    if side_effects > effects:
        raise ValueError("each side effect needs its own kind: side_effects > effects")
    if milestone_count > len(MILESTONE_KINDS):
        raise ValueError(f"at most {len(MILESTONE_KINDS)} milestones")
    if areas_each > areas:
        raise ValueError("areas_each > areas")
    rng = random.Random(seed)
    drafts = treatments // 20 if drafts is None else drafts
    counts = {}

    def create(model, objects):
        created = model.objects.bulk_create(objects, batch_size=500)
        counts[model._meta.label] = counts.get(model._meta.label, 0) + len(created)
        return created

    source_rows = create(
        Source,
        [
            Source(
                slug=f"{PREFIX}-source-{n}",
                title=f"Bench source {n}: a clinic's guide to body treatments",
                publisher="Bench Publishing",
                url=f"https://example.com/bench/{n}",
                date_updated=REVIEWED,
            )
            for n in range(1, sources + 1)
        ],
    )

    area_rows = []
    for index, parent in enumerate(area_parents(areas)):
        name = f"Bench area {index + 1:02}"
        area = BodyArea(name=name, slug=slugify(name))
        if parent is not None:
            area.parent = area_rows[parent]
        area_rows.append(area)
    # Parents first, so each child's parent has its primary key.
    for depth_rows in _by_depth(area_rows):
        create(BodyArea, depth_rows)

    effect_rows = create(
        Effect,
        [
            Effect(name=f"Bench effect {n:02}", slug=f"{PREFIX}-effect-{n:02}")
            for n in range(1, effects + 1)
        ],
    )

    condition = create(
        Condition,
        [
            Condition(
                name="Bench condition",
                slug=f"{PREFIX}-condition",
                summary="A condition the synthetic catalogue's treatments treat.",
            )
        ],
    )[0]
    create(
        ConditionFact,
        [
            ConditionFact(
                condition=condition,
                order=order,
                text=sentence(rng),
                source=source_rows[0],
                source_location=f"paragraph {order}",
            )
            for order in (1, 2)
        ],
    )

    treatment_rows = []
    for n in range(treatments + drafts):
        name = f"{TECHNIQUES[n % len(TECHNIQUES)]} {rng.choice(GOALS)} {n + 1:05}"
        treatment_rows.append(
            Treatment(
                name=name,
                slug=f"{PREFIX}-{slugify(name)}",
                summary=sentence(rng, 16)[:200],
                how_it_works=paragraph(rng, 5),
                what_happens=paragraph(rng, 4),
                invasiveness=rng.choice(Treatment.Invasiveness.values),
                anaesthesia=rng.choice(Treatment.Anaesthesia.values),
                anaesthesia_details=sentence(rng),
                how_it_feels=paragraph(rng, 2),
                performed_by=sentence(rng),
                before_first_session=sentence(rng),
                effectiveness=paragraph(rng, 3),
                results_duration=sentence(rng),
                maintenance=rng.choice(Treatment.Maintenance.values),
                maintenance_details=sentence(rng),
                cautions=paragraph(rng, 2),
                where_to_have_it=sentence(rng),
                questions_to_ask="\n".join(sentence(rng, 9) for _ in range(4)),
                reading_notes=sentence(rng),
                source=rng.choice(source_rows),
                source_location="paragraphs 1 to 3",
                status="published" if n < treatments else "draft",
                last_reviewed=REVIEWED,
                next_review_due=a_year_after(REVIEWED),
            )
        )
    treatment_rows = create(Treatment, treatment_rows)

    plans, treated, effects_rows, timeline = [], [], [], []
    condition_links = []
    through = Treatment.conditions.through
    for treatment in treatment_rows:
        source = treatment.source
        plans.append(session_plan(rng, treatment, source))
        treated += [
            TreatedArea(
                treatment=treatment,
                body_area=area,
                note=sentence(rng, 6),
                source=source,
                source_location="paragraph 2",
            )
            for area in rng.sample(area_rows, areas_each)
        ]
        effects_rows += [
            SideEffect(
                treatment=treatment,
                effect=effect,
                frequency=rng.choice(SideEffect.Frequency.values),
                frequency_wording=sentence(rng, 4),
                site=rng.choice(SideEffect.Site.values),
                duration=sentence(rng, 6),
                what_is_normal=sentence(rng, 8),
                source=source,
                source_location="paragraph 6",
            )
            for effect in rng.sample(effect_rows, side_effects)
        ]
        timeline += milestones(rng, treatment, source)[:milestone_count]
        condition_links.append(
            through(treatment_id=treatment.pk, condition_id=condition.pk)
        )
    create(SessionPlan, plans)
    create(TreatedArea, treated)
    create(SideEffect, effects_rows)
    create(Milestone, timeline)
    create(through, condition_links)

    published = treatment_rows[:treatments]
    comparison_rows, sizes = [], []
    for n in range(comparisons):
        size = 2 if n % 2 == 0 else 4
        focus = area_rows[n % len(area_rows)] if n % 5 == 0 else None
        comparison_rows.append(
            Comparison(
                title=f"Bench comparison {n + 1:03}",
                slug=f"{PREFIX}-comparison-{n + 1:03}",
                introduction=paragraph(rng, 2),
                focus_area=focus,
                status="published",
                last_reviewed=REVIEWED,
                next_review_due=a_year_after(REVIEWED),
            )
        )
        sizes.append(size)
    comparison_rows = create(Comparison, comparison_rows)
    items = []
    for comparison, size in zip(comparison_rows, sizes, strict=True):
        chosen = rng.sample(published, min(size, len(published)))
        items += [
            ComparisonItem(comparison=comparison, treatment=treatment, position=pos)
            for pos, treatment in enumerate(chosen, start=1)
        ]
    create(ComparisonItem, items)
    # bulk_create sends no signals: count the areas' treatments, as an
    # editor's saves would have.
    recount_areas()

    return Catalogue(
        treatments=[t.slug for t in published],
        drafts=[t.slug for t in treatment_rows[treatments:]],
        areas=[a.slug for a in area_rows],
        comparisons={
            c.slug: size for c, size in zip(comparison_rows, sizes, strict=True)
        },
        counts=counts,
    )


def _by_depth(areas):
    """The areas in lists by depth, top level first."""
    depth = {}
    for area in areas:  # parents come before their children in `areas`
        depth[id(area)] = 0 if area.parent is None else depth[id(area.parent)] + 1
    levels = {}
    for area in areas:
        levels.setdefault(depth[id(area)], []).append(area)
    return [levels[level] for level in sorted(levels)]
