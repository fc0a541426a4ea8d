"""The API's OpenAPI schema: valid OpenAPI 3, served where the docs say,
and every operation documents its problems. The docs page runs from static
files alone, under the site's Content-Security-Policy."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi(api_schema):
    validate(api_schema)
    assert api_schema["openapi"].startswith("3.")
    assert api_schema["info"]["license"]["url"].startswith("https://")


def test_every_operation_documents_its_problems(api_schema):
    operations = [
        (path, operation)
        for path, methods in api_schema["paths"].items()
        for operation in methods.values()
    ]
    assert len(operations) == 8
    for path, operation in operations:
        for status in ("200", "400", "404"):
            assert status in operation["responses"], (path, status)
        problem = operation["responses"]["404"]["content"]["application/problem+json"]
        assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_the_catalogue_filters_are_the_filtersets_with_the_site_s_areas(client, seeded):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/v1/treatments/"]["get"]["parameters"]
    }
    assert set(parameters) == {
        "q",
        "body_area",
        "invasiveness",
        "anaesthesia",
        "max_sessions",
        "sort",
        "page",
        "page_size",
    }
    assert "thighs" in parameters["body_area"]["items"]["enum"]
    assert parameters["max_sessions"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
    }
    assert parameters["q"]["maxLength"] == 100


def test_the_schema_is_served_open_and_cached(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/openapi.json")["X-Cache"] == "hit"
    validate(response.json())


def test_the_docs_page_is_the_schema_for_people(client):
    """Rendered on the server from the schema: every operation with its
    parameters and answers; no script, nothing from elsewhere."""
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    for path in ("/api/v1/treatments/", "/api/v1/compare/", "/api/v1/changes/"):
        assert f"<code>{path}</code>" in page
    assert "<code>max_sessions</code>" in page
    assert "Whole number from 1 to 100" in page
    assert "<code>application/problem+json</code>" in page
    assert "<script" not in page
    assert " style=" not in page and "<style" not in page
    assert 'href="/api/v1/openapi.json"' in page
