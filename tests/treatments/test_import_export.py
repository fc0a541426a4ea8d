"""The catalogue in and out as CSV and XLSX, through the admin."""

import datetime
import json

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from comparisons.models import Comparison
from tests.support.content import dump_content
from treatments import resources
from treatments.models import (
    BodyArea,
    Condition,
    ConditionFact,
    Effect,
    Source,
    Treatment,
)

pytestmark = pytest.mark.django_db

TREATMENTS = "/admin/treatments/treatment/"
CSV, XLSX = 0, 1  # the admin's formats, in ImportExportAdmin.formats' order


def resource_index(resource_class, admin_url=TREATMENTS):
    from django.contrib import admin

    model = resource_class.Meta.model
    model_admin = admin.site.get_model_admin(model)
    return model_admin.resource_classes.index(resource_class)


def admin_url(resource_class):
    opts = resource_class.Meta.model._meta
    if opts.model_name in {"sessionplan", "treatedarea", "sideeffect", "milestone"}:
        return TREATMENTS
    if opts.model_name == "conditionfact":
        return "/admin/treatments/condition/"
    return f"/admin/{opts.app_label}/{opts.model_name}/"


def export(client, resource_class, file_format=CSV):
    """What the admin's export page gives for one resource."""
    url = admin_url(resource_class)
    owner = Treatment if url == TREATMENTS else resource_class.Meta.model
    if resource_class.Meta.model is ConditionFact:
        owner = Condition
    from django.contrib import admin

    index = admin.site.get_model_admin(owner).resource_classes.index(resource_class)
    form = client.get(url + "export/").context["form"]
    data = {"format": file_format, "resource": index}
    # Every field of the chosen resource, as the page ticks them all.
    data.update(
        {
            name: "on"
            for name, field in form.fields.items()
            if name.startswith(f"{resource_class.__name__.lower()}_")
        }
    )
    response = client.post(url + "export/", data)
    assert response.status_code == 200, response.content[:500]
    return response.content


def upload(client, resource_class, content, file_format=CSV, name="file.csv"):
    url = admin_url(resource_class)
    owner = Treatment if url == TREATMENTS else resource_class.Meta.model
    if resource_class.Meta.model is ConditionFact:
        owner = Condition
    from django.contrib import admin

    index = admin.site.get_model_admin(owner).resource_classes.index(resource_class)
    return client.post(
        url + "import/",
        {
            "resource": index,
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, resource_class, preview):
    url = admin_url(resource_class)
    form = preview.context["confirm_form"]
    assert form is not None, "no confirm step: the preview found errors"
    return client.post(url + "process_import/", form.initial)


def import_file(client, resource_class, content, file_format=CSV):
    preview = upload(client, resource_class, content, file_format)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.number, row.error_dict) for row in result.invalid_rows
    ] + [(line, [e.error for e in errs]) for line, errs in result.row_errors()]
    response = confirm(client, resource_class, preview)
    assert response.status_code == 302
    return preview


def empty_the_catalogue():
    Comparison.objects.all().delete()
    Treatment.objects.all().delete()
    ConditionFact.objects.all().delete()
    Condition.objects.all().delete()
    Effect.objects.all().delete()
    BodyArea.objects.update(parent=None)
    BodyArea.objects.all().delete()
    Source.objects.all().delete()


def records(dump):
    return sorted(json.dumps(record, sort_keys=True) for record in json.loads(dump))


def test_export_is_where_the_library_puts_it(seeded, editor_client):
    page = editor_client.get(TREATMENTS)
    assert 'href="/admin/treatments/treatment/export/?' in page.content.decode()
    csv = export(editor_client, resources.TreatmentResource).decode()
    header, *rows = csv.splitlines()
    assert header.startswith("Slug,Name,One-line summary,")
    assert any(row.startswith("mesotherapy,Mesotherapy,") for row in rows)


def test_export_import_round_trip_into_an_empty_catalogue(
    seeded, publisher_client, django_db_blocker
):
    before = dump_content(("treatments",))
    files = {
        resource: export(publisher_client, resource) for resource in resources.CATALOGUE
    }
    # One of them as a spreadsheet, to carry XLSX through the trip too.
    files[resources.SideEffectResource] = export(
        publisher_client, resources.SideEffectResource, XLSX
    )
    empty_the_catalogue()
    assert json.loads(dump_content(("treatments",))) == []
    for resource, content in files.items():
        file_format = XLSX if resource is resources.SideEffectResource else CSV
        import_file(publisher_client, resource, content, file_format)
    assert records(dump_content(("treatments",))) == records(before)


def bad_file():
    """Three treatments; the second's source does not exist, the third's
    invasiveness is not one of the choices."""
    source = Source.objects.create(
        slug="an-article", title="An article", kind="general-interest-article"
    )
    dataset = tablib.Dataset(
        headers=["slug", "name", "summary", "invasiveness", "source", "last_reviewed"]
    )
    dataset.append(["one", "One", "First.", "non-invasive", source.slug, "2026-11-01"])
    dataset.append(
        ["two", "Two", "Second.", "surgical", "no-such-source", "2026-11-01"]
    )
    dataset.append(["three", "Three", "Third.", "very", source.slug, "2026-11-01"])
    return dataset.csv.encode()


def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(editor_client):
    preview = upload(editor_client, resources.TreatmentResource, bad_file())
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is None  # no way to go on
    page = preview.content.decode()
    invalid = {
        row.number: row.error_dict for row in preview.context["result"].invalid_rows
    }
    assert set(invalid) == {2, 3}
    assert "source" in invalid[2]
    assert "invasiveness" in invalid[3]
    # Lines as in the file, whose first line is the header.
    problems = [
        (problem.line, problem.column, problem.value)
        for problem in preview.context["result"].problems
    ]
    assert problems == [
        (3, "Source", "no-such-source"),
        (4, "How invasive", "very"),
    ]
    assert "<td>“no-such-source”</td>" in page
    assert "<td>“very”</td>" in page
    assert not Treatment.objects.exists()


def test_nothing_is_half_imported_outside_the_admin_either():
    result = resources.TreatmentResource().import_data(
        tablib.Dataset().load(bad_file().decode(), format="csv")
    )
    assert result.has_validation_errors()
    assert not Treatment.objects.exists()


def test_an_editor_cannot_publish_by_importing(seeded, editor_client):
    csv = export(editor_client, resources.TreatmentResource).decode()
    meso = Treatment.objects.get(slug="mesotherapy")
    Treatment.objects.filter(pk=meso.pk).update(status="draft")
    preview = upload(editor_client, resources.TreatmentResource, csv.encode())
    (row,) = [
        row
        for row in preview.context["result"].invalid_rows
        if "status" in row.error_dict
    ]
    assert "Only publishers may publish" in str(row.error_dict["status"])
    meso.refresh_from_db()
    assert meso.status == "draft"


def test_an_import_is_one_revision_with_who_did_it(editor_client, editor):
    from reversion.models import Version

    source = Source.objects.create(
        slug="an-article", title="An article", kind="general-interest-article"
    )
    dataset = tablib.Dataset(
        headers=["slug", "name", "summary", "invasiveness", "source", "last_reviewed"]
    )
    dataset.append(["one", "One", "First.", "non-invasive", source.slug, "2026-11-01"])
    import_file(editor_client, resources.TreatmentResource, dataset.csv.encode())
    treatment = Treatment.objects.get(slug="one")
    assert treatment.status == "draft"
    (version,) = Version.objects.get_for_object(treatment)
    assert version.revision.user == editor
    assert version.revision.comment == "Imported from a file"


def test_facts_without_a_source_cite_their_treatment(editor_client):
    source = Source.objects.create(
        slug="an-article", title="An article", kind="general-interest-article"
    )
    treatment = Treatment.objects.create(
        slug="one",
        name="One",
        summary="s",
        invasiveness="non-invasive",
        source=source,
        last_reviewed=datetime.date(2026, 11, 1),
    )
    Effect.objects.create(slug="bruising", name="Bruising")
    dataset = tablib.Dataset(headers=["treatment", "effect", "frequency", "source"])
    dataset.append(["one", "bruising", "common", ""])
    import_file(editor_client, resources.SideEffectResource, dataset.csv.encode())
    assert treatment.side_effects.get().source == source
    assert connection.vendor in {"sqlite", "postgresql"}
