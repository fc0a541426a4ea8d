"""
Import and export for editors (django-import-export), in plain words.

- Columns are headed as the admin's forms label the fields ("Shortest time
  between sessions (days)", not `interval_min_days`). An import matches a
  heading whatever its case, and also takes the field's own name, so files
  exported before the headings changed still import.
- Each kind of file has a template, as CSV and as XLSX: the headings, then a
  line of help that starts with "#" (what each column takes: required or
  not, the allowed values, an example). Lines whose first cell starts with
  "#" are never imported. The XLSX template offers the allowed values as a
  list in each cell of a column with choices.
- A choice is written as its value ("minimally-invasive") or as its label
  ("Minimally invasive"); yes or no as yes, no, 1 or 0; a date as
  2026-11-01 (a spreadsheet's own dates too).
- What is wrong with a file is named by its line (the headings are line 1),
  its column and the value, in plain words: `result.problems`. Nothing of a
  file with a problem is written.
- `result.summary` counts what the file adds, changes and leaves as it was.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

import openpyxl
import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from import_export import resources, widgets
from import_export.forms import ExportForm
from import_export.results import RowResult
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from .imports import LimitedImportForm

# A line whose first cell starts with this is help, not a record.
HELP_MARK = "#"
# How many existing records a column's help lists by slug, at most.
LISTED = 20
EXAMPLE_DATE = "2026-11-01"


def normal(heading):
    """A heading as it is matched: case, spaces and underscores aside."""
    return " ".join(str(heading or "").replace("_", " ").split()).casefold()


def or_list(values):
    values = [str(value) for value in values]
    if len(values) < 2:
        return "".join(values)
    return f"{', '.join(values[:-1])} or {values[-1]}"


class FileProblem(Exception):
    """Something wrong with the file as a whole (a heading), in words."""


@dataclass
class Problem:
    """One thing to correct in a file: where, what it holds, what to do."""

    message: str
    line: int | None = None  # as a spreadsheet numbers it; None: the file
    column: str = ""  # the heading; blank: the whole row
    value: str = ""


# Widgets whose mistakes are sentences an editor can act on.


class ChoiceWidget(widgets.CharWidget):
    """A choice as its value or its label, any case."""

    def __init__(self, choices, **kwargs):
        self.choices = [(str(value), str(label)) for value, label in choices]
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return ""
        for stored, label in self.choices:
            if text.casefold() in (stored.casefold(), label.casefold()):
                return stored
        raise ValueError(
            "Not one of the allowed values: "
            f"{or_list(stored for stored, _label in self.choices)}."
        )


class YesNoWidget(widgets.BooleanWidget):
    YES = {"1", "yes", "y", "true"}
    NO = {"0", "no", "n", "false", ""}

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return bool(value)
        text = str(value).strip().casefold()
        if text.endswith(".0"):  # a spreadsheet's number
            text = text[:-2]
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError("Write yes or no (or 1 or 0).")


class PlainDateWidget(widgets.DateWidget):
    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"Not a date: write it as year-month-day, e.g. {EXAMPLE_DATE}."
            ) from None


class PlainIntegerWidget(widgets.IntegerWidget):
    """A whole number (a spreadsheet's 2.0 too); 2.5 or "two" is refused,
    never cut to 2."""

    LARGEST = 10**9

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip())
        except ArithmeticError:
            raise ValueError("Not a whole number.") from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError("Not a whole number.")
        if abs(number) >= self.LARGEST:
            raise ValueError("Too large a number.")
        return int(number)


class PlainForeignKeyWidget(widgets.ForeignKeyWidget):
    """A record named by its slug (or another field), and a sentence when
    nothing has it."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(missing(self.model, self.field)) from None


class PlainManyToManyWidget(widgets.ManyToManyWidget):
    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        if value:
            wanted = {part.strip() for part in str(value).split(self.separator)}
            wanted.discard("")
            known = {str(key) for key in found.values_list(self.field, flat=True)}
            unknown = sorted(wanted - known)
            if unknown:
                names = or_list(f"“{key}”" for key in unknown)
                raise ValueError(
                    f"No {self.model._meta.verbose_name} has the {self.field} {names}."
                )
        return found


def missing(model, field):
    """ "No side-effect kind has this slug …", with those there are."""
    opts = model._meta
    message = f"No {opts.verbose_name} has this {field}. "
    keys = list(model._base_manager.values_list(field, flat=True)[: LISTED + 1])
    if keys and len(keys) <= LISTED:
        message += f"Those on the site: {', '.join(map(str, sorted(keys)))}. "
    return f"{message}Import a new one from a file of {opts.verbose_name_plural} first."


# What each column takes, for the templates and the import page.


def takes(field, resource_field):
    """What a column takes: its kind of value, the allowed values or an
    example."""
    widget = resource_field.widget
    parts = []
    if isinstance(widget, ChoiceWidget):
        parts.append(f"One of: {or_list(value for value, _label in widget.choices)}.")
    elif isinstance(widget, PlainManyToManyWidget):
        parts.append(
            f"The {widget.field}s of {widget.model._meta.verbose_name_plural}, "
            f"separated by “{widget.separator}”{listed(widget.model, widget.field)}."
        )
    elif isinstance(widget, widgets.ForeignKeyWidget):
        parts.append(
            f"The {widget.field} of a {widget.model._meta.verbose_name}"
            f"{listed(widget.model, widget.field)}."
        )
    elif isinstance(widget, PlainDateWidget):
        parts.append(f"A date, year-month-day, e.g. {EXAMPLE_DATE}.")
    elif isinstance(widget, YesNoWidget):
        parts.append("Yes or no.")
    elif isinstance(widget, widgets.IntegerWidget):
        parts.append("A whole number.")
    elif isinstance(field, models.SlugField):
        parts.append("Lowercase letters, digits and hyphens, e.g. laser-lipolysis.")
    elif isinstance(field, models.TextField):
        parts.append("Text; a line break in the cell starts a new line.")
    elif getattr(field, "max_length", None):
        parts.append(f"Text, at most {field.max_length} characters.")
    return " ".join(parts)


def listed(model, field):
    keys = list(model._base_manager.values_list(field, flat=True)[: LISTED + 1])
    if keys and len(keys) <= LISTED:
        return f": {or_list(sorted(map(str, keys)))}"
    return ""


@dataclass
class Column:
    heading: str
    required: bool
    takes: str

    @property
    def help(self):
        return f"{'Required' if self.required else 'Optional'}. {self.takes}"


class EditorResource(resources.ModelResource):
    """A ModelResource for editors: see the module's docstring.

    `column_notes` adds, per field, what an editor should know of a column
    in this file ("Blank: the treatment's source."); `optional_columns` are
    those a row may leave blank although the record needs a value (the
    resource fills it)."""

    column_notes = {}
    optional_columns = ()

    # Columns headed and read in plain words.

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = capfirst(str(django_field.verbose_name))
        field.model_field = django_field
        return field

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if getattr(f, "choices", None) and not f.is_relation:
            return partial(ChoiceWidget, f.flatchoices)
        if isinstance(f, models.BooleanField):
            return YesNoWidget
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            return PlainDateWidget
        if isinstance(f, models.IntegerField) and not f.primary_key:
            return PlainIntegerWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def get_fk_widget(cls, field):
        return partial(PlainForeignKeyWidget, model=field.related_model)

    @classmethod
    def get_m2m_widget(cls, field):
        return partial(PlainManyToManyWidget, model=field.related_model)

    def columns(self):
        """Each column of the file: heading, required or not, what it takes."""
        found = []
        for name in self._meta.fields:
            field = self.fields[name]
            model_field = getattr(field, "model_field", None)
            required = name not in self.optional_columns and (
                name in self.get_import_id_fields()
                or (
                    model_field is not None
                    and not model_field.blank
                    and not model_field.has_default()
                    and not model_field.many_to_many
                )
            )
            text = takes(model_field, field) if model_field is not None else ""
            # The field's help, unless this file says it otherwise; not a
            # list's (it speaks of the form's list).
            note = self.column_notes.get(name)
            if note is None:
                note = ""
                if model_field is not None and not model_field.is_relation:
                    note = str(model_field.help_text or "")
            found.append(Column(field.column_name, required, f"{text} {note}".strip()))
        return found

    # Templates.

    def template_dataset(self):
        columns = self.columns()
        dataset = tablib.Dataset(headers=[column.heading for column in columns])
        dataset.append(
            [f"{HELP_MARK} {columns[0].help}"] + [column.help for column in columns[1:]]
        )
        return dataset

    def template_csv(self):
        return self.template_dataset().export("csv")

    def template_xlsx(self):
        columns = self.columns()
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = str(self._meta.model._meta.verbose_name_plural)[:31]
        sheet.append([column.heading for column in columns])
        sheet.append(
            [f"{HELP_MARK} {columns[0].help}"] + [column.help for column in columns[1:]]
        )
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="555555")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, name in enumerate(self._meta.fields, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            sheet.column_dimensions[letter].width = 24
            widget = self.fields[name].widget
            if isinstance(widget, ChoiceWidget):
                values = ",".join(value for value, _label in widget.choices)
                if len(values) <= 255:
                    check = DataValidation(
                        type="list",
                        formula1=f'"{values}"',
                        allow_blank=True,
                        showErrorMessage=True,
                        error=f"One of: {values}",
                    )
                    sheet.add_data_validation(check)
                    check.add(f"{letter}3:{letter}1000")
        sheet.freeze_panes = "A3"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    # Reading a file.

    def import_data(self, dataset, **kwargs):
        self._lines = []
        self._headers = []
        self._file_problems = []
        result = super().import_data(dataset, **kwargs)
        result.problems = self.problems(result)
        result.summary = summary(result, self._meta.model._meta)
        return result

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # Help lines out, each remaining row remembering its line.
        lines, keep = [], []
        for index, row in enumerate(dataset, start=2):
            first = row[0] if row else None
            if isinstance(first, str) and first.lstrip().startswith(HELP_MARK):
                continue
            if all(cell in (None, "") for cell in row):
                continue
            lines.append(index)
            keep.append(row)
        headings = self.read_headings(dataset.headers or [])
        dataset.wipe()
        dataset.headers = headings
        for row in keep:
            dataset.append(row)
        # A key column a row may leave blank (a new milestone's number) may
        # be left out of the file too.
        for name in self.get_import_id_fields():
            column = self.fields[name].column_name
            if name in self.optional_columns and column not in headings:
                dataset.append_col([""] * len(keep), header=column)
                headings = list(dataset.headers)
        self._lines = lines
        self._headers = headings
        if self._file_problems:
            del dataset[:]
            raise FileProblem(self._file_problems[0].message)

    def read_headings(self, headings):
        """The file's headings as this resource's column names."""
        known = {}
        for name, field in self.fields.items():
            for alias in (field.column_name, name, field.attribute):
                if alias:
                    known.setdefault(normal(alias), field.column_name)
        read, unknown = [], []
        for heading in headings:
            if heading in (None, ""):
                read.append(f"(blank heading {len(read) + 1})")
                continue
            column = known.get(normal(heading))
            if column is None:
                unknown.append(str(heading))
                column = str(heading)
            read.append(column)
        names = ", ".join(
            f"“{self.fields[name].column_name}”" for name in self._meta.fields
        )
        for heading in unknown:
            self._file_problems.append(
                Problem(
                    f"This file has a column “{heading}”, which is not one of this "
                    f"file's columns: {names}. Correct its heading, or delete the "
                    "column.",
                    line=1,
                    column=heading,
                )
            )
        for column in {c for c in read if read.count(c) > 1}:
            self._file_problems.append(
                Problem(f"Two columns are headed “{column}”.", line=1, column=column)
            )
        for name in self.get_import_id_fields():
            column = self.fields[name].column_name
            if column not in read and name not in self.optional_columns:
                self._file_problems.append(
                    Problem(
                        f"The file has no “{column}” column: each row needs one, "
                        "to find the record it adds or changes.",
                        line=1,
                        column=column,
                    )
                )
        return read

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # A key column names nothing: said on its cell.
            errors = {}
            for name in self.get_import_id_fields():
                field = self.fields[name]
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(
                        str(error), code="invalid"
                    )
            if errors:
                raise ValidationError(errors) from None
            raise

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Many-to-many cells are saved after the record: check them now.
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                if field.column_name in row:
                    try:
                        field.clean(row)
                    except ValueError as error:
                        errors[field.attribute] = [
                            ValidationError(str(error), code="invalid")
                        ]
        if errors:
            raise ValidationError(errors)

    # What is wrong, in words.

    def problems(self, result):
        problems = list(self._file_problems)
        if problems:
            return problems
        for error in result.base_errors:
            problems.append(Problem(f"The file could not be read: {error.error}"))
        by_column = {}
        for name, field in self.fields.items():
            by_column[name] = field
            by_column.setdefault(field.attribute, field)
        for number, errors in result.row_errors():
            for error in errors:
                problems.append(
                    Problem(
                        f"This row could not be imported: {error.error}",
                        line=self.line(number),
                    )
                )
        for row in result.invalid_rows:
            # The row's values, in the order of the result's headings.
            values = dict(zip(result.diff_headers, row.values, strict=False))
            error = row.error
            if hasattr(error, "error_dict"):
                by_field = error.error_dict
            else:
                by_field = {NON_FIELD_ERRORS: error.error_list}
            for name, messages in by_field.items():
                field = by_column.get(name)
                column = field.column_name if field is not None else ""
                value = values.get(column, "") if column in self._headers else ""
                for error in messages_of(messages):
                    problems.append(
                        Problem(
                            self.plain(error, field),
                            line=self.line(row.number),
                            column=column if name != NON_FIELD_ERRORS else "",
                            value="" if value is None else str(value),
                        )
                    )
        return problems

    def line(self, number):
        """A row's line in the file, as a spreadsheet numbers it."""
        if 0 < number <= len(self._lines):
            return self._lines[number - 1]
        return number + 1

    def plain(self, error, field):
        """A validation error as an editor would say it."""
        code = getattr(error, "code", None)
        params = getattr(error, "params", None) or {}
        model_field = getattr(field, "model_field", None)
        if code in {"null", "blank", "required"}:
            what = takes(model_field, field) if field is not None else ""
            return f"This column needs a value. {what}".strip()
        if code == "invalid_choice" and isinstance(
            getattr(field, "widget", None), ChoiceWidget
        ):
            return (
                "Not one of the allowed values: "
                f"{or_list(value for value, _label in field.widget.choices)}."
            )
        if code == "max_length":
            return (
                f"Too long: {params.get('show_value')} characters, at most "
                f"{params.get('limit_value')}."
            )
        if code == "unique" and model_field is not None:
            opts = self._meta.model._meta
            return (
                f"Another {opts.verbose_name} already has this "
                f"{str(model_field.verbose_name).lower()}."
            )
        return " ".join(error.messages)


def messages_of(errors):
    """ValidationErrors, one per message, whatever they came as."""
    if isinstance(errors, ValidationError):
        errors = errors.error_list
    found = []
    for error in errors:
        if isinstance(error, ValidationError):
            found.extend(error.error_list)
        else:
            found.append(ValidationError(str(error)))
    return found


def summary(result, opts):
    """What a file holds, counted: "6 side effects: 1 new, 2 changed and 3
    unchanged"."""
    totals = result.totals
    counts = [
        (totals.get(RowResult.IMPORT_TYPE_NEW, 0), "new"),
        (totals.get(RowResult.IMPORT_TYPE_UPDATE, 0), "changed"),
        (totals.get(RowResult.IMPORT_TYPE_SKIP, 0), "unchanged"),
        (totals.get(RowResult.IMPORT_TYPE_DELETE, 0), "deleted"),
    ]
    total = sum(count for count, _what in counts)
    if not total:
        return f"no {opts.verbose_name_plural}"
    noun = opts.verbose_name if total == 1 else opts.verbose_name_plural
    parts = [f"{count} {what}" for count, what in counts if count]
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{total} {noun}: {listed}"


class EditorImportForm(LimitedImportForm):
    """The import form (with its size limit, editorial/imports.py), its
    fields named for editors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "resource": "What the file holds",
            "import_file": "File",
            "format": "File type",
        }
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label


class EditorExportForm(ExportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"resource": "What to export", "format": "File type"}
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label
