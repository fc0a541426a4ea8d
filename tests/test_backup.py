"""Nothing lost: the content, dumped as natural-key JSON and loaded into an
empty database, dumps again byte for byte the same. The commands are the
ones docs/operations.md gives under "Backup and restore"."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from comparisons.models import Comparison, ComparisonItem
from tests.factories import (
    add_facts,
    make_area,
    make_source,
    make_treatment,
)
from tests.support.content import dump_content
from treatments.models import (
    Condition,
    ConditionFact,
    Effect,
    Milestone,
    SessionPlan,
    SideEffect,
    TreatedArea,
    Treatment,
)

pytestmark = pytest.mark.django_db

CONTENT_APPS = ["treatments", "comparisons"]
# Text that breaks naive serialisers: quotes, markup, line breaks, a tab,
# a backslash, accents and characters outside the Basic Multilingual Plane.
AWKWARD = 'Line one, “curly” and "straight" quotes, <b>&amp;</b>\nline\ttwo \\ é ß 😀'


def dump():
    return dump_content(CONTENT_APPS)


def content_models():
    """The models a fixture can hold: those with natural keys."""
    return {
        model._meta.label_lower
        for app in CONTENT_APPS
        for model in apps.get_app_config(app).get_models()
        if hasattr(model, "natural_key")
    }


def every_field_filled():
    """Records beside the seeded content with every optional field set, so
    that the round trip carries each field with a value in it."""
    source = make_source(
        slug="full-source",
        title=f"Full source: {AWKWARD}",
        publisher="A publisher",
        author="An author",
        url="https://example.org/article?a=1&b=2#part",
        date_updated=datetime.date(2025, 2, 28),
        notes=AWKWARD,
        link_status=404,
        link_checked_at=datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC),
        link_error="Not Found",
        text_fingerprint="0" * 64,
        text_changed_at=datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC),
        facts_checked_at=datetime.datetime(2026, 10, 2, 9, 30, tzinfo=datetime.UTC),
    )
    outer = make_area("Torso")
    inner = make_area("Waist", parent=outer)
    condition = Condition.objects.create(
        name="Stretch marks", slug="stretch-marks", summary=AWKWARD[:300]
    )
    ConditionFact.objects.create(
        condition=condition,
        order=1,
        text=AWKWARD,
        source=source,
        source_location="paragraph 1",
    )
    text = {
        name: f"{name}: {AWKWARD}"
        for name in (
            "how_it_works",
            "what_happens",
            "anaesthesia_details",
            "how_it_feels",
            "performed_by",
            "before_first_session",
            "effectiveness",
            "results_duration",
            "maintenance_details",
            "cautions",
            "where_to_have_it",
            "questions_to_ask",
            "reading_notes",
        )
    }
    full = make_treatment(
        "Full treatment",
        areas=[],
        source=source,
        plan={
            "kind": SessionPlan.Kind.COURSE,
            "sessions_min": 2,
            "sessions_max": 6,
            "sessions_typical": 4,
            "sessions_wording": AWKWARD[:200],
            "interval_min_days": 7,
            "interval_max_days": 14,
            "interval_wording": "every week or two",
            "results_after_min": 1,
            "results_after_max": 3,
            "results_wording": "after a few sessions",
            "reading_note": AWKWARD,
        },
        summary=AWKWARD[:200],
        invasiveness=Treatment.Invasiveness.MINIMALLY_INVASIVE,
        anaesthesia=Treatment.Anaesthesia.LOCAL,
        maintenance=Treatment.Maintenance.SOMETIMES,
        last_reviewed=datetime.date(2026, 1, 31),
        unpublish_at=datetime.datetime(2027, 1, 31, 9, 0, tzinfo=datetime.UTC),
        **text,
    )
    full.conditions.set([condition, *Condition.objects.filter(slug="cellulite")])
    TreatedArea.objects.create(
        treatment=full,
        body_area=inner,
        note=AWKWARD[:300],
        source=source,
        source_location="paragraph 3",
    )
    effect = Effect.objects.create(name="Redness", slug="redness")
    SideEffect.objects.create(
        treatment=full,
        effect=effect,
        frequency=SideEffect.Frequency.RARE,
        frequency_wording="in a few people",
        site=SideEffect.Site.INJECTION_SITE,
        duration="a day or two",
        what_is_normal=AWKWARD[:300],
        source=source,
        source_location="paragraph 4",
    )
    Milestone.objects.create(
        treatment=full,
        order=1,
        kind=Milestone.Kind.EXERCISE,
        days_min=2,
        days_max=3,
        wording="after a couple of days",
        reading_note="“a couple of days” read as 2 to 3 days",
        source=source,
        source_location="paragraph 5",
    )
    draft = add_facts(make_treatment("Draft", status="draft", is_baseline=True))
    comparison = Comparison.objects.create(
        title=f"Full comparison {AWKWARD[:50]}",
        slug="full-comparison",
        introduction=AWKWARD,
        focus_area=inner,
        status="published",
        last_reviewed=datetime.date(2026, 3, 1),
        unpublish_at=datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC),
    )
    for position, treatment in enumerate(
        [full, draft, Treatment.objects.get(slug="mesotherapy")], start=1
    ):
        ComparisonItem.objects.create(
            comparison=comparison, treatment=treatment, position=position
        )


def assert_every_optional_field_filled(records):
    """Each optional field of each content model has a value in some record,
    so that a field added later is part of the round trip too. A derived
    field (serialize=False: Treatment.daily_activities_days) is not content,
    and not in backups."""
    for model in content_models():
        fields = apps.get_model(model)._meta.get_fields()
        optional = {
            field.name
            for field in fields
            if field.concrete
            and not field.auto_created
            and field.serialize
            and (field.null or field.blank)
        }
        filled = {
            name
            for record in records
            if record["model"] == model
            for name, value in record["fields"].items()
            if value not in ("", None, [])
        }
        assert optional <= filled, f"{model}: nothing in {optional - filled}"


def test_dump_load_dump_gives_back_the_same_content(seeded, tmp_path):
    every_field_filled()
    before = dump()
    records = json.loads(before)
    assert {record["model"] for record in records} == content_models()
    assert all("pk" not in record for record in records)  # natural keys only
    assert_every_optional_field_filled(records)
    backup = tmp_path / "backup.json"
    backup.write_text(before, encoding="utf-8")

    # Inside the test's transaction, PostgreSQL truncates only once the
    # deferred foreign-key checks have run.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    assert json.loads(dump()) == []  # an empty database

    call_command("loaddata", str(backup), verbosity=0)
    after = dump()
    assert after == before
    assert Treatment.objects.get(slug="full-treatment").how_it_works.endswith(AWKWARD)
