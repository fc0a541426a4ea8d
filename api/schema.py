"""
The OpenAPI schema's own parts: the shapes of facts and silences (named
components), the catalogue's filters as parameters (from the FilterSet the
catalogue page uses, with the body areas the site has), and the problem
details every operation may answer with.

drf-spectacular finds the extensions here when api/apps.py imports this
module; the hooks are named in settings.SPECTACULAR_SETTINGS.
"""

from django.db import DatabaseError
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type, build_parameter_type
from drf_spectacular.utils import OpenApiParameter

from treatments.areas import AreaTree
from treatments.models import Source

from .problems import PROBLEM_SCHEMA, PROBLEM_TYPE

REF = "#/components/schemas/{}"


def ref(name):
    return {"$ref": REF.format(name)}


NOT_STATED = {
    "type": "object",
    "description": "The source does not say. Not “none” or “never”: unknown.",
    "properties": {"stated": {"type": "boolean", "enum": [False]}},
    "required": ["stated"],
    "additionalProperties": False,
}


def stated(properties, required=(), description=""):
    """An object with `"stated": true` and these properties."""
    return {
        "type": "object",
        **({"description": description} if description else {}),
        "properties": {"stated": {"type": "boolean", "enum": [True]}, **properties},
        "required": ["stated", *(required or properties)],
    }


def either(schema):
    return {"oneOf": [schema, ref("NotStated")]}


def nullable_integer(description):
    return {"type": "integer", "nullable": True, "description": description}


def figure(extra=None, extra_required=()):
    """A figure of the session plan: the page's words, the numbers read
    from the source, the source's own words, the citation."""
    properties = {
        "text": {
            "type": "string",
            "nullable": True,
            "description": "As the page puts it; null where only the source's "
            "own words are given.",
        },
        "minValue": nullable_integer("The least; null if the source gives none."),
        "maxValue": nullable_integer("The most; null if the source gives none."),
        **(extra or {}),
        "inSourceWords": ref("Said"),
        "citation": ref("Citation"),
    }
    required = ["text", "minValue", "maxValue", *extra_required]
    return either(stated(properties, [*required, "inSourceWords", "citation"]))


COMPONENTS = {
    "NotStated": NOT_STATED,
    "Citation": {
        "type": "object",
        "description": "Where a fact comes from.",
        "properties": {
            "source": {
                "type": "string",
                "description": "The identifier of the source, among the "
                "response's `citation` (a treatment) or /sources/.",
            },
            "location": {
                "type": "string",
                "nullable": True,
                "description": "Where in the source, e.g. “paragraph 5”; null "
                "where the editor did not say.",
            },
        },
        "required": ["source", "location"],
    },
    "Said": either(
        stated({"text": {"type": "string"}}, description="A text that is given.")
    ),
    "SaidUrl": either(stated({"text": {"type": "string", "format": "uri"}})),
    "SaidDate": either(stated({"date": {"type": "string", "format": "date"}})),
    "TextFact": either(
        stated(
            {"text": {"type": "string"}, "citation": ref("Citation")},
            description="What the source says, in the site's words, and where.",
        )
    ),
    "UncitedChoice": either(
        {
            "type": "object",
            "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
            "required": ["value", "label"],
        }
    ),
    "SourceKind": {
        "type": "object",
        "properties": {
            "value": {"type": "string", "enum": list(Source.Kind.values)},
            "label": {"type": "string"},
        },
        "required": ["value", "label"],
    },
    "Frequency": either(
        stated(
            {
                "value": {
                    "type": "string",
                    "enum": ["common", "less-common", "rare"],
                    "description": "How common, as the site reads the source.",
                },
                "label": {"type": "string"},
                "inSourceWords": ref("Said"),
            }
        )
    ),
    "DayRange": {
        "type": "object",
        "description": "A schema.org QuantitativeValue, in days (unitCode DAY).",
        "properties": {
            "@type": {"type": "string", "enum": ["QuantitativeValue"]},
            "minValue": {"type": "integer"},
            "maxValue": {"type": "integer"},
            "unitCode": {"type": "string", "enum": ["DAY"]},
        },
        "required": ["@type", "minValue", "maxValue", "unitCode"],
    },
    "SessionCount": figure(
        {
            "typicalValue": nullable_integer("The typical number; null if none."),
            "kind": {
                "type": "object",
                "properties": {
                    "value": {"type": "string", "enum": ["course", "single", "none"]},
                    "label": {"type": "string"},
                },
                "required": ["value", "label"],
            },
        },
        ["typicalValue", "kind"],
    ),
    "DaysFigure": figure(
        {"unitCode": {"type": "string", "enum": ["DAY"]}}, ["unitCode"]
    ),
    "SessionsFigure": figure(),
    "Questions": either(
        stated({"items": {"type": "array", "items": {"type": "string"}, "minItems": 1}})
    ),
    "AreaNames": either(
        stated(
            {
                "items": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {
                            "identifier": {"type": "string"},
                            "name": {"type": "string"},
                        },
                        "required": ["identifier", "name"],
                    },
                }
            }
        )
    ),
    "Problem": PROBLEM_SCHEMA,
}


class TextFactField(OpenApiSerializerFieldExtension):
    target_class = "api.fields.TextFact"

    def map_serializer_field(self, auto_schema, direction):
        return ref("TextFact")


class ChoiceFactField(OpenApiSerializerFieldExtension):
    """One component per set of answers, with its values."""

    target_class = "api.fields.ChoiceFact"

    def get_name(self):
        return f"{self.target.choices.__name__}Fact"

    def map_serializer_field(self, auto_schema, direction):
        return either(
            stated(
                {
                    "value": {"type": "string", "enum": self.target.values},
                    "label": {"type": "string"},
                    "citation": ref("Citation"),
                }
            )
        )


class ListFactField(OpenApiSerializerFieldExtension):
    target_class = "api.fields.ListFact"

    def map_serializer_field(self, auto_schema, direction):
        item = auto_schema.resolve_serializer(self.target.child, direction).ref
        return either(
            stated({"items": {"type": "array", "items": item, "minItems": 1}})
        )


class ConstantField(OpenApiSerializerFieldExtension):
    target_class = "api.fields.Constant"

    def map_serializer_field(self, auto_schema, direction):
        value = self.target.value
        if isinstance(value, list):
            return {"type": "array", "items": {"type": "string", "enum": value}}
        return {"type": "string", "enum": [value]}


class CatalogueFilters(DjangoFilterExtension):
    """The catalogue's FilterSet as parameters, tightened to what it
    accepts: the body areas the site has, the bounds of each field."""

    target_class = "api.views.CatalogueFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, name, field):
        if name == "body_area":
            # Its choices are the site's areas, read when the FilterSet is made.
            # (An enum may not be empty: with no areas yet, any text, refused.)
            # `manage.py check --deploy` makes the schema too, perhaps before
            # the database has its tables: any slug then.
            try:
                slugs = [area.slug for area in AreaTree.load().areas]
            except DatabaseError:
                slugs = []
            item = {"type": "string", **({"enum": slugs} if slugs else {})}
            return [
                build_parameter_type(
                    name=name,
                    location=OpenApiParameter.QUERY,
                    description=field.extra["help_text"],
                    schema=build_array_type(item),
                    explode=True,
                    style="form",
                )
            ]
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, name, field
        )
        for parameter in parameters:
            schema = parameter["schema"]
            if name == "q":
                schema["maxLength"] = field.extra["max_length"]
                # A form's text field refuses a null character (Django's
                # ProhibitNullCharactersValidator): a 400 that names `q`.
                schema["pattern"] = r"^[^\x00]*$"
            elif name == "max_sessions":
                schema.update(
                    type="integer",
                    minimum=field.extra["min_value"],
                    maximum=field.extra["max_value"],
                )
                schema.pop("format", None)
        return parameters


SLUG = r"^[-a-zA-Z0-9_]+$"  # Django's <slug:...> path converter


def finish(result, generator, request, public):
    """The last touches drf-spectacular cannot infer: the components above;
    every operation may answer with problem details (400 for a parameter it
    cannot use, 404 for what is not there); an identifier in a path is a
    slug; and an empty query parameter is the same as none, as in the
    site's forms (?page= is page 1)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    problem = {
        "description": "",
        "content": {PROBLEM_TYPE: {"schema": ref("Problem")}},
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, words in (
                ("400", "A parameter it cannot use, named in `invalid-params`."),
                ("404", "No such thing, or no such page of results."),
            ):
                responses.setdefault(status, {**problem, "description": words})
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "slug":
                    parameter["schema"]["pattern"] = SLUG
                    parameter["description"] = "Its identifier."
                elif parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
