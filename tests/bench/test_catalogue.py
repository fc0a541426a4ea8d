"""The synthetic catalogue: the promised shape, valid records, pages."""

import pytest

from bench.benchmark import page_kinds
from bench.catalogue import build, summaries
from comparisons.models import Comparison, ComparisonItem
from core.models import ContentVersion
from treatments.areas import AreaTree
from treatments.models import (
    BodyArea,
    Milestone,
    SessionPlan,
    SideEffect,
    TreatedArea,
    Treatment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return build(12, drafts=2, areas=8, comparisons=4)


def test_shape(catalogue):
    assert Treatment.objects.published().count() == len(catalogue.treatments) == 12
    assert Treatment.objects.count() == 14
    # Sources, areas, effects, a condition and its facts; treatments with a
    # plan, areas, side effects, milestones and the condition; comparisons.
    assert catalogue.rows == 5 + 8 + 10 + 3 + 14 * (1 + 1 + 3 + 10 + 6 + 1) + 4 + 12
    for treatment in Treatment.objects.all():
        assert treatment.treated_areas.count() == 3
        assert treatment.side_effects.count() == 10
        assert treatment.milestones.count() == 6
        assert treatment.conditions.count() == 1
    depths = {area.slug: depth for area, depth in AreaTree.load().ordered()}
    assert len(depths) == 8
    assert set(depths.values()) == {0, 1, 2}
    assert catalogue.top_areas == [slug for slug, depth in depths.items() if depth == 0]
    assert sorted(catalogue.comparisons.values()) == [2, 2, 4, 4]
    for slug, size in catalogue.comparisons.items():
        assert Comparison.objects.published().get(slug=slug).items.count() == size


def test_a_dense_catalogue_holds_most_treatments_in_one_area_tree(db):
    catalogue = build(200, drafts=0, areas=12, comparisons=5, dense=True)
    counts = dict(BodyArea.objects.values_list("slug", "treatment_count"))
    # The thighs take in the legs' treatments and the legs the thighs'.
    assert counts["thighs"] == counts["legs"] == catalogue.densest[1]
    assert catalogue.densest == ("Legs", counts["legs"])
    assert 0.5 * 200 < counts["thighs"] < 0.7 * 200
    assert 0.35 * 200 < counts["buttocks"] < 0.55 * 200
    tail = sorted(count for slug, count in counts.items() if slug.startswith("bench"))
    assert tail[-1] < counts["buttocks"]
    assert catalogue.top_areas == ["thighs", "buttocks", "stomach", "legs"]
    for treatment in Treatment.objects.all():
        assert treatment.treated_areas.count() == 3
    focus = Comparison.objects.exclude(focus_area=None).values_list(
        "focus_area__slug", flat=True
    )
    assert list(focus) == ["thighs"]


def test_a_dense_catalogue_uses_the_seeded_areas(seeded):
    legs = BodyArea.objects.get(slug="legs")
    build(20, drafts=0, areas=4, comparisons=0, dense=True)
    assert BodyArea.objects.get(slug="thighs").parent == legs
    assert BodyArea.objects.filter(slug__in=["legs", "thighs", "back"]).count() == 3


def test_each_treatment_is_stored_as_its_milestones_would_store_it(catalogue):
    built = dict(Treatment.objects.values_list("pk", "daily_activities_days"))
    assert None not in built.values()
    Treatment.objects.restate_daily_activities()
    assert dict(Treatment.objects.values_list("pk", "daily_activities_days")) == built


def test_a_bulk_build_bumps_the_content_version(db):
    before = ContentVersion.current()[0]
    build(2, areas=4, comparisons=0)
    assert ContentVersion.current()[0] == before + 1


def test_a_sample_of_every_model_passes_full_clean(catalogue):
    for model in (Treatment, SessionPlan, TreatedArea, SideEffect, Milestone):
        for record in model.objects.all()[:5]:
            record.full_clean()
    for model in (BodyArea, Comparison, ComparisonItem):
        for record in model.objects.all():
            record.full_clean()


def test_every_address_of_every_page_kind_answers(client, catalogue):
    kinds = page_kinds(catalogue, variants=3)
    assert set(kinds) == {
        "home",
        "catalogue",
        "filtered catalogue",
        "body area",
        "search",
        "treatment",
        "picker",
        "compare 2",
        "compare 4",
        "curated",
        "healthz",
    }
    assert kinds["picker"] == ["/compare/"]
    for name, urls in kinds.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            if name == "compare 4":
                assert len(response.context["treatments"]) == 4
            if url == "/treatments/?q=collagen":
                found = response.context["treatments"]
                assert found
                assert all(
                    "collagen" in t.summary + t.how_it_works + t.what_happens
                    for t in found
                )


def test_summaries(catalogue):
    pk = catalogue.treatments[next(iter(catalogue.treatments))]
    Treatment.objects.filter(pk=pk).update(summary="Changed.")
    assert summaries([pk]) == {pk: "Changed."}
