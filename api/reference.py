"""The API's reference for people (/api/v1/docs/): its OpenAPI schema as a
page of the site, rendered on the server. No script: it reads with any
browser, offline, under the site's Content-Security-Policy, and keeps to
the site's accessibility checks (Swagger UI, tried first, does not: its
operations nest buttons in buttons, its colours fail contrast, and it adds
a second main landmark)."""

from drf_spectacular.generators import SchemaGenerator

REF = "#/components/schemas/"


def type_of(schema):
    """A parameter's type in words: "whole number from 1 to 100", "text"."""
    if schema.get("type") == "array":
        return f"{type_of(schema['items'])}, repeatable"
    if schema.get("type") == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"whole number from {low} to {high}"
        return f"whole number of {low} or more" if low is not None else "whole number"
    words = "text"
    if "maxLength" in schema:
        words += f", at most {schema['maxLength']} characters"
    if "pattern" in schema:
        words += ": letters, digits, - and _"
    return words


def values_of(schema):
    return (schema.get("items") or schema).get("enum", [])


def answer(status, response):
    content = response.get("content", {})
    media_type, body = next(iter(content.items()), (None, {}))
    schema = body.get("schema", {})
    name = schema.get("$ref", "").removeprefix(REF)
    return {
        "status": status,
        "description": response.get("description", ""),
        "media_type": media_type,
        "schema": name,
    }


def operations(schema):
    """Each operation of the schema, as the page lists it."""
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            description = operation.get("description", "").strip()
            found.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "description": description,
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": "in the path"
                            if parameter["in"] == "path"
                            else "in the query",
                            "required": parameter.get("required", False),
                            "type": type_of(parameter["schema"]),
                            "values": values_of(parameter["schema"]),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "answers": [
                        answer(status, response)
                        for status, response in sorted(operation["responses"].items())
                    ],
                }
            )
    return found


def reference():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {"info": schema["info"], "operations": operations(schema)}
