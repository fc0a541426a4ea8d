"""The 404 and 500 pages need no database: they still render, with the
right status, while every query fails."""

import logging

import pytest
from django.db import IntegrityError, OperationalError, connection

from treatments.views import TreatmentListView

pytestmark = pytest.mark.django_db

DOWN = "connection to server at 127.0.0.1, port 5432 failed: Connection refused"


@pytest.fixture
def database_down():
    """Every query fails as it does when the server is gone. Yields the
    queries that were tried."""
    tried = []

    def refuse(execute, sql, params, many, context):
        tried.append(sql)
        raise OperationalError(DOWN)

    with connection.execute_wrapper(refuse):
        yield tried


@pytest.fixture
def returning_visitor(client):
    """A client with a session cookie, as an editor's browser has: anything
    on the page that loaded the session or the user would query."""
    client.cookies["sessionid"] = "a" * 32
    return client


def template_names(response):
    return [template.name for template in response.templates]


@pytest.mark.parametrize(
    "path", ["/no-such-page/", "/no-such-page", "/treatments/a/b/"]
)
def test_404_page_without_the_database(returning_visitor, database_down, path):
    response = returning_visitor.get(path)
    assert response.status_code == 404
    assert template_names(response)[0] == "404.html"
    page = response.content.decode()
    assert "We could not find that page" in page
    assert 'href="/treatments/"' in page  # the way on
    assert database_down == []


def test_503_page_when_a_view_fails_for_want_of_the_database(client, database_down):
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert template_names(response) == ["503.html"]
    page = response.content.decode()
    assert "This page is not available just now" in page
    for detail in ("Traceback", "OperationalError", "Connection refused", "SELECT"):
        assert detail not in page
    assert database_down  # it was tried


def test_other_database_errors_are_still_the_500_page(client, monkeypatch):
    """Only "cannot reach the database" is a 503: a query the database
    refuses is a bug, and says so."""

    def refuse(execute, sql, params, many, context):
        raise IntegrityError("a rule in the database refused this")

    client.raise_request_exception = False
    with connection.execute_wrapper(refuse):
        response = client.get("/")
    assert response.status_code == 500
    assert template_names(response) == ["500.html"]


def test_500_page_for_a_crashing_view(
    returning_visitor, database_down, monkeypatch, caplog
):
    # With the database down nothing is cached, so the view itself runs.
    def crash(self):
        raise RuntimeError("secret detail: /srv/app/settings.py line 42")

    monkeypatch.setattr(TreatmentListView, "get_queryset", crash)
    client = returning_visitor
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/treatments/?q=laser")
    assert response.status_code == 500
    assert template_names(response) == ["500.html"]
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    for detail in ("Traceback", "RuntimeError", "secret detail", "settings.py"):
        assert detail not in page
    # The page says "we have been told about it": the error is logged, with
    # its traceback, for whoever reads the logs.
    (record,) = caplog.records
    assert record.status_code == 500
    assert record.exc_info[0] is RuntimeError
