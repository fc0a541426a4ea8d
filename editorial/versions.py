"""
A record and its facts as data: what a version waiting for a publisher
holds, what a page of history restores, what a diff compares.

A version is the record's own fields and those of the facts it follows in
the edit history (reversion.register's `follow`: a treatment's session
plan, areas, side effects and milestones; a comparison's treatments; a
condition's facts), each as Django's serializers write it:

    {"record": {"model": "treatments.treatment", "pk": 5, "fields": {...}},
     "facts": {"side_effects": [{"model": ..., "pk": ..., "fields": ...}]}}

- `capture(record)`: the record as it is in the database now.
- `from_revision(revision, model, pk)`: the record as one revision of the
  history holds it. Only the record and its own facts: a revision may hold
  other records (a file imported, a list action on several), and restoring
  one record never touches another.
- `apply(version)`: make the database hold it, through each model's
  save() and delete(), so the page cache, the history and every other
  listener hear of it as of any edit. Facts the version does not hold are
  deleted. Fields it does not hold are left as they are, and so are
  MACHINERY and any `keep`: status and review dates for someone who may not
  publish (history never publishes; see editorial/review.py).

A new fact in a version not yet applied keeps the primary key it was given
when the version was made (in a transaction rolled back, see
editorial/admin.py), so that every preview, every edit and the publication
apply it under the same key. PostgreSQL never hands out a key twice, even
from a transaction rolled back; SQLite does, so `reserve_keys` moves its
counter past them.
"""

import json
from collections import defaultdict

from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router
from reversion.revisions import _get_options

# Fields that say when something happens to a record, not what it says:
# never taken from a version.
MACHINERY = ("unpublish_at",)
# What only a publisher may change (editorial/review.py).
PUBLISHING = ("status", "last_reviewed")


def fact_relations(model):
    """[(name, relation)] of the facts a record of `model` follows in its
    history: reverse foreign keys and one-to-ones, as registered with
    django-reversion."""
    relations = []
    for name in _get_options(model).follow:
        field = model._meta.get_field(name)
        if field.auto_created and (field.one_to_many or field.one_to_one):
            relations.append((name, field))
    return relations


def serialize(obj):
    """One record as Django's python serializer writes it, with the fields
    its history keeps, as JSON would read it back."""
    fields = _get_options(type(obj)).fields
    (item,) = serializers.serialize("python", [obj], fields=fields)
    return json.loads(json.dumps(item, cls=DjangoJSONEncoder))


def capture(record):
    """The record and its facts as they are in the database."""
    version = {"record": serialize(record), "facts": {}}
    for name, relation in fact_relations(type(record)):
        facts = relation.related_model._base_manager.filter(
            **{relation.field.name: record.pk}
        ).order_by("pk")
        version["facts"][name] = [serialize(fact) for fact in facts]
    return version


def from_revision(revision, model, pk):
    """The record `pk` of `model` and its facts as `revision` holds them."""
    held = list(revision.version_set.select_related("content_type"))

    def data(version):
        (item,) = json.loads(version.serialized_data)
        return item

    record = next(
        data(version)
        for version in held
        if version.content_type.model_class() is model
        and str(version.object_id) == str(pk)
    )
    version = {"record": record, "facts": {}}
    for name, relation in fact_relations(model):
        fk = relation.field.name
        version["facts"][name] = sorted(
            (
                item
                for item in map(data, held)
                if apps.get_model(item["model"]) is relation.related_model
                and str(item["fields"].get(fk)) == str(pk)
            ),
            key=lambda item: item["pk"],
        )
    return version


def record_model(version):
    return apps.get_model(version["record"]["model"])


def record_pk(version):
    return version["record"]["pk"]


def items(version):
    """Every record the version holds: the record, then its facts."""
    yield version["record"]
    for facts in version["facts"].values():
        yield from facts


def comparable(version, leave_out=()):
    """The version without `leave_out` and the machinery, to tell whether
    two versions say the same."""
    record = dict(version["record"])
    record["fields"] = {
        name: value
        for name, value in record["fields"].items()
        if name not in (*MACHINERY, *leave_out)
    }
    return {"record": record, "facts": version["facts"]}


def build(item):
    """An unsaved instance of the model with the item's fields, and its
    many-to-many values, {field name: [pks]}."""
    (found,) = serializers.deserialize("python", [item], ignorenonexistent=True)
    return found.object, found.m2m_data or {}


def _fields(model, names, leave_out):
    for name in names:
        if name in leave_out:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a field since removed
        if field.concrete and not field.primary_key:
            yield field


def _set_fields(target, source, item, leave_out=()):
    model = type(target)
    for field in _fields(model, item["fields"], leave_out):
        if not field.many_to_many:
            setattr(target, field.attname, getattr(source, field.attname))


def apply(version, *, keep=(), prepare=None):
    """Make the database hold `version` (see the module's docstring).
    `prepare(record)` is called before the record is saved. Returns the
    record, saved."""
    model = record_model(version)
    item = version["record"]
    leave_out = (*MACHINERY, *keep)
    record = model._base_manager.filter(pk=item["pk"]).first()
    built, m2m = build(item)
    if record is None:  # a deleted record, recovered: as a new one would be
        record = built
        for field in _fields(model, leave_out, ()):
            setattr(record, field.attname, field.get_default())
    else:
        _set_fields(record, built, item, leave_out)

    relations = fact_relations(model)
    facts = version["facts"]
    # Facts it does not hold go first: then the record's save (which the
    # history follows to its facts) no longer sees them, and a new fact
    # may take the place (a milestone's position) of one deleted.
    for name, relation in relations:
        if name in facts and record.pk is not None:
            keep_pks = [fact["pk"] for fact in facts[name]]
            relation.related_model._base_manager.filter(
                **{relation.field.name: record.pk}
            ).exclude(pk__in=keep_pks).delete()

    if prepare is not None:
        prepare(record)
    record.save()
    for name, values in m2m.items():
        if name in leave_out or name not in item["fields"]:
            continue
        getattr(record, name).set(values)

    for name, relation in relations:
        fact_model = relation.related_model
        existing = fact_model._base_manager.in_bulk(
            [fact["pk"] for fact in facts.get(name, [])]
        )
        for fact_item in facts.get(name, []):
            built_fact, fact_m2m = build(fact_item)
            fact = existing.get(fact_item["pk"])
            if fact is None:
                fact = built_fact
            elif _says_the_same(fact, fact_item):
                continue  # as it is: no write, however many facts
            else:
                _set_fields(fact, built_fact, fact_item)
            setattr(fact, relation.field.attname, record.pk)
            fact.save()
            for m2m_name, values in fact_m2m.items():
                getattr(fact, m2m_name).set(values)
    return record


def _says_the_same(obj, item):
    held = serialize(obj)["fields"]
    return all(held.get(name) == value for name, value in item["fields"].items())


def reserve_keys(version):
    """SQLite hands out again a key of a row rolled back: move its counter
    past the keys of new records in `version`, so that nothing else takes
    them before the version is applied (see the module's docstring)."""
    model = record_model(version)
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "sqlite":
        return
    highest = defaultdict(int)
    for item in items(version):
        if isinstance(item["pk"], int):
            table = apps.get_model(item["model"])._meta.db_table
            highest[table] = max(highest[table], item["pk"])
    with connection.cursor() as cursor:
        for table, pk in highest.items():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row is None:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, pk],
                )
            elif row[0] < pk:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [pk, table]
                )
