"""The rules on catalogue data, at the database and in clean()."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from tests.factories import make_area, make_source, make_treatment
from tests.support.rules import refused_by
from treatments.areas import AreaTree, recount_areas
from treatments.models import (
    BodyArea,
    CatalogueCount,
    Milestone,
    SessionPlan,
    TreatedArea,
    Treatment,
)

pytestmark = pytest.mark.django_db


def area_counts():
    return {area.name: area.treatment_count for area in BodyArea.objects.all()}


def cited():
    return {"source": make_source(), "source_location": "p. 1"}


def milestone(treatment, **fields):
    values = {
        "treatment": treatment,
        "order": 1,
        "kind": Milestone.Kind.EXERCISE,
        "days_min": 14,
        "days_max": 21,
        "wording": "after a couple of weeks",
        "source": treatment.source,
        "source_location": "item 2",
    }
    values.update(fields)
    return Milestone(**values)


class TestDatabaseConstraints:
    """Saved without clean(): only the database stands in the way."""

    def test_milestone_range_must_not_be_reversed(self):
        treatment = make_treatment()
        refused_by(
            Milestone,
            "treatments_milestone_days_min_lte_days_max",
            lambda: milestone(treatment, days_min=21, days_max=14).save(),
        )

    def test_milestone_days_cannot_be_negative(self):
        treatment = make_treatment()
        refused_by(
            Milestone,
            "treatments_milestone_days_min_not_negative",
            lambda: milestone(treatment, days_min=-1).save(),
        )

    def test_milestone_order_is_unique_per_treatment(self):
        treatment = make_treatment()
        milestone(treatment, order=1).save()
        refused_by(
            Milestone,
            "treatments_milestone_unique_order",
            lambda: milestone(treatment, order=1).save(),
        )
        # The same position on another treatment's timeline is fine.
        milestone(make_treatment(), order=1).save()
        assert Milestone.objects.filter(order=1).count() == 2

    @pytest.mark.parametrize(
        ("fields", "constraint"),
        [
            (
                {"sessions_min": 5, "sessions_max": 3},
                "treatments_sessionplan_sessions_min_lte_sessions_max",
            ),
            (
                {"sessions_typical": 12, "sessions_max": 10},
                "treatments_sessionplan_sessions_typical_lte_sessions_max",
            ),
            (
                {
                    "sessions_typical": 10,
                    "interval_min_days": 14,
                    "interval_max_days": 7,
                },
                "treatments_sessionplan_interval_min_days_lte_interval_max_days",
            ),
            (
                {
                    "sessions_typical": 10,
                    "results_after_min": 3,
                    "results_after_max": 2,
                },
                "treatments_sessionplan_results_after_min_lte_results_after_max",
            ),
            (
                {"sessions_typical": -2},
                "treatments_sessionplan_sessions_typical_not_negative",
            ),
            (
                {"sessions_typical": 10, "interval_min_days": -7},
                "treatments_sessionplan_interval_min_days_not_negative",
            ),
            ({}, "treatments_sessionplan_course_has_count"),
        ],
    )
    def test_session_plan_ranges(self, fields, constraint):
        treatment = make_treatment()
        treatment.session_plan.delete()

        def create():
            SessionPlan.objects.create(
                treatment=treatment,
                kind=SessionPlan.Kind.COURSE,
                source=treatment.source,
                source_location="p. 5",
                **fields,
            )

        refused_by(SessionPlan, constraint, create)

    def test_only_a_course_has_a_number_of_sessions(self):
        treatment = make_treatment()
        treatment.session_plan.delete()
        refused_by(
            SessionPlan,
            "treatments_sessionplan_counts_only_for_course",
            lambda: SessionPlan.objects.create(
                treatment=treatment,
                kind=SessionPlan.Kind.NOT_STATED,
                sessions_typical=3,
                source=treatment.source,
                source_location="p. 5",
            ),
        )

    def test_treatment_slugs_are_unique(self):
        make_treatment("Mesotherapy", slug="mesotherapy")
        refused_by(
            Treatment,
            "slug",
            lambda: make_treatment("Mesotherapy two", slug="mesotherapy"),
        )
        assert Treatment.objects.filter(slug="mesotherapy").count() == 1

    def test_body_area_slugs_are_unique(self):
        make_area("Legs")
        refused_by(
            BodyArea,
            "slug",
            lambda: BodyArea.objects.create(name="Lower limbs", slug="legs"),
        )
        assert BodyArea.objects.count() == 1

    def test_body_area_cannot_be_its_own_parent(self):
        legs = make_area("Legs")
        legs.parent_id = legs.pk
        refused_by(BodyArea, "treatments_bodyarea_not_own_parent", legs.save)


class TestCleanRepeatsTheRules:
    """The admin calls full_clean(): the message lands on the field to fix."""

    def test_reversed_days_name_the_later_field(self):
        treatment = make_treatment()
        with pytest.raises(ValidationError) as error:
            milestone(treatment, days_min=21, days_max=14).full_clean()
        assert list(error.value.message_dict) == ["days_max"]
        assert error.value.message_dict["days_max"] == [
            "This must not be less than the earliest day (21)."
        ]

    def test_negative_days_are_refused_on_their_field(self):
        treatment = make_treatment()
        with pytest.raises(ValidationError) as error:
            milestone(treatment, days_min=-3).full_clean()
        assert error.value.message_dict == {"days_min": ["This cannot be negative."]}

    def test_a_valid_milestone_passes(self):
        milestone(make_treatment()).full_clean()

    def test_session_plan_typical_above_most(self):
        treatment = make_treatment()
        plan = treatment.session_plan
        plan.kind = SessionPlan.Kind.COURSE
        plan.sessions_typical, plan.sessions_max = 12, 10
        with pytest.raises(ValidationError) as error:
            plan.full_clean()
        assert "sessions_max" in error.value.message_dict
        assert (
            "typical number of sessions (12)"
            in error.value.message_dict["sessions_max"][0]
        )

    def test_session_counts_need_a_course(self):
        plan = make_treatment().session_plan
        plan.kind = SessionPlan.Kind.SINGLE
        plan.sessions_typical = 3
        with pytest.raises(ValidationError) as error:
            plan.full_clean()
        assert (
            "only a course of sessions"
            in error.value.message_dict["sessions_typical"][0]
        )

    def test_a_course_needs_a_count(self):
        plan = make_treatment().session_plan
        plan.kind = SessionPlan.Kind.COURSE
        with pytest.raises(ValidationError) as error:
            plan.full_clean()
        assert error.value.message_dict["sessions_typical"] == [
            "Give the typical or the largest number of sessions."
        ]

    def test_body_area_cannot_sit_inside_its_own_child(self):
        legs = make_area("Legs")
        thighs = make_area("Thighs", parent=legs)
        legs.parent = thighs
        with pytest.raises(ValidationError) as error:
            legs.full_clean()
        assert error.value.message_dict == {
            "parent": ["A body area cannot sit inside itself."]
        }


class TestAreaTree:
    def test_descendants_include_every_depth(self):
        legs = make_area("Legs")
        thighs = make_area("Thighs", parent=legs)
        inner = make_area("Inner thighs", parent=thighs)
        arms = make_area("Arms")
        tree = AreaTree.load()
        assert tree.descendant_ids([legs.pk]) == {legs.pk, thighs.pk, inner.pk}
        assert tree.descendant_ids([arms.pk]) == {arms.pk}

    def test_ordered_puts_children_under_their_parent(self):
        legs = make_area("Legs")
        make_area("Thighs", parent=legs)
        make_area("Arms")
        make_area("Zygoma")
        ordered = [(area.name, depth) for area, depth in AreaTree.load().ordered()]
        assert ordered == [("Arms", 0), ("Legs", 0), ("Thighs", 1), ("Zygoma", 0)]

    def test_counts_are_distinct_treatments_including_inner_areas(self, committed):
        with committed():
            legs = make_area("Legs")
            thighs = make_area("Thighs", parent=legs)
            calves = make_area("Calves", parent=legs)
            make_treatment(areas=[legs, thighs])
            make_treatment(areas=[thighs])
            make_treatment(areas=[calves])
            make_treatment(areas=[thighs], status="draft")
        # Thighs: its two, and none of the calves'; legs: all three.
        assert area_counts() == {"Legs": 3, "Thighs": 2, "Calves": 2}

    def test_counts_follow_every_change(self, committed):
        """Stored on the areas, the counts are recounted when a change
        commits: publishing and unpublishing, areas linked and unlinked, an
        area moved or deleted, a treatment deleted."""
        with committed():
            legs = make_area("Legs")
            thighs = make_area("Thighs", parent=legs)
            arms = make_area("Arms")
            first = make_treatment(areas=[thighs])
            second = make_treatment(areas=[arms], status="draft")
        assert area_counts() == {"Legs": 1, "Thighs": 1, "Arms": 0}

        def change(edit, **fields):
            with committed():
                for name, value in fields.items():
                    setattr(edit, name, value)
                edit.save()
            return area_counts()

        assert change(second, status="published") == {"Legs": 1, "Thighs": 1, "Arms": 1}

        with committed():
            second.body_areas.add(legs, through_defaults=cited())
        assert area_counts() == {"Legs": 2, "Thighs": 2, "Arms": 1}

        with committed():
            second.treated_areas.get(body_area=legs).delete()
        assert area_counts() == {"Legs": 1, "Thighs": 1, "Arms": 1}

        # An editor's mistake, then put right.
        assert change(thighs, parent=arms) == {"Legs": 0, "Thighs": 2, "Arms": 2}
        assert change(thighs, parent=legs) == {"Legs": 1, "Thighs": 1, "Arms": 1}

        assert change(second, is_baseline=True) == {"Legs": 1, "Thighs": 1, "Arms": 0}

        with committed():
            first.delete()
            thighs.delete()
        assert area_counts() == {"Legs": 0, "Arms": 0}

    def test_the_catalogue_total_follows_every_change(self, committed):
        """Stored beside the areas' counts: the treatments the catalogue
        lists, published and not baselines, with or without areas."""
        with committed():
            first = make_treatment()
            second = make_treatment(areas=[make_area("Legs")], status="draft")
            make_treatment(is_baseline=True)
        assert CatalogueCount.objects.current() == 1

        def change(**fields):
            with committed():
                for name, value in fields.items():
                    setattr(second, name, value)
                second.save()
            return CatalogueCount.objects.current()

        assert change(status="published") == 2
        assert change(is_baseline=True) == 1
        assert change(is_baseline=False) == 2
        with committed():
            first.delete()
        assert CatalogueCount.objects.current() == 1
        # Not content: backups leave it out, and a restore counts again.
        assert not CatalogueCount._default_manager.exists()

    def test_a_bulk_change_is_counted_by_calling_recount(self, committed):
        with committed():
            legs = make_area("Legs")
            make_treatment(areas=[legs])
        Treatment.objects.update(status="draft")  # no signals
        assert area_counts() == {"Legs": 1}
        assert CatalogueCount.objects.current() == 1
        assert recount_areas() is True
        assert area_counts() == {"Legs": 0}
        assert CatalogueCount.objects.current() == 0
        assert recount_areas() is False
        # The total alone changing is a change too.
        make_treatment(name="Without areas")  # its recount waits for a commit
        assert recount_areas() is True
        assert CatalogueCount.objects.current() == 1

    def test_many_changes_are_counted_once_when_they_commit(self, committed):
        areas = [make_area(name) for name in ("Legs", "Arms", "Back")]
        treatment = make_treatment()
        with committed() as callbacks:
            for area in areas:  # as an import, loaddata or the seed do
                TreatedArea.objects.create(
                    treatment=treatment, body_area=area, **cited()
                )
            assert set(area_counts().values()) == {0}  # not yet
        recounted = CaptureQueriesContext(connection)
        with recounted:
            for callback in callbacks:
                callback()  # again: nothing left to count
        # Other callbacks may run queries of their own (with Redis, the
        # content version is published): none of them counts areas again.
        assert not [
            query
            for query in recounted.captured_queries
            if "treatments_" in query["sql"]
        ]
        assert area_counts() == {"Legs": 1, "Arms": 1, "Back": 1}

    def test_a_page_cached_before_the_recount_is_not_served(self, committed, client):
        with committed():
            legs = make_area("Legs")
        with committed():
            make_treatment(areas=[legs])
            # Between the edit and its recount: cached with the old count.
            page = client.get("/treatments/")
            assert "Legs (0 treatments)" in page.content.decode()
        page = client.get("/treatments/")
        assert page["X-Cache"] == "miss"
        assert "Legs (1 treatment)" in page.content.decode()

    def test_an_area_takes_in_the_areas_inside_it_and_around_it(self):
        legs = make_area("Legs")
        thighs = make_area("Thighs", parent=legs)
        calves = make_area("Calves", parent=legs)
        arms = make_area("Arms")
        tree = AreaTree.load()
        assert tree.matching_ids([legs.pk]) == {legs.pk, thighs.pk, calves.pk}
        assert tree.matching_ids([thighs.pk]) == {thighs.pk, legs.pk}
        assert tree.matching_ids([arms.pk]) == {arms.pk}

    def test_a_cycle_in_the_data_does_not_hang(self):
        tree = AreaTree([])
        a = BodyArea(pk=1, name="A", slug="a", parent_id=2)
        b = BodyArea(pk=2, name="B", slug="b", parent_id=1)
        tree = AreaTree([a, b])
        assert tree.descendant_ids([1]) == {1, 2}
        assert tree.ordered() == []


class TestDailyActivitiesStored:
    """When a person is back to daily activities, stored on the treatment
    for the catalogue's sort: the earliest day of its first such milestone,
    kept in the same transaction as any change."""

    def stored(self, treatment):
        return Treatment.objects.get(pk=treatment.pk).daily_activities_days

    def test_follows_its_milestones(self):
        treatment = make_treatment()
        assert self.stored(treatment) is None
        later = milestone(
            treatment, order=3, kind=Milestone.Kind.DAILY_ACTIVITIES, days_min=9
        )
        later.save()
        assert self.stored(treatment) == 9
        first = milestone(
            treatment, order=1, kind=Milestone.Kind.DAILY_ACTIVITIES, days_min=2
        )
        first.save()
        assert self.stored(treatment) == 2  # the first on the timeline
        first.days_min = 1
        first.save()
        assert self.stored(treatment) == 1
        first.kind = Milestone.Kind.EXERCISE
        first.save()
        assert self.stored(treatment) == 9
        later.delete()
        assert self.stored(treatment) is None

    def test_a_save_of_the_treatment_never_writes_an_older_figure(self):
        treatment = make_treatment()
        loaded = Treatment.objects.get(pk=treatment.pk)  # before the milestone
        milestone(treatment, kind=Milestone.Kind.DAILY_ACTIVITIES, days_min=4).save()
        loaded.summary = "Changed."
        loaded.save()
        assert self.stored(treatment) == 4

    def test_a_bulk_change_is_restated_by_calling_restate(self):
        treatment = make_treatment()
        Milestone.objects.bulk_create(
            [milestone(treatment, kind=Milestone.Kind.DAILY_ACTIVITIES, days_min=6)]
        )
        assert self.stored(treatment) is None  # no signals
        assert Treatment.objects.restate_daily_activities() == 1
        assert self.stored(treatment) == 6


class TestSessionPlanWords:
    @pytest.mark.parametrize(
        ("fields", "sessions", "interval", "results"),
        [
            (
                {
                    "kind": "course",
                    "sessions_typical": 10,
                    "interval_min_days": 7,
                    "interval_max_days": 14,
                    "results_after_min": 2,
                    "results_after_max": 3,
                },
                "Typically 10",
                "Every 7–14 days",
                "After 2–3 sessions",
            ),
            (
                {"kind": "course", "sessions_min": 4, "sessions_max": 6},
                "4–6 sessions",
                "",
                "",
            ),
            ({"kind": "single"}, "A single procedure", "", ""),
            ({"kind": "not-stated"}, "", "", ""),
        ],
    )
    def test_summaries(self, fields, sessions, interval, results):
        plan = SessionPlan(**fields)
        assert plan.sessions_summary == sessions
        assert plan.interval_summary == interval
        assert plan.results_summary == results


def test_source_in_use_cannot_be_deleted():
    source = make_source()
    make_treatment(source=source)
    with pytest.raises(ProtectedError):
        source.delete()
