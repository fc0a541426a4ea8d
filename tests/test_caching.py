"""Cached pages, and the rule that a change shows on the next request.

Run against the default per-process memory cache and against Redis (Django's
own backend), the two configurations the site supports.
"""

import json
import os
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from comparisons.models import Comparison, ComparisonItem
from core import versions
from core.models import ContentVersion
from tests.factories import make_area
from tests.support.admin import change_form_data, sign_in
from tests.support.caches import worker_redis_url
from treatments.models import (
    BodyArea,
    SideEffect,
    TreatedArea,
    Treatment,
)

pytestmark = pytest.mark.django_db

# The machine's Redis, a database per test process (tests/support/caches.py),
# apart from those REDIS_URL's tests use (14 and 15 in CI).
REDIS = worker_redis_url(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8"))


def redis_answers():
    import redis

    try:
        return redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture(params=["memory", "redis"])
def backend(request, settings):
    if request.param == "memory":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "pages",
            }
        }
    if request.param == "redis":
        if not redis_answers():
            if os.environ.get("REQUIRE_REDIS"):
                pytest.fail(f"Redis is not answering at {REDIS}")
            pytest.skip(f"Redis is not answering at {REDIS}; CI runs these")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }
    yield request.param
    caches["default"].clear()


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def cached_then_changed(client, path, change):
    """Warm the page, check it is served from the cache, change content,
    and return the next response."""
    get(client, path)
    assert get(client, path)["X-Cache"] == "hit"
    change()
    response = get(client, path)
    assert response["X-Cache"] == "miss"
    return response.content.decode()


def test_a_repeat_request_is_served_from_the_cache(
    backend, seeded, client, django_assert_num_queries
):
    first = get(client, "/treatments/")
    assert first["X-Cache"] == "miss"
    # With memory caches, the content version from the database; with
    # Redis, from Redis: no database at all.
    with django_assert_num_queries(1 if backend == "memory" else 0):
        second = get(client, "/treatments/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_each_address_is_cached_apart(backend, seeded, client):
    get(client, "/treatments/?body_area=back")
    page = get(client, "/treatments/?body_area=arms&sort=daily")
    assert page["X-Cache"] == "miss"
    results = page.content.decode().split('id="results-heading"')[1]
    # Laser first: it says when daily life resumes, mesotherapy does not.
    assert results.index("Laser cellulite") < results.index("Mesotherapy")


class TestEveryKindOfChangeShowsAtOnce:
    def test_a_save(self, backend, seeded, client):
        def change():
            treatment = Treatment.objects.get(slug="mesotherapy")
            treatment.summary = "A freshly edited summary."
            treatment.save()

        assert "A freshly edited summary." in cached_then_changed(
            client, "/treatments/mesotherapy/", change
        )

    def test_an_admin_save(self, backend, seeded, client, editor):
        editor_client = sign_in(Client(), editor)
        treatment = Treatment.objects.get(slug="laser-cellulite-reduction")
        url = reverse("admin:treatments_treatment_change", args=[treatment.pk])

        def change():
            data = change_form_data(editor_client, url)
            data["summary"] = "Edited in the admin."
            assert editor_client.post(url, data).status_code == 302

        assert "Edited in the admin." in cached_then_changed(client, "/", change)

    def test_a_delete(self, backend, seeded, client):
        def change():
            SideEffect.objects.get(
                treatment__slug="mesotherapy", effect__slug="itching"
            ).delete()

        page = cached_then_changed(client, "/treatments/mesotherapy/", change)
        assert "Itching" not in page

    def test_a_body_area_added_to_a_treatment(self, backend, seeded, client):
        def change():
            treatment = Treatment.objects.get(slug="laser-cellulite-reduction")
            TreatedArea.objects.create(
                treatment=treatment,
                body_area=BodyArea.objects.get(slug="back"),
                source=treatment.source,
                source_location="p. 1",
            )

        page = cached_then_changed(client, "/treatments/?body_area=back", change)
        assert "Laser cellulite reduction" in page.split('id="results-heading"')[1]

    def test_a_many_to_many_change(self, backend, seeded, client):
        condition = Treatment.objects.get(slug="mesotherapy").conditions.get()

        def change():
            Treatment.objects.get(slug="mesotherapy").conditions.remove(condition)

        page = cached_then_changed(client, "/treatments/mesotherapy/", change)
        assert "A treatment for <strong>cellulite</strong>" not in page

    def test_a_comparison_reordered(self, backend, seeded, client):
        def change():
            item = ComparisonItem.objects.get(
                treatment__slug="laser-cellulite-reduction"
            )
            item.position = 4
            item.save()

        page = cached_then_changed(client, "/compare/laser-vs-mesotherapy/", change)
        assert page.index('href="/treatments/mesotherapy/">Mesotherapy</a></th>') < (
            page.index('href="/treatments/laser-cellulite-reduction/">Laser')
        )

    def test_unpublishing(self, backend, seeded, client):
        def change():
            comparison = Comparison.objects.get()
            comparison.status = "draft"
            comparison.save()

        assert "laser-vs-mesotherapy" not in cached_then_changed(client, "/", change)

    def test_a_seed_that_loads_something_new(
        self, backend, seeded, client, settings, tmp_path
    ):
        (tmp_path / "calves.json").write_text(
            json.dumps(
                [
                    {
                        "model": "treatments.bodyarea",
                        "fields": {"name": "Calves", "slug": "calves", "parent": None},
                    }
                ]
            )
        )
        settings.FIXTURE_DIRS = [*settings.FIXTURE_DIRS, tmp_path]
        page = cached_then_changed(
            client, "/", lambda: call_command("seed", "--strict", verbosity=0)
        )
        assert 'href="/treatments/?body_area=calves"' in page

    def test_a_seed_with_nothing_new_keeps_the_cache(self, backend, seeded, client):
        get(client, "/treatments/mesotherapy/")
        call_command("seed", "--strict", verbosity=0)
        assert get(client, "/treatments/mesotherapy/")["X-Cache"] == "hit"

    def test_a_new_body_area(self, backend, seeded, client):
        page = cached_then_changed(client, "/", lambda: make_area("Calves"))
        assert 'href="/treatments/?body_area=calves"' in page


def test_every_worker_sees_a_change(seeded, client, settings):
    """Each process has its own memory cache; the version they key by is in
    the database, so a change in one process is seen by all."""
    settings.CACHES = {
        "worker-1": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "worker-1",
        },
        "worker-2": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "worker-2",
        },
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    for worker in ("worker-1", "worker-2"):
        settings.PAGE_CACHE_ALIAS = worker
        get(client, "/treatments/mesotherapy/")
        assert get(client, "/treatments/mesotherapy/")["X-Cache"] == "hit"
    treatment = Treatment.objects.get(slug="mesotherapy")
    treatment.summary = "Changed while both workers held the page."
    treatment.save()
    for worker in ("worker-1", "worker-2"):
        settings.PAGE_CACHE_ALIAS = worker
        page = get(client, "/treatments/mesotherapy/").content.decode()
        assert "Changed while both workers held the page." in page


class TestValidators:
    def test_a_repeat_visit_gets_a_304(self, seeded, client, django_assert_num_queries):
        first = get(client, "/treatments/")
        assert first["ETag"]
        assert first["Last-Modified"]
        assert "no-cache" in first["Cache-Control"]
        # The content version: from the database, or from Redis where shared.
        with django_assert_num_queries(0 if versions.shared_cache() else 1):
            again = client.get("/treatments/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
        since = client.get(
            "/treatments/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
        assert since.status_code == 304

    def test_a_change_gives_a_new_etag(self, seeded, client):
        etag = get(client, "/treatments/")["ETag"]
        ContentVersion.bump()
        response = client.get("/treatments/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert response["ETag"] != etag

    def test_addresses_have_their_own_etags(self, seeded, client):
        assert get(client, "/treatments/")["ETag"] != get(client, "/")["ETag"]


class TestEditors:
    """`editor_client` is the `client` fixture logged in; the public is a
    second, anonymous client."""

    def test_logged_in_pages_never_touch_the_shared_cache(self, seeded, editor_client):
        public = Client()
        Treatment.objects.filter(slug="mesotherapy").update(status="draft")
        ContentVersion.bump()
        preview = editor_client.get("/treatments/mesotherapy/")
        assert preview.status_code == 200
        assert "X-Cache" not in preview
        assert "private" in preview["Cache-Control"]
        # The editor's preview was not stored for the public.
        assert public.get("/treatments/mesotherapy/").status_code == 404

    def test_editors_are_not_served_public_copies(self, seeded, editor_client):
        public = Client()
        get(public, "/treatments/")
        assert get(public, "/treatments/")["X-Cache"] == "hit"
        assert "X-Cache" not in editor_client.get("/treatments/")

    def test_admin_and_healthz_are_never_cached(self, seeded, client):
        for _ in range(2):
            assert "X-Cache" not in client.get("/healthz")
            assert "X-Cache" not in client.get("/admin/login/")


def test_errors_are_not_cached(seeded, client):
    for _ in range(2):
        response = client.get("/treatments/no-such-thing/")
        assert response.status_code == 404
        assert "X-Cache" not in response
    for _ in range(2):
        assert "X-Cache" not in client.get("/compare/?treatments=mesotherapy")


def test_a_new_release_does_not_serve_the_old_pages(seeded, client, monkeypatch):
    from core import caching

    first = get(client, "/treatments/")
    assert get(client, "/treatments/")["X-Cache"] == "hit"
    monkeypatch.setattr(caching, "release", lambda: "next-release")
    response = get(client, "/treatments/")
    assert response["X-Cache"] == "miss"
    assert response["ETag"] != first["ETag"]


def test_the_release_fingerprint_follows_the_files(settings, tmp_path):
    from core import caching

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    settings.BASE_DIR = tmp_path
    caching.release.cache_clear()
    try:
        before = caching.release()
        page.write_text("<p>two</p>")
        caching.release.cache_clear()
        assert caching.release() != before
    finally:
        caching.release.cache_clear()


def test_nothing_is_cached_under_runserver(seeded, client, settings):
    settings.DEBUG = True
    for _ in range(2):
        assert "X-Cache" not in client.get("/treatments/")
