"""The content API in tests: its OpenAPI schema, and a client whose every
response is checked against it (status documented, media type documented,
body valid by the schema)."""

import re
from dataclasses import dataclass
from functools import cached_property

import pytest
from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS30Validator, oas30_format_checker

PROBLEM = "application/problem+json"


@pytest.fixture(scope="session")
def api_schema(django_db_setup, django_db_blocker):
    """The schema as /api/v1/openapi.json serves it (its body-area enum
    read from the empty test database: responses do not depend on it)."""
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def template_pattern(template):
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile(
        "^"
        + "".join(
            "[^/]+" if part.startswith("{") else re.escape(part) for part in parts
        )
        + "$"
    )


@dataclass
class Checked:
    """A Django test client whose GETs are checked against the schema."""

    client: object
    schema: dict

    @cached_property
    def templates(self):
        return [(template_pattern(path), path) for path in self.schema["paths"]]

    def get(self, url, **extra):
        response = self.client.get(url, **extra)
        self.check(response)
        return response

    def operation(self, path):
        for pattern, template in self.templates:
            if pattern.match(path):
                return template, self.schema["paths"][template]["get"]
        return None, None

    def check(self, response):
        """The response is one its operation documents (an address outside
        the API's operations gets a problem)."""
        status = response.status_code
        if status == 304:
            assert response.content == b""
            return
        path = response.request["PATH_INFO"]
        template, operation = self.operation(path)
        media_type = response["Content-Type"].split(";")[0]
        if operation is None or status == 405:
            assert status in (404, 405), f"{path} answered {status}"
            body_schema = {"$ref": "#/components/schemas/Problem"}
            assert media_type == PROBLEM
        else:
            documented = operation["responses"]
            assert str(status) in documented, f"{template} does not document {status}"
            content = documented[str(status)]["content"]
            assert media_type in content, f"{template} {status}: {media_type}"
            body_schema = content[media_type]["schema"]
        validator = OAS30Validator(
            {**body_schema, "components": self.schema["components"]},
            format_checker=oas30_format_checker,
        )
        errors = sorted(validator.iter_errors(response.json()), key=str)
        assert not errors, f"{path} {status}: {errors[0]}"


@pytest.fixture
def api(client, api_schema):
    """client.get for the API, each response checked against its schema."""
    return Checked(client, api_schema)
