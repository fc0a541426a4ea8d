"""Import for editors (editorial/importing.py): templates with the allowed
values, the order on the page, columns headed in plain words, problems
named by line, column and value, and a count of what a file changed."""

import csv
import html
import io
import re

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_treatment
from treatments import resources
from treatments.models import Condition, Effect, Milestone, SideEffect

pytestmark = pytest.mark.django_db

CSV, XLSX = 0, 1  # the admin's formats, in ImportExportAdmin.formats' order
TREATMENTS = "/admin/treatments/treatment/"


def owner_admin(resource_class):
    """The admin page whose import offers this kind of file."""
    for model_admin in admin.site._registry.values():
        if resource_class in getattr(model_admin, "resource_classes", ()):
            return model_admin
    raise LookupError(resource_class)


def template(client, resource_class, extension):
    model_admin = owner_admin(resource_class)
    opts = model_admin.opts
    index = model_admin.resource_classes.index(resource_class)
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_import_template",
        args=[index, extension],
    )
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def upload(client, resource_class, content, file_format=CSV, name="file.csv"):
    model_admin = owner_admin(resource_class)
    opts = model_admin.opts
    return client.post(
        f"/admin/{opts.app_label}/{opts.model_name}/import/",
        {
            "resource": model_admin.resource_classes.index(resource_class),
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def problems(response):
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None, "no problem found"
    return [
        (problem.line, problem.column, problem.value, problem.message)
        for problem in response.context["result"].problems
    ]


def as_csv(headers, *rows):
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    return dataset.csv.encode()


def text(response):
    page = response.content.decode()
    main = page[page.index('id="content"') :]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.fixture
def laser(db):
    treatment = make_treatment("Laser", status="draft")
    Effect.objects.create(name="Bruising", slug="bruising")
    Effect.objects.create(name="Swelling", slug="swelling")
    return treatment


class TestTemplates:
    @pytest.mark.parametrize(
        "resource_class", resources.CATALOGUE, ids=lambda r: r.__name__
    )
    def test_each_kind_of_file_has_one_in_both_formats(
        self, editor_client, resource_class
    ):
        headings = resource_class().get_export_headers()
        response = template(editor_client, resource_class, "csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].endswith('-template.csv"')
        heading_row, help_row = csv.reader(io.StringIO(response.content.decode()))
        assert heading_row == headings
        assert help_row[0].startswith("# Required.")
        assert all(cell.startswith(("Required.", "Optional.")) for cell in help_row[1:])

        book = openpyxl.load_workbook(
            io.BytesIO(template(editor_client, resource_class, "xlsx").content)
        )
        rows = list(book.active.iter_rows(values_only=True))
        assert list(rows[0]) == headings
        assert [cell or "" for cell in rows[1][1:]] == help_row[1:]

    def test_the_columns_with_their_allowed_values(self, editor_client, laser):
        response = template(editor_client, resources.TreatmentResource, "csv")
        headings, help_row = csv.reader(io.StringIO(response.content.decode()))
        help_of = dict(zip(headings, help_row, strict=True))
        assert help_of["How invasive"].startswith(
            "Required. One of: non-invasive, minimally-invasive or surgical."
        )
        assert help_of["Status"].startswith(
            "Optional. One of: draft, review or published."
        )
        assert help_of["Last reviewed"].startswith(
            "Optional. A date, year-month-day, e.g. 2026-11-01."
        )
        assert (
            help_of["Source"] == f"Required. The slug of a source: {laser.source.slug}."
        )
        assert "interval_min_days" not in headings

        side_effects = template(editor_client, resources.SideEffectResource, "csv")
        headings, help_row = csv.reader(io.StringIO(side_effects.content.decode()))
        help_of = dict(zip(headings, help_row, strict=True))
        assert help_of["Side effect"] == (
            "Required. The slug of a side-effect kind: bruising or swelling."
        )
        assert help_of["Source"].endswith("Blank: the treatment's source.")
        assert help_of["How common"].startswith(
            "Required. One of: common, less-common, rare or not-stated."
        )

        plans = template(editor_client, resources.SessionPlanResource, "csv")
        headings = next(csv.reader(io.StringIO(plans.content.decode())))
        assert "Shortest time between sessions (days)" in headings

    def test_the_xlsx_offers_the_choices_as_a_list(self, editor_client):
        book = openpyxl.load_workbook(
            io.BytesIO(
                template(editor_client, resources.TreatmentResource, "xlsx").content
            )
        )
        sheet = book.active
        headings = [cell.value for cell in sheet[1]]
        column = openpyxl.utils.get_column_letter(headings.index("How invasive") + 1)
        lists = {
            str(check.sqref): check.formula1
            for check in sheet.data_validations.dataValidation
        }
        assert (
            lists[f"{column}3:{column}1000"]
            == '"non-invasive,minimally-invasive,surgical"'
        )

    def test_a_template_filled_in_imports_with_its_help_line_left(
        self, editor_client, laser
    ):
        content = template(editor_client, resources.SideEffectResource, "csv").content
        rows = list(csv.reader(io.StringIO(content.decode())))
        headings = rows[0]
        row = dict.fromkeys(headings, "")
        row.update(
            {"Treatment": "laser", "Side effect": "bruising", "How common": "Common"}
        )
        filled = as_csv(headings, rows[1], [row[h] for h in headings])
        preview = upload(editor_client, resources.SideEffectResource, filled)
        assert preview.context["confirm_form"] is not None
        assert "This file holds 1 side effect: 1 new." in text(preview)

    def test_a_template_as_it_is_holds_nothing(self, editor_client):
        content = template(editor_client, resources.MilestoneResource, "xlsx").content
        preview = upload(
            editor_client, resources.MilestoneResource, content, XLSX, "template.xlsx"
        )
        assert preview.context["confirm_form"] is not None
        assert preview.context["result"].problems == []
        assert "This file holds no milestones." in text(preview)

    def test_only_the_kinds_of_file_the_page_takes(self, editor_client):
        missing = reverse("admin:treatments_treatment_import_template", args=[9, "csv"])
        assert editor_client.get(missing).status_code == 404
        other = reverse("admin:treatments_treatment_import_template", args=[0, "pdf"])
        assert editor_client.get(other).status_code == 404


class TestTheImportPage:
    def test_the_order_and_the_templates(self, editor_client):
        response = editor_client.get(TREATMENTS + "import/")
        page = text(response)
        order = re.search(r"The order to import in .*? Templates", page).group(0)
        names = [resource.get_display_name() for resource in resources.CATALOGUE]
        positions = [order.index(name) for name in names]
        assert positions == sorted(positions)
        assert "Treatments (on this page)" in order
        html_page = response.content.decode()
        assert '<a href="/admin/treatments/source/import/">Sources</a>' in html_page
        template_link = "/admin/treatments/treatment/import/template/3.csv"
        assert f'<a href="{template_link}">CSV template</a>' in html_page
        assert "What the file holds" in page
        assert "Resource" not in page
        assert "interval_min_days" not in html_page


class TestProblemsInPlainWords:
    def test_a_side_effect_kind_that_does_not_exist(self, editor_client, laser):
        """It was "Line 2: Effect matching query does not exist."."""
        content = as_csv(
            ["Treatment", "Side effect", "How common"], ["laser", "tingling", "common"]
        )
        found = problems(upload(editor_client, resources.SideEffectResource, content))
        assert found == [
            (
                2,
                "Side effect",
                "tingling",
                "No side-effect kind has this slug. Those on the site: bruising, "
                "swelling. Import a new one from a file of side-effect kinds first.",
            )
        ]
        assert not SideEffect.objects.exists()

    def test_a_missing_value(self, editor_client, laser):
        """It was "last_reviewed: This field cannot be null."."""
        content = as_csv(
            ["Slug", "Name", "One-line summary", "How invasive", "Source"],
            ["new", "New", "", "surgical", laser.source.slug],
        )
        response = upload(editor_client, resources.TreatmentResource, content)
        found = problems(response)
        assert (
            3 - 1,
            "One-line summary",
            "",
            "This column needs a value. Text, at most 200 characters.",
        ) in found
        page = text(response)
        assert "cannot be null" not in page and "cannot be blank" not in page
        assert "This field" not in page

    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("Earliest day", "two", "Not a whole number."),
            ("Earliest day", "2.5", "Not a whole number."),
            (
                "Milestone",
                "later",
                "Not one of the allowed values: daily-activities, "
                "exercise, first-results, progress or final-result.",
            ),
        ],
    )
    def test_a_bad_value(self, editor_client, laser, column, value, message):
        row = {
            "Treatment": "laser",
            "Milestone": "exercise",
            "Earliest day": "14",
            "Latest day": "21",
            "When, as the source puts it": "After a couple of weeks",
        }
        row[column] = value
        content = as_csv(list(row), list(row.values()))
        found = problems(upload(editor_client, resources.MilestoneResource, content))
        assert found == [(2, column, value, message)]

    def test_a_yes_or_no_and_a_date(self, editor_client, laser):
        content = as_csv(
            ["Slug", "Not a treatment: what happens without one", "Next review due"],
            ["laser", "maybe", "03/12/2026"],
        )
        found = problems(upload(editor_client, resources.TreatmentResource, content))
        assert found == [
            (
                2,
                "Not a treatment: what happens without one",
                "maybe",
                "Write yes or no (or 1 or 0).",
            ),
            (
                2,
                "Next review due",
                "03/12/2026",
                "Not a date: write it as year-month-day, e.g. 2026-11-01.",
            ),
        ]

    def test_a_name_another_record_has_and_a_text_too_long(self, editor_client, laser):
        content = as_csv(
            ["Slug", "Name", "One-line summary"],
            ["other", "Laser", "x" * 201],
        )
        found = problems(upload(editor_client, resources.TreatmentResource, content))
        assert (2, "Name", "Laser", "Another treatment already has this name.") in found
        assert (
            2,
            "One-line summary",
            "x" * 201,
            "Too long: 201 characters, at most 200.",
        ) in found

    def test_a_condition_that_does_not_exist(self, editor_client, laser):
        Condition.objects.create(slug="cellulite", name="Cellulite", summary="s")
        content = as_csv(["Slug", "Conditions"], ["laser", "cellulite|celulite"])
        found = problems(upload(editor_client, resources.TreatmentResource, content))
        assert found == [
            (
                2,
                "Conditions",
                "cellulite|celulite",
                "No condition has the slug “celulite”.",
            )
        ]
        assert not laser.conditions.exists()

    def test_a_column_it_does_not_know(self, editor_client, laser):
        content = as_csv(["Slug", "Hw invasive"], ["laser", "surgical"])
        ((line, column, value, message),) = problems(
            upload(editor_client, resources.TreatmentResource, content)
        )
        assert (line, column, value) == (1, "Hw invasive", "")
        assert message.startswith(
            "This file has a column “Hw invasive”, which is not one of this file's "
            "columns: “Slug”, “Name”, “One-line summary”,"
        )
        laser.refresh_from_db()
        assert laser.invasiveness == "non-invasive"

    def test_a_file_without_its_key_column(self, editor_client, laser):
        content = as_csv(["Name"], ["Laser again"])
        assert problems(
            upload(editor_client, resources.TreatmentResource, content)
        ) == [
            (
                1,
                "Slug",
                "",
                "The file has no “Slug” column: each row needs one, to find the "
                "record it adds or changes.",
            )
        ]

    def test_lines_count_the_help_line_and_blank_lines(self, editor_client, laser):
        content = as_csv(
            ["Treatment", "Side effect", "How common"],
            ["# Help for the columns", "", ""],
            ["laser", "bruising", "common"],
            ["", "", ""],
            ["laser", "swelling", "often"],
        )
        found = problems(upload(editor_client, resources.SideEffectResource, content))
        assert [(line, column) for line, column, _value, _message in found] == [
            (5, "How common")
        ]


class TestPlainColumns:
    def test_choices_by_their_label_and_old_headings(self, editor_client, laser):
        content = as_csv(
            ["treatment", "EFFECT", "frequency", "site"],
            ["laser", "bruising", "Less common", "At the injection site"],
        )
        preview = upload(editor_client, resources.SideEffectResource, content)
        assert preview.context["confirm_form"] is not None
        form = preview.context["confirm_form"]
        editor_client.post(TREATMENTS + "process_import/", form.initial)
        side_effect = SideEffect.objects.get()
        assert (side_effect.frequency, side_effect.site) == (
            "less-common",
            "injection-site",
        )

    def test_a_milestone_without_a_number_takes_the_next(self, editor_client, laser):
        Milestone.objects.create(
            treatment=laser, kind="exercise", days_min=14, days_max=21, wording="w"
        )
        content = as_csv(
            [
                "Treatment",
                "Number",
                "Milestone",
                "Earliest day",
                "Latest day",
                "When, as the source puts it",
            ],
            ["laser", "", "Back to daily activities", "2", "3", "After two days"],
        )
        preview = upload(editor_client, resources.MilestoneResource, content)
        form = preview.context["confirm_form"]
        assert form is not None, preview.context["result"].problems
        editor_client.post(TREATMENTS + "process_import/", form.initial)
        assert [(m.kind, m.order) for m in laser.milestones.all()] == [
            ("daily-activities", 2),
            ("exercise", 1),
        ]


class TestTheCount:
    def test_the_preview_and_the_message_count_what_changed(self, editor_client, laser):
        source = laser.source
        SideEffect.objects.create(
            treatment=laser,
            effect=Effect.objects.get(slug="bruising"),
            frequency="rare",
        )
        other = make_treatment("Other", source=source, status="draft")
        SideEffect.objects.create(
            treatment=other,
            effect=Effect.objects.get(slug="bruising"),
            frequency="rare",
        )
        content = as_csv(
            ["Treatment", "Side effect", "How common"],
            ["laser", "bruising", "common"],  # changed
            ["laser", "swelling", "rare"],  # new
            ["other", "bruising", "rare"],  # as it was
        )
        preview = upload(editor_client, resources.SideEffectResource, content)
        assert (
            "This file holds 3 side effects: 1 new, 1 changed and 1 unchanged."
            in text(preview)
        )
        response = editor_client.post(
            TREATMENTS + "process_import/",
            preview.context["confirm_form"].initial,
            follow=True,
        )
        messages = [str(message) for message in response.context["messages"]]
        assert messages == [
            "Imported 3 side effects: 1 new, 1 changed and 1 unchanged."
        ]
        assert set(
            SideEffect.objects.values_list(
                "treatment__slug", "effect__slug", "frequency"
            )
        ) == {
            ("laser", "bruising", "common"),
            ("laser", "swelling", "rare"),
            ("other", "bruising", "rare"),
        }
