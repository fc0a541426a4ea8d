"""Case 8: a session cookie that is not a logged-in editor's gets the
cached page, for at most one session lookup; editors still bypass it."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from core.cache import versions

pytestmark = pytest.mark.django_db

PAGE = "/treatments/mesotherapy/"


def version_queries():
    """What a cached page costs before any session: the content version,
    from the database unless a shared cache holds it."""
    return 0 if versions.shared_cache() else 1


def session_lookups(captured):
    return sum("django_session" in query["sql"] for query in captured)


@pytest.fixture
def cached(seeded, client):
    assert client.get(PAGE)["X-Cache"] == "miss"
    return client


@pytest.mark.parametrize("cookie", ["anything", "x" * 4000, "a" * 31 + "!"])
def test_a_malformed_cookie_is_not_even_looked_up(
    cached, cookie, django_assert_num_queries
):
    cached.cookies["sessionid"] = cookie
    with django_assert_num_queries(version_queries()):
        response = cached.get(PAGE)
    assert response["X-Cache"] == "hit"


def test_a_forged_cookie_costs_one_session_lookup(cached, django_assert_num_queries):
    cached.cookies["sessionid"] = "k3x9" * 8  # the form of a real one
    with django_assert_num_queries(version_queries() + 1) as captured:
        response = cached.get(PAGE)
    assert response["X-Cache"] == "hit"
    assert session_lookups(captured.captured_queries) == 1
    assert "private" not in response["Cache-Control"]


def test_an_anonymous_session_gets_the_cached_page(cached):
    session = SessionStore()
    session["seen_intro"] = True
    session.create()
    cached.cookies["sessionid"] = session.session_key
    assert cached.get(PAGE)["X-Cache"] == "hit"


def test_a_user_who_is_not_staff_gets_the_public_page(seeded, client):
    reader = User.objects.create_user("reader", password="a-long-password-123")
    client.force_login(reader)
    first = client.get(PAGE)
    assert first["X-Cache"] == "miss"  # rendered as for anyone, and stored:
    assert Client().get(PAGE)["X-Cache"] == "hit"
    assert client.get(PAGE)["X-Cache"] == "hit"


def test_an_editor_bypasses_the_cache(cached, editor_client):
    response = editor_client.get(PAGE)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_a_session_from_before_the_mark_counts_as_an_editor(cached, editor):
    """Sessions logged in before this release have no mark: they are taken
    to be editors', so a preview is never stored for the public."""
    session = SessionStore()
    session[SESSION_KEY] = str(editor.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = editor.get_session_auth_hash()
    session.create()
    cached.cookies["sessionid"] = session.session_key
    response = cached.get(PAGE)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_with_redis_a_forged_cookie_costs_the_session_lookup_alone(
    cached, private_redis, django_assert_num_queries
):
    cached.get(PAGE)
    cached.cookies["sessionid"] = "k3x9" * 8
    with django_assert_num_queries(1) as captured:
        assert cached.get(PAGE)["X-Cache"] == "hit"
    assert session_lookups(captured.captured_queries) == 1
