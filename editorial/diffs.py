"""
What a version changes, in the words of the forms: for the publisher who
reviews it (editorial/admin.py's review page).

`compare(before, after)` takes two versions (editorial/versions.py; before
is None for a page never published) and returns the fields that differ,
by their labels, with their values as the admin shows them (a choice by
its label, a source by its title, a date as a date), and the facts added,
removed or changed, each named as the admin names it ("Itching (common)").
Long text is compared word by word, with what goes struck out (<del>) and
what comes underlined (<ins>). Status and review dates are left out: the
publication sets them.
"""

import datetime
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.apps import apps
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from . import versions

# Set by the publication, not by the version.
LEFT_OUT = ("status", "last_reviewed", "unpublish_at")
# Text this long, or on several lines, is compared word by word.
WORDY = 60
EMPTY = mark_safe('<span class="diff-empty">(empty)</span>')


@dataclass
class Line:
    label: str
    before: str
    after: str


@dataclass
class Fact:
    label: str
    change: str  # "added", "removed" or "changed"
    lines: list = field(default_factory=list)


@dataclass
class Group:
    label: str
    facts: list


@dataclass
class Diff:
    lines: list
    groups: list

    def __bool__(self):
        return bool(self.lines or self.groups)


def compare(before, after):
    """The Diff from version `before` (None: nothing) to version `after`."""
    model = versions.record_model(after)
    names = Names([before, after])
    record_after = names.build(after["record"])
    lines = _lines(
        model,
        before["record"]["fields"] if before else {},
        after["record"]["fields"],
        names,
        skip=LEFT_OUT,
    )
    groups = []
    for name, relation in versions.fact_relations(model):
        fact_model = relation.related_model
        parent = relation.field.name
        old = {
            item["pk"]: item
            for item in (before or {"facts": {}})["facts"].get(name, [])
        }
        new = {item["pk"]: item for item in after["facts"].get(name, [])}
        facts = []
        for pk, item in new.items():
            label = names.label(item, parent, record_after)
            if pk not in old:
                facts.append(
                    Fact(
                        label,
                        "added",
                        _lines(fact_model, {}, item["fields"], names, skip=[parent]),
                    )
                )
            else:
                changed = _lines(
                    fact_model,
                    old[pk]["fields"],
                    item["fields"],
                    names,
                    skip=[parent],
                )
                if changed:
                    facts.append(
                        Fact(
                            names.label(old[pk], parent, record_after),
                            "changed",
                            changed,
                        )
                    )
        for pk, item in old.items():
            if pk not in new:
                facts.append(
                    Fact(names.label(item, parent, record_after), "removed", [])
                )
        if facts:
            groups.append(Group(capfirst(fact_model._meta.verbose_name_plural), facts))
    return Diff(lines, groups)


def _lines(model, before, after, names, skip=()):
    lines = []
    for name in dict.fromkeys([*after, *before]):
        if name in skip:
            continue
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a field since removed
            continue
        old = names.display(model_field, before.get(name))
        new = names.display(model_field, after.get(name))
        if old == new:
            continue
        if (
            isinstance(old, str)
            and isinstance(new, str)
            and (max(len(old), len(new)) > WORDY or "\n" in old + new)
        ):
            old_html, new_html = word_diff(old, new)
        else:
            old_html = EMPTY if old is None else escape(old)
            new_html = EMPTY if new is None else escape(new)
        lines.append(Line(capfirst(model_field.verbose_name), old_html, new_html))
    return lines


class Names:
    """The records that two versions refer to (sources, side-effect kinds,
    body areas...): one query per kind."""

    def __init__(self, version_list):
        wanted = {}
        for version in version_list:
            if version is None:
                continue
            for item in versions.items(version):
                model = apps.get_model(item["model"])
                for name, value in item["fields"].items():
                    try:
                        model_field = model._meta.get_field(name)
                    except Exception:  # noqa: BLE001 - a field since removed
                        continue
                    if not model_field.is_relation or value in (None, ""):
                        continue
                    related = model_field.related_model
                    values = value if model_field.many_to_many else [value]
                    wanted.setdefault(related, set()).update(values)
        self.records = {
            related: related._base_manager.in_bulk(pks)
            for related, pks in wanted.items()
        }

    def get(self, related, pk):
        return self.records.get(related, {}).get(pk)

    def display(self, model_field, value):
        """The value as the admin shows it; None when empty."""
        if value is None or value == "" or value == []:
            return None
        if model_field.many_to_many:
            return ", ".join(
                sorted(
                    str(self.get(model_field.related_model, pk) or pk) for pk in value
                )
            )
        if model_field.is_relation:
            found = self.get(model_field.related_model, value)
            return str(found) if found is not None else f"(deleted: {value})"
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return "Yes" if value else "No"
        if isinstance(model_field, models.DateTimeField):
            when = parse_datetime(value) if isinstance(value, str) else value
            return date_format(when, "j F Y, H:i") if when else str(value)
        if isinstance(model_field, models.DateField):
            day = parse_date(value) if isinstance(value, str) else value
            return (
                date_format(day, "j F Y") if isinstance(day, datetime.date) else value
            )
        return str(value)

    def build(self, item):
        """An unsaved instance of the item, its relations filled from what
        was read, so that its name needs no query."""
        instance, _ = versions.build(item)
        for model_field in type(instance)._meta.concrete_fields:
            if model_field.is_relation:
                related = self.get(
                    model_field.related_model, getattr(instance, model_field.attname)
                )
                if related is not None:
                    model_field.set_cached_value(instance, related)
        return instance

    def label(self, item, parent, record):
        instance = self.build(item)
        parent_field = type(instance)._meta.get_field(parent)
        parent_field.set_cached_value(instance, record)
        return str(instance)


def word_diff(before, after):
    """(before, after) as HTML: words gone in <del>, words new in <ins>."""
    before, after = before or "", after or ""
    old = re.split(r"(\s+)", before)
    new = re.split(r"(\s+)", after)
    old_html, new_html = [], []
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        gone = "".join(old[i1:i2])
        came = "".join(new[j1:j2])
        if op == "equal":
            old_html.append(escape(gone))
            new_html.append(escape(came))
            continue
        if gone:
            old_html.append(format_html("<del>{}</del>", gone))
        if came:
            new_html.append(format_html("<ins>{}</ins>", came))
    return (
        mark_safe("".join(old_html)) if before else EMPTY,
        mark_safe("".join(new_html)) if after else EMPTY,
    )
