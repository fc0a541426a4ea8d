"""
Facts as the API gives them: each with its citation, each silence as a
silence.

A fact the source states is an object with `"stated": true`, what it says
and where it says it (`citation`: the source's identifier, among the
response's `citation` list, and where in the source, or null where the
editor did not say). A fact the source does not state is `{"stated":
false}` and nothing else: never an empty string, an empty list or a null
that a reader could take for "none". No sentence of the site's ("Not
stated in its source") is in the data: how to word a silence is the
reader's.

Each field's OpenAPI schema is a named component (api/schema.py), so that
the schema says the same as the data.
"""

from rest_framework import serializers

from treatments.models import NOT_STATED_CHOICE

NOT_STATED = {"stated": False}


def blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


def citation(record):
    """Where a record's facts come from: its source's identifier, and where
    in the source (null if not given)."""
    return {
        "source": record.source.slug,
        "location": record.source_location or None,
    }


def said(value):
    """A value the source may not give, without a citation of its own (the
    record it belongs to has one)."""
    return NOT_STATED if blank(value) else {"stated": True, "text": value}


class Fact(serializers.Field):
    """A fact of the record being serialised: `attr` is its attribute; the
    record's own source and location are its citation."""

    def __init__(self, attr, **kwargs):
        self.attr = attr
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, record):
        value = getattr(record, self.attr)
        if blank(value):
            return NOT_STATED
        return {
            "stated": True,
            **self.stated(record, value),
            "citation": citation(record),
        }

    def stated(self, record, value):
        return {"text": value}


class TextFact(Fact):
    """What the source says, in the site's words."""


class ChoiceFact(Fact):
    """One of a fixed set of answers (`value`, with its `label`); the set's
    "not stated" answer is a silence."""

    def __init__(self, attr, choices, **kwargs):
        self.choices = choices
        super().__init__(attr, **kwargs)

    def to_representation(self, record):
        if getattr(record, self.attr) == NOT_STATED_CHOICE:
            return NOT_STATED
        return super().to_representation(record)

    def stated(self, record, value):
        return {"value": value, "label": self.choices(value).label}

    @property
    def values(self):
        return [value for value in self.choices.values if value != NOT_STATED_CHOICE]


class ListFact(serializers.Field):
    """A list of facts, each with its own citation (body areas, side effects,
    milestones): `{"stated": true, "items": [...]}` with at least one item,
    or a silence."""

    def __init__(self, child, order=None, **kwargs):
        self.child = child
        self.order = order
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.child.bind("", self)

    def to_representation(self, value):
        items = list(value.all() if hasattr(value, "all") else value)
        if self.order is not None:
            items.sort(key=self.order)
        if not items:
            return NOT_STATED
        return {
            "stated": True,
            "items": [self.child.to_representation(item) for item in items],
        }


class Constant(serializers.Field):
    """The same value for every record, such as "@type": "MedicalWebPage";
    the schema says it can be nothing else."""

    def __init__(self, value, **kwargs):
        self.value = value
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, record):
        return self.value


def renamed(fields, **names):
    """Serializer fields with some renamed to what Python cannot name, such
    as `type_` to "@type", in the order declared."""
    return {names.get(name, name): field for name, field in fields.items()}
