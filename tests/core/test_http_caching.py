"""What every kind of answer tells browsers and shared caches (issue 19),
without Varnish: lifetimes, validators, surrogate keys, and 304s that cost
no render."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils.http import http_date, parse_http_date

from comparisons.models import Comparison
from core.cache import depends_on, versions
from core.cache.keys import ALL, EVERYTHING, LISTS, NAMES, SITE, checked
from core.models import ContentScope, ContentVersion
from tests.factories import make_treatment
from treatments.models import Treatment

pytestmark = pytest.mark.django_db

LASER, MESO = "laser-cellulite-reduction", "mesotherapy"
PAIR = f"/compare/?treatments={LASER}&treatments={MESO}"
PUBLIC = (
    "public, max-age=0, s-maxage=86400, stale-while-revalidate=86400, "
    "stale-if-error=86400"
)
SHORT = "public, max-age=0, s-maxage=300"
PAGES = [
    "/",
    "/treatments/",
    "/treatments/?body_area=legs&sort=name",
    f"/treatments/{MESO}/",
    PAIR,
    f"/compare/summary/?treatments={LASER}&treatments={MESO}",
    "/compare/laser-vs-mesotherapy/",
    "/compare/ready-made/",
    "/compare/",
    "/changes/feed/",
]
KEY_HEADERS = ("Surrogate-Key", "xkey", "Cache-Tag")


def keys(response):
    """The page's surrogate keys, checked alike in all three headers."""
    space = set(response["Surrogate-Key"].split(" "))
    assert set(response["xkey"].split(" ")) == space
    assert set(response["Cache-Tag"].split(",")) == space
    return space


def record_key(model, slug):
    return f"{model._meta.label_lower}:{model.objects.get(slug=slug).pk}"


@pytest.mark.parametrize("path", PAGES)
def test_a_public_page_is_for_shared_caches_to_keep(seeded, client, path):
    for cache in ("miss", "hit"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["X-Cache"] == cache
        assert response["Cache-Control"] == PUBLIC
        assert response["ETag"].startswith('"')
        assert parse_http_date(response["Last-Modified"])
        # Neither sets nor reads a cookie.
        assert not response.cookies
        assert "Vary" not in response
        assert {ALL, SITE} <= keys(response)


@pytest.mark.parametrize("path", [f"/treatments/{MESO}/", PAIR])
def test_a_reader_with_cookies_gets_the_same_public_page(seeded, client, path):
    client.get(path)
    client.cookies["_ga"] = "GA1.2.1234567890.1700000000"
    client.cookies["consent"] = "yes"
    client.cookies["csrftoken"] = "x" * 32
    response = client.get(path)
    assert response["X-Cache"] == "hit"
    assert response["Cache-Control"] == PUBLIC
    assert "Vary" not in response and not response.cookies


def test_lifetimes_come_from_settings(seeded, client, settings):
    settings.HTTP_SHARED_SECONDS = 600
    settings.HTTP_BROWSER_SECONDS = 30
    settings.HTTP_STALE_WHILE_REVALIDATE_SECONDS = 0
    settings.HTTP_STALE_IF_ERROR_SECONDS = 3600
    settings.HTTP_SHORT_SECONDS = 20
    assert client.get("/treatments/")["Cache-Control"] == (
        "public, max-age=30, s-maxage=600, stale-if-error=3600"
    )
    assert client.get("/treatments/nothing-here/")["Cache-Control"] == (
        "public, max-age=0, s-maxage=20"
    )


def test_lifetimes_are_read_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.settings import env_int

    monkeypatch.setenv("DJANGO_HTTP_SHARED_SECONDS", "3600")
    assert env_int("DJANGO_HTTP_SHARED_SECONDS", 86400) == 3600
    monkeypatch.setenv("DJANGO_HTTP_SHARED_SECONDS", " ")
    assert env_int("DJANGO_HTTP_SHARED_SECONDS", 86400) == 86400
    monkeypatch.setenv("DJANGO_HTTP_SHARED_SECONDS", "a day")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("DJANGO_HTTP_SHARED_SECONDS", 86400)


class TestKeys:
    def test_a_treatment_page_carries_its_record_and_the_names(self, seeded, client):
        response = client.get(f"/treatments/{MESO}/")
        assert keys(response) == {ALL, SITE, NAMES, record_key(Treatment, MESO)}

    def test_a_comparison_carries_each_treatment(self, seeded, client):
        assert keys(client.get(PAIR)) == {
            ALL,
            SITE,
            NAMES,
            record_key(Treatment, LASER),
            record_key(Treatment, MESO),
        }

    def test_a_curated_comparison_carries_its_own_record_too(self, seeded, client):
        response = client.get("/compare/laser-vs-mesotherapy/")
        assert record_key(Comparison, "laser-vs-mesotherapy") in keys(response)
        assert record_key(Treatment, MESO) in keys(response)

    @pytest.mark.parametrize(
        "path", ["/", "/treatments/", "/compare/", "/changes/feed/"]
    )
    def test_the_lists_carry_the_lists(self, seeded, client, path):
        assert keys(client.get(path)) == {ALL, SITE, LISTS}

    def test_a_change_touches_the_keys_its_pages_carry(self, seeded, client):
        """What an edit purges is what the pages that show it carry."""
        page = keys(client.get(f"/treatments/{MESO}/"))
        before, _ = ContentScope.unpurged()
        treatment = Treatment.objects.get(slug=MESO)
        treatment.summary = "Changed."
        treatment.save()
        owed, _ = ContentScope.unpurged()
        touched = {key for key in owed if owed[key] != before.get(key)}
        assert record_key(Treatment, MESO) in touched & page
        assert touched == {record_key(Treatment, MESO), LISTS, EVERYTHING}

    @pytest.mark.parametrize("scope", ["", "a b", "a,b", "*", "x" * 101])
    def test_a_scope_must_be_a_valid_key(self, rf, scope):
        with pytest.raises(ValueError, match="surrogate key"):
            depends_on(rf.get("/"), scope)
        assert checked("treatments.treatment:12") == "treatments.treatment:12"


class TestStaffAndDrafts:
    def test_staff_get_private_uncached_pages(self, seeded, editor_client):
        for path in (f"/treatments/{MESO}/", PAIR, "/"):
            response = editor_client.get(path)
            assert response.status_code == 200
            assert "private" in response["Cache-Control"]
            assert "no-store" in response["Cache-Control"]
            assert "public" not in response["Cache-Control"]
            assert not any(header in response for header in KEY_HEADERS)

    def test_a_draft_is_private_and_a_404_for_the_public(self, seeded, editor_client):
        Treatment.objects.filter(slug=MESO).update(status="draft")
        ContentVersion.bump()
        draft = editor_client.get(f"/treatments/{MESO}/")
        assert draft.status_code == 200
        assert "private" in draft["Cache-Control"]
        assert "no-store" in draft["Cache-Control"]
        public = Client().get(f"/treatments/{MESO}/")
        assert public.status_code == 404
        assert public["Cache-Control"] == SHORT

    def test_a_preview_of_a_comparison_with_a_draft(self, editor_client):
        draft, other = make_treatment("Draft", status="draft"), make_treatment("Other")
        response = editor_client.get(
            f"/compare/?treatments={draft.slug}&treatments={other.slug}"
        )
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]

    def test_the_admin_is_never_kept(self, seeded, client, editor_client):
        for response in (
            Client().get("/admin/login/"),
            editor_client.get("/admin/"),
            editor_client.get("/admin/treatments/treatment/"),
        ):
            assert response.status_code == 200
            assert "private" in response["Cache-Control"]
            assert "no-store" in response["Cache-Control"]


class TestNotFound:
    """A 404 is kept briefly, with the key every change purges: the 404 of a
    slug about to be published does not outlive the publishing."""

    @pytest.mark.parametrize(
        "path", ["/treatments/no-such-thing/", "/compare/no-such-comparison/"]
    )
    def test_a_page_address(self, seeded, client, path):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Cache-Control"] == SHORT
        assert EVERYTHING in keys(response)
        assert not response.cookies and "Vary" not in response

    def test_an_address_no_view_answers(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert response["Cache-Control"] == SHORT
        assert keys(response) == {EVERYTHING, ALL}

    def test_publishing_touches_the_key_of_the_404(self, seeded, client):
        draft = make_treatment("Soon", status="draft")
        assert EVERYTHING in keys(client.get(draft.get_absolute_url()))
        owed_before, _ = ContentScope.unpurged()
        draft.status = "published"
        draft.save()
        owed, _ = ContentScope.unpurged()
        assert owed[EVERYTHING] > owed_before[EVERYTHING]
        assert client.get(draft.get_absolute_url()).status_code == 200

    def test_a_renamed_page_redirect_is_short_lived(self, seeded, client):
        treatment = Treatment.objects.get(slug=MESO)
        treatment.slug = "mesotherapy-injections"
        treatment.save()
        response = client.get(f"/treatments/{MESO}/")
        assert response.status_code == 301
        assert response["Cache-Control"] == SHORT
        assert "Vary" not in response


@contextmanager
def database_down():
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        yield


class TestOutages:
    @pytest.fixture(autouse=True)
    def memory_and_retry_at_once(self, memory_cache, settings):
        settings.DATABASE_RETRY_SECONDS = 0

    def test_the_503_page_is_for_no_cache_to_keep(self, seeded, client):
        with database_down():
            response = client.get(f"/treatments/{MESO}/")
        assert response.status_code == 503
        assert response["Cache-Control"] == "no-store"
        assert not any(header in response for header in KEY_HEADERS)

    def test_a_stale_page_is_for_this_reader_alone(self, seeded, client):
        client.get(f"/treatments/{MESO}/")
        with database_down():
            response = client.get(f"/treatments/{MESO}/")
        assert response["X-Cache"] == "stale"
        assert response["Cache-Control"] == "no-store"
        assert not any(header in response for header in KEY_HEADERS)


class TestValidators:
    def test_a_304_costs_no_render(
        self, seeded, client, monkeypatch, django_assert_num_queries
    ):
        from treatments import views

        renders = []
        group = views.group_side_effects
        monkeypatch.setattr(
            views, "group_side_effects", lambda s: renders.append(1) or group(s)
        )
        first = client.get(f"/treatments/{MESO}/")
        assert renders == [1]
        # The numbers of what it shows: from the database, or from Redis.
        with django_assert_num_queries(0 if versions.shared_cache() else 1):
            again = client.get(f"/treatments/{MESO}/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
        assert renders == [1]
        # It still says what a shared cache may do with the page.
        assert again["Cache-Control"] == PUBLIC
        assert again["ETag"] == first["ETag"]
        assert keys(again) == keys(first)

    def test_if_modified_since_is_answered_too(self, seeded, client):
        first = client.get("/treatments/")
        since = client.get(
            "/treatments/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
        assert since.status_code == 304

    def test_last_modified_is_when_what_it_shows_last_changed(self, seeded, client):
        page = f"/treatments/{MESO}/"
        first = client.get(page)["Last-Modified"]
        # A change it does not show moves nothing.
        laser = Treatment.objects.get(slug=LASER)
        laser.summary = "Changed elsewhere."
        laser.save()
        assert client.get(page)["Last-Modified"] == first
        meso = Treatment.objects.get(slug=MESO)
        meso.summary = "Changed here."
        meso.save()
        changed = ContentScope.objects.get(name=record_key(Treatment, MESO))
        response = client.get(page)
        assert response["Last-Modified"] == http_date(changed.changed_at.timestamp())
        assert parse_http_date(response["Last-Modified"]) >= parse_http_date(first)
        stale = client.get(page, HTTP_IF_MODIFIED_SINCE=first)
        assert stale.status_code == 200

    def test_a_page_not_in_the_cache_still_answers_304(self, seeded, client, settings):
        from django.core.cache import caches

        etag = client.get("/compare/ready-made/")["ETag"]
        caches[settings.PAGE_CACHE_ALIAS].clear()
        again = client.get("/compare/ready-made/", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        # Rendered (the page was not kept), and kept now.
        assert client.get("/compare/ready-made/")["X-Cache"] == "hit"
