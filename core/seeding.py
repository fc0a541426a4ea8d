"""
The fixtures are the site's first content, not its master copy.

`manage.py seed` loads each fixture record once and remembers, in
SeedRecord, the natural key the fixture gives it and the record it became.
From then on the record belongs to the editors: whatever they do to it
(edit, unpublish, rename, move to another area, delete), a later seed
leaves it alone. A seed adds only what it never loaded: a record, or a
whole fixture file, that developers added since. With nothing new it
writes nothing: no revision, no new content version.

- `seed --check` runs the seed with `--update` in a transaction it rolls
  back, and lists where the fixtures and the database differ, and why.
- `seed --update` also applies a fixture's change to a record no editor has
  changed since it was loaded, and names each record it left alone.
- A record that cannot be loaded (a broken fixture, a name an editor has
  since given another record) is reported with its fixture and key, and
  the rest still load, so the site starts with the content it has. The
  test suite seeds with strict=True, so a broken fixture fails CI.

A record already in the database that the seed never loaded (a database
seeded before the seed kept records, or restored from a backup) is adopted
as it is: remembered, never overwritten.
"""

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import reversion
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from .models import SeedRecord


def natural_key_fields(label):
    """The fields of a model's natural key, in natural_key()'s order, as a
    fixture writes them (a foreign key as the natural key of its target):
    each app declares them for its models in its AppConfig, as
    `natural_key_fields = {"model name": [field, ...]}`. The seed finds a
    record it loaded by this key, even after an editor has renamed it;
    tests/core/test_seed.py checks it against natural_key()."""
    app_label, model_name = label.split(".")
    try:
        config = apps.get_app_config(app_label)
        return config.natural_key_fields[model_name]
    except (LookupError, AttributeError, KeyError):
        raise SeedError(
            f"the seed does not know the natural key of {label}: add it to "
            f"natural_key_fields in the {app_label} app's AppConfig"
        ) from None


LOADED_COMMENT = "Loaded from fixtures/ by manage.py seed"
UPDATED_COMMENT = "Updated from fixtures/ by manage.py seed --update"


class SeedError(Exception):
    """A fixture record that cannot be loaded, and why."""


class Outcome(StrEnum):
    LOADED = "loaded"  # new: loaded now
    ADOPTED = "adopted"  # new to the seed but already there: kept as it is
    UNCHANGED = "unchanged"
    UPDATED = "updated"  # the fixture changed and no editor had: applied
    UPDATABLE = "updatable"  # the same, without --update
    EDITED = "edited"  # changed by editors since loading: left alone
    DELETED = "deleted"  # deleted by editors: not re-created
    FAILED = "failed"  # could not be loaded
    RETIRED = "retired"  # loaded once, no longer in the fixtures


@dataclass
class Entry:
    """One record of a fixture file."""

    fixture: str  # the file's name
    label: str  # "treatments.treatment"
    fields: dict

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def key(self):
        """The record's natural key, in the fixture's own words, as JSON."""
        names = natural_key_fields(self.label)
        key = []
        for name in names:
            value = self.fields.get(name)
            key.extend(value if isinstance(value, list) else [value])
        return json.dumps(key, ensure_ascii=False)

    def __str__(self):
        try:
            name = describe(self.model, json.loads(self.key))
        except (SeedError, LookupError):
            name = self.label
        return f"{name} in fixtures/{self.fixture}"


@dataclass
class Result:
    outcome: Outcome
    name: str  # what the record is, for people: see Entry.__str__
    detail: str = ""


def describe(model, natural_key):
    """ "treatment “mesotherapy”", "side effect “mesotherapy / bruising”"."""
    return f"{model._meta.verbose_name} “{' / '.join(map(str, natural_key))}”"


def fixture_paths():
    """Every JSON file in FIXTURE_DIRS, in an order they can be loaded in: a
    file after those holding what its records refer to (natural foreign
    keys must name records already loaded), else by name."""
    paths = {
        path.stem: path
        for directory in settings.FIXTURE_DIRS
        for path in sorted(Path(directory).glob("*.json"))
    }
    holds = {name: models_in(path) for name, path in paths.items()}
    needs = {
        name: {
            other
            for other, theirs in holds.items()
            if other != name and refers_to(ours, theirs)
        }
        for name, ours in holds.items()
    }
    ordered = []
    while needs:
        ready = sorted(name for name, wanted in needs.items() if wanted <= {*ordered})
        if not ready:  # files that refer to each other: by name, as before
            ready = sorted(needs)
        ordered += ready
        for name in ready:
            del needs[name]
    return [paths[name] for name in ordered]


def models_in(path):
    """The models a fixture file holds records of; none if it cannot be read
    (the seed reports that file when it loads it)."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
        labels = {item["model"].lower() for item in items}
    except (ValueError, KeyError, TypeError, AttributeError):
        return set()
    found = set()
    for label in labels:
        try:
            found.add(apps.get_model(label))
        except (LookupError, ValueError):
            continue
    return found


def refers_to(models, others):
    """Whether any of `models` has a relation to one of `others` (which are
    not among `models` themselves)."""
    return any(
        field.related_model in others and field.related_model not in models
        for model in models
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation
    )


def fixture_names():
    return [path.stem for path in fixture_paths()]


def state_of(record, m2m=None):
    """A record's fields as text, foreign keys as primary keys: compared to
    tell whether anyone has changed the record. `m2m` gives the many-to-many
    values of a record not saved yet. Fields that are not serialized are
    derived, not content (such as a body area's count of treatments), and
    left out: nobody edits them."""
    state = {
        field.name: field.value_to_string(record)
        for field in record._meta.concrete_fields
        # Fields no editor writes (a source's link check, an area's count)
        # are no one's edit.
        if not field.primary_key and field.editable and field.serialize
    }
    for field in record._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:
            if m2m is None:
                pks = getattr(record, field.name).values_list("pk", flat=True)
            else:
                pks = m2m.get(field.name, [])
            state[field.name] = sorted(str(pk) for pk in pks)
    return state


def same_where_both(first, second):
    """Whether two states agree on the fields both have: a migration that
    adds or removes a field since a record was loaded is no one's edit."""
    return all(first[name] == second[name] for name in first.keys() & second.keys())


def differing(first, second):
    return sorted(
        name
        for name in first.keys() | second.keys()
        if first.get(name) != second.get(name)
    )


class Seed:
    """One run of the seed; `run()` returns its results, one per record."""

    def __init__(self, *, update=False):
        self.update = update
        self.records = {
            (record.model, record.key): record for record in SeedRecord.objects.all()
        }
        self.loaded = []  # saved records, for the revision
        self.updated = []

    def run(self):
        results, seen = [], set()
        for path in fixture_paths():
            try:
                entries = [
                    Entry(path.name, item["model"].lower(), item["fields"])
                    for item in json.loads(path.read_text(encoding="utf-8"))
                ]
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                results.append(
                    Result(
                        Outcome.FAILED,
                        f"fixtures/{path.name}",
                        f"cannot be read: {error}",
                    )
                )
                continue
            for entry in entries:
                try:
                    identity = (entry.label, entry.key)
                    entry.model  # noqa: B018 (an unknown model is a SeedError too)
                except (SeedError, LookupError) as error:
                    results.append(Result(Outcome.FAILED, str(entry), str(error)))
                    continue
                if identity in seen:
                    results.append(
                        Result(Outcome.FAILED, str(entry), "is in the fixtures twice")
                    )
                    continue
                seen.add(identity)
                outcome, detail = self.seed(entry, self.records.get(identity))
                results.append(Result(outcome, str(entry), detail))
        for (label, key), record in self.records.items():
            if (label, key) not in seen:
                name = describe(apps.get_model(label), json.loads(key))
                results.append(
                    Result(Outcome.RETIRED, name, f"loaded from {record.fixture}")
                )
        self.save_revision()
        return results

    def seed(self, entry, record):
        """Load, adopt, update or leave alone one fixture record."""
        try:
            with transaction.atomic():
                if record is None:
                    return self.load(entry)
                return self.compare(entry, record)
        except (
            SeedError,
            DeserializationError,
            DatabaseError,
            ValidationError,
            ObjectDoesNotExist,
        ) as error:
            return Outcome.FAILED, f"could not be loaded: {error}"

    def load(self, entry):
        built = self.build(entry)
        if built.object.pk is not None:
            # Already there under this natural key, not loaded by the seed.
            existing = entry.model._base_manager.get(pk=built.object.pk)
            current = state_of(existing)
            same = current == state_of(built.object, built.m2m_data)
            self.remember(entry, existing, state=current if same else None)
            return Outcome.ADOPTED, "" if same else "differs from the fixture"
        built.save()
        saved = entry.model._base_manager.get(pk=built.object.pk)
        self.remember(entry, saved, state=state_of(saved))
        self.loaded.append(saved)
        return Outcome.LOADED, ""

    def compare(self, entry, record):
        current = entry.model._base_manager.filter(pk=record.object_id).first()
        if current is None:
            return Outcome.DELETED, ""
        state = state_of(current)
        # Nobody has changed it since it was loaded.
        untouched = record.state is not None and same_where_both(record.state, state)
        if untouched and record.fields == entry.fields:
            return Outcome.UNCHANGED, ""
        built = self.build(entry)
        wanted = state_of(built.object, built.m2m_data)
        if wanted == state:
            # It already reads as the fixture does (a migration or an editor
            # made it so): --update only takes the fixture as its baseline.
            if self.update and record.fields != entry.fields:
                self.remember_again(record, entry, state)
            return Outcome.UNCHANGED, ""
        if not untouched:
            changes = ", ".join(differing(state, wanted))
            return Outcome.EDITED, f"differs from the fixture in {changes}"
        changes = ", ".join(differing(record.fields, entry.fields))
        if not self.update:
            return Outcome.UPDATABLE, f"the fixture changed: {changes}"
        built.object.pk = current.pk
        built.save()
        saved = entry.model._base_manager.get(pk=current.pk)
        self.remember_again(record, entry, state_of(saved))
        self.updated.append(saved)
        return Outcome.UPDATED, f"from the fixture: {changes}"

    def build(self, entry):
        """The fixture record as an unsaved DeserializedObject. Its primary
        key is set if a record with its natural key is already there."""
        fields = dict(entry.fields)
        for field in entry.model._meta.get_fields():
            if field.concrete and field.is_relation and field.name in fields:
                target = field.related_model._meta.label_lower
                value = fields[field.name]
                if field.many_to_many:
                    fields[field.name] = [self.resolve(target, key) for key in value]
                elif isinstance(value, list):
                    fields[field.name] = self.resolve(target, value)
        (built,) = serializers.deserialize(
            "python", [{"model": entry.label, "fields": fields}]
        )
        return built

    def resolve(self, label, natural_key):
        """A natural foreign key, as the primary key of the record the seed
        loaded for it (an editor may have renamed it since), or as it is."""
        record = self.records.get((label, json.dumps(natural_key, ensure_ascii=False)))
        if record is None:
            return natural_key
        if not apps.get_model(label)._base_manager.filter(pk=record.object_id).exists():
            raise SeedError(
                f"it refers to {label} “{' / '.join(map(str, natural_key))}”, "
                "which an editor has deleted"
            )
        return record.object_id

    def remember(self, entry, obj, *, state):
        self.records[entry.label, entry.key] = SeedRecord.objects.create(
            model=entry.label,
            key=entry.key,
            fixture=entry.fixture,
            object_id=str(obj.pk),
            fields=entry.fields,
            state=state,
        )

    def remember_again(self, record, entry, state):
        record.fields = entry.fields
        record.state = state
        record.save(update_fields=["fields", "state"])

    def save_revision(self):
        """One revision in the content's history for what this run wrote,
        and none when it wrote nothing."""
        if not (self.loaded or self.updated):
            return
        with reversion.create_revision(manage_manually=True):
            reversion.set_comment(UPDATED_COMMENT if self.updated else LOADED_COMMENT)
            for obj in [*self.loaded, *self.updated]:
                reversion.add_to_revision(obj)
