"""Small factories for tests: content records with sensible defaults."""

import datetime
import itertools

from treatments.models import (
    BodyArea,
    Effect,
    Milestone,
    SessionPlan,
    SideEffect,
    Source,
    TreatedArea,
    Treatment,
)

_numbers = itertools.count(1)


def make_source(**fields):
    number = next(_numbers)
    fields.setdefault("slug", f"source-{number}")
    fields.setdefault("title", f"Source {number}")
    fields.setdefault("kind", Source.Kind.GENERAL_INTEREST)
    return Source.objects.create(**fields)


def make_area(name, parent=None):
    return BodyArea.objects.create(name=name, slug=name.lower(), parent=parent)


def make_treatment(name=None, *, areas=(), source=None, plan=None, **fields):
    """A treatment with its session plan and body areas.

    `plan` is a dict of SessionPlan fields; by default, "not stated".
    """
    number = next(_numbers)
    name = name or f"Treatment {number}"
    source = source or make_source()
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    fields.setdefault("summary", f"What {name} is.")
    fields.setdefault("invasiveness", Treatment.Invasiveness.NON_INVASIVE)
    fields.setdefault("status", "published")
    fields.setdefault("last_reviewed", datetime.date(2026, 11, 21))
    fields.setdefault("source_location", "paragraph 1")
    treatment = Treatment.objects.create(name=name, source=source, **fields)
    SessionPlan.objects.create(
        treatment=treatment,
        source=source,
        source_location="paragraph 2",
        **(plan or {"kind": SessionPlan.Kind.NOT_STATED}),
    )
    for area in areas:
        TreatedArea.objects.create(
            treatment=treatment, body_area=area, source=source, source_location="p. 3"
        )
    return treatment


def add_facts(treatment, *, side_effects=3, milestones=3):
    """Give a treatment side effects and milestones, as a full page has."""
    for index in range(side_effects):
        effect, _ = Effect.objects.get_or_create(
            slug=f"effect-{index}", defaults={"name": f"Effect {index}"}
        )
        SideEffect.objects.create(
            treatment=treatment,
            effect=effect,
            frequency=SideEffect.Frequency.COMMON,
            source=treatment.source,
            source_location="paragraph 4",
        )
    for order in range(1, milestones + 1):
        Milestone.objects.create(
            treatment=treatment,
            order=order,
            kind=Milestone.Kind.DAILY_ACTIVITIES,
            days_min=order,
            days_max=order + 1,
            wording=f"after {order} days",
            source=treatment.source,
            source_location="paragraph 5",
        )
    return treatment
