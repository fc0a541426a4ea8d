"""
A large synthetic catalogue, built with bulk_create in seconds.

Spread (the default): 40 body areas, each treatment in 3 of them at random,
so that no area holds more than a few percent of the catalogue. Dense
(issue 20): spread as a real catalogue is, most treatments in one area
tree (the thighs, or the legs that take them in), many for the buttocks,
a few popular areas and a long tail.

Each treatment is as fully described as a real one (a session plan, 3 body
areas, 10 side effects, 6 milestones, a condition), with text as long as the
fixtures', so that page sizes are realistic, and passes `full_clean()`.
Names and slugs start with "bench", apart from the fixtures' own.

The one module of bench/ that imports the site's code.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from comparisons.models import Comparison, ComparisonItem
from core.models import ContentVersion
from editorial.publishing import Status, a_year_after
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

TECHNIQUES = (
    "Radiofrequency,Cryolipolysis,Ultrasound,Microneedling,Laser,Carboxytherapy,"
    "Acoustic wave,Vacuum massage,Injection,Subcision"
).split(",")
GOALS = ["tightening", "contouring", "smoothing", "firming", "toning", "reduction"]
WORDS = (
    "the treated skin is warmed and the tissue underneath responds over weeks "
    "while the practitioner moves the handpiece slowly across the area and "
    "checks how it feels most people describe a mild tingling or pressure that "
    "fades soon after the session ends and results build gradually as the body "
    "renews collagen and clears the treated cells"
).split()
# A treatment's text fields: paragraphs of so many sentences, or one sentence.
PARAGRAPHS = {"how_it_works": 5, "what_happens": 4, "how_it_feels": 2}
PARAGRAPHS |= {"effectiveness": 3, "cautions": 2}
SENTENCES = (
    "anaesthesia_details performed_by before_first_session results_duration "
    "maintenance_details where_to_have_it reading_notes"
).split()
Kind = Milestone.Kind
TIMELINE = [Kind.DAILY_ACTIVITIES, Kind.EXERCISE, Kind.FIRST_RESULTS]
TIMELINE += [Kind.PROGRESS, Kind.PROGRESS, Kind.FINAL_RESULT]
REVIEWED = datetime.date(2026, 11, 21)

# The dense catalogue's popular areas, as the seeded ones (fixtures/
# body_areas.json: created where the seed has not): slug -> name, parent.
POPULAR = {
    "legs": ("Legs", None),
    "thighs": ("Thighs", "legs"),
    "buttocks": ("Buttocks", None),
    "stomach": ("Stomach", None),
    "arms": ("Arms", None),
    "back": ("Back", None),
}
# Of its treatments, this share is for the thighs (three in four of them)
# or the legs, and this share for the buttocks...
THIGHS, BUTTOCKS = 0.6, 0.45
# ...and their other areas are drawn by these weights: three popular areas,
# then the 40 synthetic ones, the nth weighing TAIL / n (a long tail).
OTHERS, TAIL = {"stomach": 8, "arms": 5, "back": 3}, 4


@dataclass
class Catalogue:
    treatments: dict  # published: slug -> pk
    top_areas: list  # slugs, for the filtered catalogue
    comparisons: dict  # slug -> how many treatments it compares
    rows: int
    dense: bool = False
    # The area that takes in the most catalogue treatments, and how many.
    densest: tuple = ("", 0)


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def paragraph(rng, sentences):
    return " ".join(sentence(rng, rng.randint(10, 20)) for _ in range(sentences))


def treatment(rng, n, sources, published):
    name = f"{TECHNIQUES[n % len(TECHNIQUES)]} {rng.choice(GOALS)} {n + 1:05}"
    fields = {
        "summary": sentence(rng, 16)[:200],
        "invasiveness": rng.choice(Treatment.Invasiveness.values),
        "anaesthesia": rng.choice(Treatment.Anaesthesia.values),
        "maintenance": rng.choice(Treatment.Maintenance.values),
        "questions_to_ask": "\n".join(sentence(rng, 9) for _ in range(4)),
        "source": rng.choice(sources),
    }
    fields |= {name: paragraph(rng, count) for name, count in PARAGRAPHS.items()}
    fields |= {name: sentence(rng) for name in SENTENCES}
    # What a comparison leads with, in a few words (the text's first four),
    # as the admin asks for them.
    fields |= {
        f"{name}_brief": " ".join(fields[name].split()[:4])
        for name in Treatment.PROSE_WITH_BRIEF
    }
    return Treatment(
        name=name,
        slug=f"bench-{slugify(name)}",
        source_location="paragraphs 1 to 3",
        status=Status.PUBLISHED if published else Status.DRAFT,
        last_reviewed=REVIEWED,
        next_review_due=a_year_after(REVIEWED),
        **fields,
    )


def session_plan(rng, treatment):
    plan = SessionPlan(treatment=treatment, source=treatment.source)
    roll, Plan = rng.random(), SessionPlan.Kind
    shares = [(0.6, Plan.COURSE), (0.8, Plan.SINGLE), (0.9, Plan.NONE)]
    plan.kind = next((kind for top, kind in shares if roll < top), Plan.NOT_STATED)
    plan.source_location = "paragraph 3"
    if plan.kind == Plan.COURSE:
        plan.sessions_min = rng.randint(1, 4)
        plan.sessions_typical = plan.sessions_min + rng.randint(0, 3)
        if rng.random() < 0.8:
            plan.sessions_max = plan.sessions_typical + rng.randint(0, 4)
        plan.interval_min_days = rng.randint(7, 21)
        plan.interval_max_days = plan.interval_min_days + rng.randint(0, 14)
        plan.results_after_min = rng.randint(1, 3)
        plan.results_after_max = plan.results_after_min + rng.randint(0, 2)
        plan.sessions_wording = f"about {plan.sessions_typical} sessions"
        plan.interval_wording = "every few weeks"
        plan.results_wording = "after a few sessions"
        plan.reading_note = sentence(rng)
    return plan


def facts(rng, treatment, areas, effects):
    """A treatment's body areas (`areas(rng)` chooses them), side effects
    and milestones."""
    cited = {"treatment": treatment, "source": treatment.source}
    result = [
        TreatedArea(
            **cited, body_area=area, note=sentence(rng, 6), source_location="p. 2"
        )
        for area in areas(rng)
    ]
    result += [
        SideEffect(
            **cited,
            effect=effect,
            frequency=rng.choice(SideEffect.Frequency.values),
            frequency_wording=sentence(rng, 4),
            site=rng.choice(SideEffect.Site.values),
            duration=sentence(rng, 6),
            what_is_normal=sentence(rng, 8),
            source_location="paragraph 6",
        )
        for effect in effects
    ]
    day = rng.randint(0, 3)
    for order, kind in enumerate(TIMELINE, start=1):
        high = day + rng.randint(0, day + 3)
        result.append(
            Milestone(
                **cited,
                order=order,
                kind=kind,
                days_min=day,
                days_max=high,
                wording=f"after {day} to {high} days",
                reading_note=sentence(rng, 8),
                source_location=f"paragraph {order + 3}",
            )
        )
        day = high + rng.randint(1, 30)
    return result


def popular_areas(create):
    """The dense catalogue's popular areas by slug: the seeded ones, and
    those the seed has not made."""
    found = BodyArea.objects.in_bulk(POPULAR, field_name="slug")
    for slug, (name, parent) in POPULAR.items():
        if slug not in found:
            area = BodyArea(name=name, slug=slug, parent=found.get(parent))
            found[slug] = create([area])[0]
    return found


def dense_chooser(popular, tail):
    """Three areas for a treatment of the dense catalogue (see THIGHS)."""
    others = [popular[slug] for slug in OTHERS] + tail
    weights = [*OTHERS.values(), *(TAIL / n for n in range(1, len(tail) + 1))]

    def choose(rng):
        chosen = []
        if rng.random() < THIGHS:
            chosen.append(popular["thighs" if rng.random() < 0.75 else "legs"])
        if rng.random() < BUTTOCKS:
            chosen.append(popular["buttocks"])
        while len(chosen) < 3:
            area = rng.choices(others, weights)[0]
            if area not in chosen:
                chosen.append(area)
        return chosen

    return choose


@transaction.atomic
def build(
    treatments=1000, *, drafts=None, areas=40, comparisons=20, seed=5, dense=False
):
    """`treatments` published treatments (and `drafts` unpublished ones, a
    twentieth by default) over `areas` body areas nested three deep, and
    `comparisons` curated comparisons of 2 and 4 treatments in turn, every
    fifth with a focus area. `dense`: most treatments in the popular areas
    (POPULAR), the synthetic ones a long tail. Bumps the content version,
    as a bulk write must (it sends no signals)."""
    rng = random.Random(seed)
    drafts = treatments // 20 if drafts is None else drafts
    created = []

    def create(objects):
        objects, by_model = list(objects), {}
        for record in objects:
            by_model.setdefault(type(record), []).append(record)
        for model, records in by_model.items():
            model.objects.bulk_create(records, batch_size=500)
        created.extend(objects)
        return objects

    sources = create(
        Source(
            slug=f"bench-source-{n}",
            title=f"Bench source {n}: a clinic's guide to body treatments",
            kind=Source.Kind.GENERAL_INTEREST,
            publisher="Bench Publishing",
            url=f"https://example.com/bench/{n}",
            date_updated=REVIEWED,
        )
        for n in range(1, 6)
    )
    # A quarter at the top, half inside those, the rest a level deeper;
    # parents are created first, so that each has its key.
    top = max(1, areas // 4)
    area_rows, parents = [], [None]
    for count in (top, areas // 2, areas - top - areas // 2):
        level = create(
            BodyArea(
                name=f"Bench area {len(area_rows) + n + 1:02}",
                slug=f"bench-area-{len(area_rows) + n + 1:02}",
                parent=parents[n % len(parents)],
            )
            for n in range(count)
        )
        area_rows, parents = area_rows + level, level or parents
    if dense:
        popular = popular_areas(create)
        choose_areas = dense_chooser(popular, area_rows)
        top_slugs = ["thighs", "buttocks", "stomach", "legs"]
        focus_areas = [popular[slug] for slug in top_slugs]
    else:

        def choose_areas(rng):
            return rng.sample(area_rows, 3)

        top_slugs = [area.slug for area in area_rows[:top]]
        focus_areas = area_rows
    effects = create(
        Effect(name=f"Bench effect {n:02}", slug=f"bench-effect-{n:02}")
        for n in range(10)
    )
    condition = Condition(
        name="Bench condition", slug="bench-condition", summary="What they treat."
    )
    create([condition])
    create(
        ConditionFact(
            condition=condition,
            order=n,
            text=sentence(rng),
            source=sources[0],
            source_location="p. 1",
        )
        for n in (1, 2)
    )
    # Made before they are saved, so that each treatment is saved with when
    # a person is back to daily activities, as its milestones' saves would
    # have stored it (TreatmentQuerySet.restate_daily_activities()).
    rows = [
        treatment(rng, n, sources, n < treatments) for n in range(treatments + drafts)
    ]
    plans = [session_plan(rng, row) for row in rows]
    every_fact = [
        fact for row in rows for fact in facts(rng, row, choose_areas, effects)
    ]
    for fact in every_fact:
        if isinstance(fact, Milestone) and fact.kind == Kind.DAILY_ACTIVITIES:
            fact.treatment.daily_activities_days = fact.days_min  # the first
    create(rows)
    create(plans)
    create(every_fact)
    create(
        Treatment.conditions.through(treatment=row, condition=condition) for row in rows
    )
    published = rows[:treatments]
    curated = create(
        Comparison(
            title=f"Bench comparison {n + 1:03}",
            slug=f"bench-comparison-{n + 1:03}",
            introduction=paragraph(rng, 2),
            focus_area=focus_areas[n % len(focus_areas)] if n % 5 == 0 else None,
            status=Status.PUBLISHED,
            last_reviewed=REVIEWED,
            next_review_due=a_year_after(REVIEWED),
        )
        for n in range(comparisons)
    )
    sizes = {c.slug: min(2 + 2 * (n % 2), treatments) for n, c in enumerate(curated)}
    create(
        ComparisonItem(comparison=comparison, treatment=chosen, position=position)
        for comparison in curated
        for position, chosen in enumerate(
            rng.sample(published, sizes[comparison.slug]), 1
        )
    )
    # bulk_create sends no signals: count the areas' treatments and bump
    # the content version, as an editor's saves would have.
    recount_areas()
    ContentVersion.bump()
    densest = BodyArea.objects.order_by("-treatment_count", "name").first()
    return Catalogue(
        treatments={row.slug: row.pk for row in published},
        top_areas=top_slugs,
        comparisons=sizes,
        rows=len(created),
        dense=dense,
        densest=(densest.name, densest.treatment_count),
    )


def summaries(pks):
    """{pk: summary} of these treatments, as the database holds them now."""
    return dict(Treatment.objects.filter(pk__in=pks).values_list("pk", "summary"))
