"""
Import and export with limits, files nobody else can name, and cells that
cannot run code (the admin's ImportExportAdmin uses all of it;
docs/security.md has the settings).

Limits (settings, with their defaults):
- IMPORT_MAX_BYTES (5 MB): the uploaded file; an XLSX file's contents,
  unpacked, at most IMPORT_MAX_UNPACKED times that (a small XLSX can hold a
  huge cell).
- IMPORT_MAX_ROWS (5,000) rows, and IMPORT_MAX_CELL (10,000) characters in
  any cell.
A file over a limit is a message on the import form, before any row is
read into the preview.

The preview (django-import-export's dry run) saves each row inside a
transaction it rolls back. Those saves no longer bump the content version
(ContentVersion.unchanged), so the preview holds no lock that other
editors' saves need (on PostgreSQL it held the version's row for as long as
it ran), and tells the page caches of nothing.

Uploads wait for their confirmation in a private folder
(IMPORT_UPLOAD_DIR, mode 0700), under a random name the server chooses.
The session that uploaded a file keeps its name; the confirm step's form
carries only a key into that session's list, never a file name, and its
format and resource come from the session too. A file is deleted when it
is imported, when its preview found errors, and after
IMPORT_UPLOAD_SECONDS (an hour) unconfirmed. A confirm step for a file
that is gone, or a key that is not the session's, is a message, not a 500.

Exports: every cell that a spreadsheet would read as a formula or a command
(it begins with =, +, -, @, a tab or a carriage return) gets a leading
apostrophe, in CSV and XLSX alike, and importing takes it off again, so a
file exported and imported again is unchanged. XLSX cells are written as
text, never as formulas. Control characters, which XLSX cannot hold, are
dropped (core/text.py).
"""

import io
import os
import re
import secrets
import stat
import tempfile
import time
import zipfile
from pathlib import Path

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.tmp_storages import BaseStorage

from core.models import ContentVersion
from core.text import without_controls

MB = 1024 * 1024


def limit(name):
    return getattr(settings, name)


class ImportRefused(ValueError):
    """A file over a limit: the message is the form's."""


# Cells that cannot run code.

# What makes a spreadsheet read a cell as a formula or a command; apostrophes
# before it, so that an apostrophe added on export is taken off on import
# and nothing else is.
ACTIVE = re.compile(r"'*[=+\-@\t\r]")


def inert(value):
    """A cell's text as exported: no control characters, and an apostrophe
    before anything a spreadsheet would run."""
    if not isinstance(value, str):
        return value
    value = without_controls(value.replace("\r\n", "\n")) if value else value
    return f"'{value}" if ACTIVE.match(value) else value


def restored(value):
    """A cell's text as imported: `inert` undone."""
    if isinstance(value, str) and value.startswith("'") and ACTIVE.match(value[1:]):
        return value[1:]
    return value


def each_cell(dataset, change):
    """The dataset with `change` applied to every cell (headers too)."""
    changed = tablib.Dataset(headers=[change(h) for h in dataset.headers or []])
    changed.title = dataset.title
    for row in dataset:
        changed.append([change(cell) for cell in row])
    return changed


def checked(dataset):
    """The dataset, if it is within IMPORT_MAX_ROWS and IMPORT_MAX_CELL."""
    rows, cell = limit("IMPORT_MAX_ROWS"), limit("IMPORT_MAX_CELL")
    if len(dataset) > rows:
        raise ImportRefused(
            f"This file has {len(dataset):,} rows; an import takes at most "
            f"{rows:,}. Split it into smaller files and import each."
        )
    for line, row in enumerate(dataset, start=2):  # line 1 is the header
        for header, value in zip(dataset.headers or [], row, strict=False):
            if isinstance(value, str) and len(value) > cell:
                raise ImportRefused(
                    f"Line {line}, column “{header}”, holds {len(value):,} "
                    f"characters; a cell holds at most {cell:,}."
                )
    return dataset


class SafeCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        return each_cell(checked(super().create_dataset(in_stream, **kwargs)), restored)

    def export_data(self, dataset, **kwargs):
        return super().export_data(each_cell(dataset, inert), **kwargs)


class SafeXLSX(XLSX):
    def create_dataset(self, in_stream):
        unpacked_limit = limit("IMPORT_MAX_BYTES") * limit("IMPORT_MAX_UNPACKED")
        try:
            with zipfile.ZipFile(io.BytesIO(in_stream)) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
        except zipfile.BadZipFile as error:
            raise ImportRefused(
                "This is not an XLSX file. Choose the format the file is in."
            ) from error
        if unpacked > unpacked_limit:
            raise ImportRefused(
                f"This XLSX file unpacks to {unpacked / MB:,.0f} MB; an import "
                f"takes at most {unpacked_limit / MB:,.0f} MB. Split it into "
                "smaller files and import each."
            )
        dataset = checked(super().create_dataset(in_stream))
        # An empty cell reads as None, and a required text field refused it
        # (NOT NULL): empty text, as in a CSV file.
        return each_cell(dataset, lambda v: "" if v is None else restored(v))

    def export_data(self, dataset, **kwargs):
        """Every cell as text (never a formula), made inert as in CSV."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=(dataset.title or "Export")[:31])

        def cell(value, **style):
            value = inert(value)
            written = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                written.data_type = "s"
            for name, setting in style.items():
                setattr(written, name, setting)
            return written

        if dataset.headers:
            sheet.append([cell(h, font=Font(bold=True)) for h in dataset.headers])
        for row in dataset:
            sheet.append([cell(value) for value in row])
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()


FORMATS = [SafeCSV, SafeXLSX]


# Uploads, in a private folder, tied to the session.


UPLOADS = "_import_uploads"  # the session's {key: upload}
KEY = re.compile(r"[0-9a-f]{32}")


def upload_dir():
    """The private folder, made on first use (0700); refused if another
    user owns it or others may read it."""
    folder = Path(
        settings.IMPORT_UPLOAD_DIR
        or Path(tempfile.gettempdir()) / f"side-by-side-imports-{os.getuid()}"
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        raise PermissionError(
            f"{folder} must belong to this user and be private (chmod 700)"
        )
    return folder


def sweep():
    """Delete uploads older than IMPORT_UPLOAD_SECONDS, whoever left them."""
    folder = upload_dir()
    oldest = time.time() - limit("IMPORT_UPLOAD_SECONDS")
    for path in folder.iterdir():
        try:
            if KEY.fullmatch(path.name) and path.stat().st_mtime < oldest:
                path.unlink()
        except FileNotFoundError:
            pass  # another worker swept it


class PrivateFolderStorage(BaseStorage):
    """django-import-export's temporary storage, in upload_dir(), under a
    random name chosen here."""

    def path(self):
        if not (self.name and KEY.fullmatch(self.name)):
            raise FileNotFoundError("no such upload")
        return upload_dir() / self.name

    def save(self, data):
        self.name = secrets.token_hex(16)
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        descriptor = os.open(self.path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)

    def read(self):
        data = self.path().read_bytes()
        if "b" not in self.read_mode:
            return data.decode(self.encoding or "utf-8")
        return data

    def remove(self):
        self.path().unlink(missing_ok=True)


class LimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        most = limit("IMPORT_MAX_BYTES")
        if upload.size > most:
            raise forms.ValidationError(
                f"This file is {upload.size / MB:,.1f} MB; an import takes at "
                f"most {most / MB:,.0f} MB. Split it into smaller files and "
                "import each."
            )
        return upload


class SafeImportMixin:
    """For an ImportMixin admin: the limits, the private uploads, a preview
    that bumps nothing, and a confirm step that reads only the session's
    own upload."""

    formats = FORMATS
    import_form_class = LimitedImportForm
    tmp_storage_class = PrivateFolderStorage

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ImportRefused):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def import_action(self, request, **kwargs):
        sweep()
        # The preview's saves are rolled back: they change no version.
        with ContentVersion.unchanged():
            response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name and not context.get("confirm_form"):
            # Nothing to confirm: the file is not kept.
            PrivateFolderStorage(name=name).remove()
        return response

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            key = initial["import_file_name"]  # PrivateFolderStorage's name
            uploads = request.session.get(UPLOADS, {})
            uploads[key] = {
                "format": int(initial["format"]),
                "resource": initial.get("resource") or "0",
                "original": initial["original_file_name"],
                "since": time.time(),
            }
            request.session[UPLOADS] = uploads
        return initial

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        sweep()
        key = request.POST.get("import_file_name", "")
        uploads = request.session.get(UPLOADS, {})
        upload = uploads.pop(key, None) if KEY.fullmatch(key) else None
        request.session[UPLOADS] = uploads
        storage = PrivateFolderStorage(name=key, read_mode="rb")
        formats = self.get_import_formats()
        expired = upload is None or (
            time.time() - upload["since"] > limit("IMPORT_UPLOAD_SECONDS")
        )
        if expired or not 0 <= upload["format"] < len(formats):
            if upload is not None:
                storage.remove()
            return self.upload_again(request)
        try:
            data = storage.read()
        except FileNotFoundError:
            return self.upload_again(request)
        try:
            input_format = formats[upload["format"]](encoding=self.from_encoding)
            if not input_format.is_binary():
                data = data.decode(self.from_encoding or "utf-8-sig")
            dataset = input_format.create_dataset(data)
            confirm_form = self.create_confirm_form(request)
            confirm_form.is_valid()
            # What the preview was of, not what the form says now.
            confirm_form.cleaned_data = {
                "import_file_name": key,
                "original_file_name": upload["original"],
                "format": str(upload["format"]),
                "resource": upload["resource"],
            }
            result = self.process_dataset(dataset, confirm_form, request, **kwargs)
        finally:
            storage.remove()
        return self.process_result(result, request)

    def upload_again(self, request):
        messages.error(
            request,
            "That import had expired, or was already done, so nothing was "
            "imported. Choose the file and import it again.",
        )
        info = self.model._meta.app_label, self.model._meta.model_name
        return redirect("admin:{}_{}_import".format(*info))
