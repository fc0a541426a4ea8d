"""The seeded content: it loads, loads again without change, and cites."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from core.seeding import fixture_names
from tests.support.content import dump_content
from treatments.models import (
    BodyArea,
    CitedModel,
    ConditionFact,
    Milestone,
    SessionPlan,
    SideEffect,
    TreatedArea,
    Treatment,
)

pytestmark = pytest.mark.django_db

FIXTURE_FILES = sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))


def test_seed_loads_every_fixture_file():
    assert {path.stem for path in FIXTURE_FILES} == set(fixture_names())
    # Each file after those its records refer to: what everything cites
    # first, the treatments next, the comparisons of treatments last.
    order = fixture_names()
    first = {"sources", "body_areas", "effects", "conditions"}
    assert set(order[:4]) == first
    assert order.index("sources") < order.index("conditions")
    assert order[-1] == "comparisons"


def test_fixture_files_load_in_the_order_their_relations_need(tmp_path, settings):
    """The order comes from the models' relations, not from a list of file
    names: sources renamed to sort last by name still load first."""
    for path in FIXTURE_FILES:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "sources.json").rename(tmp_path / "zz-sources.json")
    settings.FIXTURE_DIRS = [tmp_path]
    order = fixture_names()
    for citing in ("conditions", "mesotherapy", "laser-cellulite-reduction"):
        assert order.index("zz-sources") < order.index(citing)
    assert order[-1] == "comparisons"


def test_fixtures_use_natural_keys_not_primary_keys():
    for path in FIXTURE_FILES:
        for record in json.loads(path.read_text()):
            assert "pk" not in record, f"{path.name}: {record['model']} has a pk"


def test_seed_twice_changes_nothing(seeded):
    first = dump_content()
    counts = {
        model: model.objects.count()
        for model in apps.get_app_config("treatments").get_models()
    }
    call_command("seed", "--strict", verbosity=0)
    assert dump_content() == first
    assert counts == {
        model: model.objects.count()
        for model in apps.get_app_config("treatments").get_models()
    }
    assert Treatment.objects.count() == 3


def test_seed_gives_the_slugs_the_site_promises(seeded):
    assert set(Treatment.objects.values_list("slug", flat=True)) == {
        "laser-cellulite-reduction",
        "mesotherapy",
        "no-treatment",
    }
    assert list(Treatment.objects.catalogue().values_list("slug", flat=True)) == [
        "laser-cellulite-reduction",
        "mesotherapy",
    ]
    assert Treatment.objects.get(slug="no-treatment").is_baseline
    assert set(BodyArea.objects.values_list("slug", flat=True)) >= {
        "thighs",
        "buttocks",
        "stomach",
        "arms",
        "back",
        "legs",
    }
    assert BodyArea.objects.get(slug="thighs").parent.slug == "legs"


def test_every_record_cites_a_source(seeded):
    cited_models = [
        model
        for model in apps.get_app_config("treatments").get_models()
        if issubclass(model, CitedModel)
    ]
    assert set(cited_models) == {
        ConditionFact,
        TreatedArea,
        SessionPlan,
        SideEffect,
        Milestone,
    }
    for model in [*cited_models, Treatment]:
        records = list(model.objects.select_related("source"))
        assert records, f"no {model.__name__} was seeded"
        for record in records:
            assert record.source.title, f"{model.__name__} {record} cites no source"
            assert record.source_location.strip(), (
                f"{model.__name__} {record} does not say where in the source"
            )


def test_every_treatment_has_its_facts(seeded):
    for treatment in Treatment.objects.catalogue():
        assert SessionPlan.objects.filter(treatment=treatment).exists()
        assert treatment.side_effects.exists()
        assert treatment.milestones.exists()
        assert treatment.treated_areas.exists()


def test_every_seeded_record_passes_the_models_own_rules(seeded):
    # loaddata saves without clean(); check the content against it too.
    for model in apps.get_app_config("treatments").get_models():
        for record in model.objects.all():
            record.full_clean()
