"""The synthetic catalogue: the promised counts, and valid records."""

import pytest

from bench.catalogue import area_parents, build
from comparisons.models import Comparison, ComparisonItem
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


def test_counts(catalogue):
    assert len(catalogue.treatments) == Treatment.objects.published().count() == 12
    assert len(catalogue.drafts) == 2
    assert Treatment.objects.count() == 14
    assert BodyArea.objects.count() == len(catalogue.areas) == 8
    assert SessionPlan.objects.count() == 14
    for treatment in Treatment.objects.all():
        assert treatment.treated_areas.count() == 3
        assert treatment.side_effects.count() == 10
        assert treatment.milestones.count() == 6
        assert treatment.conditions.count() == 1
    assert catalogue.counts["treatments.SideEffect"] == 140
    assert SideEffect.objects.values("effect").distinct().count() == 10


def test_areas_are_nested_three_deep(catalogue):
    tree = AreaTree.load()
    depths = {area.slug: depth for area, depth in tree.ordered()}
    assert len(depths) == 8
    assert set(depths.values()) == {0, 1, 2}


def test_area_parents_come_before_their_children():
    for count in (1, 2, 3, 8, 40):
        parents = area_parents(count)
        assert len(parents) == count
        assert parents[0] is None
        assert all(p is None or p < index for index, p in enumerate(parents))


def test_comparisons_of_two_and_four(catalogue):
    assert sorted(catalogue.comparisons.values()) == [2, 2, 4, 4]
    for slug, size in catalogue.comparisons.items():
        comparison = Comparison.objects.published().get(slug=slug)
        assert comparison.items.count() == size


def test_a_sample_of_every_model_passes_full_clean(catalogue):
    for model in (
        Treatment,
        SessionPlan,
        TreatedArea,
        SideEffect,
        Milestone,
        BodyArea,
        Comparison,
        ComparisonItem,
    ):
        for record in model.objects.all()[:5]:
            record.full_clean()


def test_pages_answer(client, catalogue):
    treatment = catalogue.treatments[0]
    comparison = next(iter(catalogue.comparisons))
    for url in (
        "/",
        "/treatments/",
        f"/treatments/?body_area={catalogue.areas[0]}&invasiveness=surgical",
        f"/treatments/{treatment}/",
        f"/compare/?treatments={treatment}&treatments={catalogue.treatments[1]}",
        f"/compare/{comparison}/",
    ):
        assert client.get(url).status_code == 200, url


def test_refuses_impossible_shapes(db):
    with pytest.raises(ValueError):
        build(2, effects=3, side_effects=4)
    with pytest.raises(ValueError):
        build(2, milestone_count=7)
    with pytest.raises(ValueError):
        build(2, areas=2, areas_each=3)
