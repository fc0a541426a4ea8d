"""The seed loads the first content once; after that it belongs to editors.

Each test seeds, acts as an editor would (through the admin, or through the
ORM inside a revision as the admin saves), seeds again, and checks that the
editor's state stands.
"""

import io
import json
import shutil

import pytest
import reversion
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from reversion.models import Revision

from comparisons.models import Comparison
from core.models import ContentVersion, SeedRecord
from core.seeding import fixture_paths, natural_key_fields
from tests.support.content import changed_tables, tables, write
from treatments.models import (
    BodyArea,
    SideEffect,
    TreatedArea,
    Treatment,
)

pytestmark = pytest.mark.django_db

MESO = "mesotherapy"
LASER = "laser-cellulite-reduction"


# What a seed into a database with no seed records writes and says, kept
# by this process after the first such seed: {(arguments, fixture files,
# every table before): (the tables it changed as it left them, (stdout,
# stderr))}.
FRESH_SEEDS = {}


def seed(*args, replay=True):
    """Run the seed; (stdout, stderr).

    Most tests start by seeding the migrated, empty database: the state they
    start from, not what they test. Such a seed writes the same rows and
    says the same each time, given the same arguments and fixture files and
    every table as it was before, so after the module's first it is
    replayed (its rows written again as it left them, as
    tests.support.content.SeededRows does: 0.05 s instead of 0.4 s). Any
    other seed runs; so does every seed with `replay=False`, and every seed
    on PostgreSQL, whose triggers write rows of their own (SeededRows)."""
    key = None
    if connection.vendor == "sqlite" and not SeedRecord.objects.exists():
        before = tables()
        fixtures = tuple((p.name, p.read_bytes()) for p in fixture_paths())
        key = (args, fixtures, repr(sorted(before.items())))
        if replay and key in FRESH_SEEDS:
            changed, said = FRESH_SEEDS[key]
            write(changed)
            return said
    out, err = io.StringIO(), io.StringIO()
    call_command("seed", *args, stdout=out, stderr=err)
    said = out.getvalue(), err.getvalue()
    if key is not None:
        FRESH_SEEDS[key] = (changed_tables(before, tables()), said)
    return said


def check():
    """`seed --check`: (exit status, stdout)."""
    out = io.StringIO()
    try:
        call_command("seed", "--check", stdout=out, stderr=io.StringIO())
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def as_editor(change):
    """Make a change the way the admin does: inside a revision."""
    with reversion.create_revision():
        reversion.set_comment("An editor's change")
        change()


@pytest.fixture
def fixtures_dir(tmp_path, settings):
    """A copy of fixtures/ that a test may add to, in place of the real one."""
    folder = tmp_path / "fixtures"
    shutil.copytree(django_settings.BASE_DIR / "fixtures", folder)
    settings.FIXTURE_DIRS = [folder]
    return folder


def add_to_fixture(path, *records):
    data = json.loads(path.read_text())
    data.extend(records)
    path.write_text(json.dumps(data))


def meso():
    return Treatment.objects.get(
        pk=SeedRecord.objects.get(
            model="treatments.treatment", key=f'["{MESO}"]'
        ).object_id
    )


def fixture_records():
    return [
        (path.name, item)
        for path in fixture_paths()
        for item in json.loads(path.read_text())
    ]


# The first seed.


def test_a_fresh_database_gets_every_fixture_record():
    seed(replay=False)
    assert SeedRecord.objects.count() == len(fixture_records())
    assert Treatment.objects.count() == 3
    assert Comparison.objects.count() == 1
    assert Revision.objects.get().comment == "Loaded from fixtures/ by manage.py seed"


def test_the_seed_knows_each_fixture_record_by_its_natural_key():
    """natural_key_fields reads from a fixture the key natural_key() gives."""
    seed("--strict")
    for _, item in fixture_records():
        assert natural_key_fields(item["model"].lower()), item["model"]
    for record in SeedRecord.objects.all():
        obj = apps.get_model(record.model).objects.get(pk=record.object_id)
        assert json.loads(record.key) == list(obj.natural_key()), record


# Editors' work stands.


def test_an_edited_field_stands():
    seed()
    treatment = meso()
    treatment.summary = "An editor's own summary."
    as_editor(treatment.save)
    seed()
    assert meso().summary == "An editor's own summary."


def test_an_edit_through_the_admin_stands(publisher_client):
    seed()
    response = publisher_client.post(
        "/admin/treatments/treatment/",
        {"action": "unpublish", "_selected_action": [meso().pk]},
    )
    assert response.status_code == 302
    assert not meso().is_published
    seed()
    assert not meso().is_published


def test_a_deleted_side_effect_is_not_brought_back():
    seed()
    bruising = SideEffect.objects.get(treatment=meso(), effect__slug="bruising")
    as_editor(bruising.delete)
    seed()
    assert not SideEffect.objects.filter(
        treatment=meso(), effect__slug="bruising"
    ).exists()
    assert meso().side_effects.count() > 0


def test_an_unpublished_treatment_stays_unpublished():
    seed()
    treatment = meso()
    treatment.status = "draft"
    as_editor(treatment.save)
    seed()
    assert not meso().is_published


def test_a_renamed_slug_stands_and_the_seed_still_runs():
    seed()
    treatment = meso()
    treatment.slug = "mesotherapy-injections"
    as_editor(treatment.save)
    out, err = seed("--strict")
    assert err == ""
    assert meso().slug == "mesotherapy-injections"
    assert not Treatment.objects.filter(slug=MESO).exists()
    assert Treatment.objects.count() == 3
    # Its facts still belong to it, and none was added twice.
    assert meso().side_effects.count() == 6


def test_a_renamed_name_stands():
    seed()
    treatment = meso()
    treatment.name = "Mesotherapy injections"
    as_editor(treatment.save)
    seed("--strict")
    assert meso().name == "Mesotherapy injections"
    assert Treatment.objects.count() == 3


def test_a_treatment_moved_to_another_body_area_stays_there():
    seed()
    treated = TreatedArea.objects.get(treatment=meso(), body_area__slug="stomach")
    treated.body_area = BodyArea.objects.get(slug="thighs")
    as_editor(treated.save)
    seed("--strict")
    areas = set(meso().treated_areas.values_list("body_area__slug", flat=True))
    assert "stomach" not in areas
    assert "thighs" in areas


# What developers add later is loaded.


NEW_SIDE_EFFECT = {
    "model": "treatments.sideeffect",
    "fields": {
        "treatment": [MESO],
        "effect": ["redness"],
        "frequency": "rare",
        "source": ["wisegeek-mesotherapy-for-cellulite"],
        "source_location": "Paragraph 7",
    },
}


def test_a_record_added_to_a_fixture_later_is_loaded(fixtures_dir):
    seed()
    treatment = meso()
    treatment.slug = "mesotherapy-injections"
    treatment.summary = "An editor's own summary."
    as_editor(treatment.save)
    add_to_fixture(
        fixtures_dir / "effects.json",
        {
            "model": "treatments.effect",
            "fields": {"name": "Redness", "slug": "redness"},
        },
    )
    add_to_fixture(fixtures_dir / "mesotherapy.json", NEW_SIDE_EFFECT)
    before = Revision.objects.count()
    out, err = seed("--strict")
    # Found on the renamed treatment, and nothing else of it changed.
    added = SideEffect.objects.get(treatment=meso(), effect__slug="redness")
    assert added.frequency == "rare"
    assert meso().summary == "An editor's own summary."
    assert Revision.objects.count() == before + 1
    assert "2 new, loaded" in out


def test_a_fixture_file_added_later_is_loaded(fixtures_dir):
    seed()
    (fixtures_dir / "calves.json").write_text(
        json.dumps(
            [
                {
                    "model": "treatments.bodyarea",
                    "fields": {"name": "Calves", "slug": "calves", "parent": ["legs"]},
                }
            ]
        )
    )
    seed("--strict")
    assert BodyArea.objects.get(slug="calves").parent.slug == "legs"


# A restart with nothing new writes nothing.


def test_an_idle_seed_writes_nothing():
    seed()
    treatment = meso()
    treatment.summary = "An editor's own summary."
    as_editor(treatment.save)
    version = ContentVersion.current()
    revisions = Revision.objects.count()
    records = list(SeedRecord.objects.values())
    out, _ = seed()
    assert ContentVersion.current() == version
    assert Revision.objects.count() == revisions
    assert list(SeedRecord.objects.values()) == records
    assert "nothing new" in out


# seed --check and seed --update.


def test_check_names_a_record_an_editor_changed():
    seed()
    treatment = meso()
    treatment.summary = "An editor's own summary."
    as_editor(treatment.save)
    status, out = check()
    assert status == 0  # nothing for the seed to do
    assert "Changed by editors since loading" in out
    assert (
        "treatment “mesotherapy” in fixtures/mesotherapy.json: "
        "differs from the fixture in summary"
    ) in out
    assert meso().summary == "An editor's own summary."


def test_check_writes_nothing_and_says_what_seed_would_load():
    status, out = check()
    assert status == 1
    assert "`seed` would load" in out
    assert not Treatment.objects.exists()
    assert not SeedRecord.objects.exists()


def test_update_applies_a_fixture_change_no_editor_made(fixtures_dir):
    seed()
    laser = Treatment.objects.get(slug=LASER)
    laser.summary = "An editor's own summary."
    as_editor(laser.save)
    for name in ("mesotherapy.json", "laser-cellulite-reduction.json"):
        path = fixtures_dir / name
        data = json.loads(path.read_text())
        data[0]["fields"]["summary"] = "The developers' better summary."
        path.write_text(json.dumps(data))

    out, _ = seed()  # a plain seed changes neither
    assert meso().summary != "The developers' better summary."
    assert "`seed --update` applies these" in out
    status, out = check()
    assert status == 1
    assert "`seed --update` would apply these" in out

    out, _ = seed("--update")
    assert meso().summary == "The developers' better summary."
    assert Treatment.objects.get(slug=LASER).summary == "An editor's own summary."
    assert (
        "left as they are:\n  treatment “laser-cellulite-reduction” in "
        "fixtures/laser-cellulite-reduction.json: differs from the fixture in summary"
    ) in out
    assert Revision.objects.latest("pk").comment == (
        "Updated from fixtures/ by manage.py seed --update"
    )
    # Once applied, the change is the new baseline: nothing more to do.
    assert check()[0] == 0


# A fixture the seed cannot load does not stop the site.


def test_a_broken_record_is_named_and_the_rest_load(fixtures_dir):
    add_to_fixture(
        fixtures_dir / "mesotherapy.json",
        NEW_SIDE_EFFECT
        | {"fields": NEW_SIDE_EFFECT["fields"] | {"effect": ["nosuch"]}},
    )
    out, err = seed()
    assert "side effect “mesotherapy / nosuch” in fixtures/mesotherapy.json" in err
    assert Treatment.objects.count() == 3
    assert meso().side_effects.count() == 6
    with pytest.raises(CommandError, match="could not be loaded"):
        seed("--strict")


def test_a_name_an_editor_has_taken_is_reported_not_a_crash(fixtures_dir):
    seed()
    treatment = meso()
    treatment.name = "Radiofrequency"
    as_editor(treatment.save)
    (fixtures_dir / "radiofrequency.json").write_text(
        json.dumps(
            [
                {
                    "model": "treatments.treatment",
                    "fields": json.loads(
                        (fixtures_dir / "mesotherapy.json").read_text()
                    )[0]["fields"]
                    | {"name": "Radiofrequency", "slug": "radiofrequency"},
                }
            ]
        )
    )
    out, err = seed()
    assert "treatment “radiofrequency” in fixtures/radiofrequency.json" in err
    assert meso().name == "Radiofrequency"


def test_a_database_seeded_before_the_seed_kept_records_is_adopted():
    """Content loaded the old way (loaddata, no SeedRecord), then edited."""
    call_command("loaddata", *[path.stem for path in fixture_paths()], verbosity=0)
    Treatment.objects.filter(slug=MESO).update(summary="An editor's own summary.")
    out, _ = seed("--strict")
    assert Treatment.objects.get(slug=MESO).summary == "An editor's own summary."
    assert SeedRecord.objects.count() == len(fixture_records())
    assert not Revision.objects.exists()
    # Its difference from the fixture counts as an editor's: --update keeps it.
    seed("--update")
    assert Treatment.objects.get(slug=MESO).summary == "An editor's own summary."
