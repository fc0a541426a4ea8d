"""Purging the front caches when content changes (core/cache/purge.py):
each backend against a local fake of its API, what a change owes them kept
with the change, failures retried and logged without losing the save, and
/healthz telling staff."""

import json
import logging
import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client

from core.cache import purge
from core.cache.keys import ALL, EVERYTHING, LISTS
from core.models import ContentScope, ContentVersion
from tests.factories import make_treatment
from tests.support.admin import sign_in
from treatments.models import Treatment

KEYS = ["lists", "site", "treatments.treatment:7"]


@pytest.fixture
def front_caches(settings, fake_front_cache):
    """Every kind of front cache, all on the fake server."""
    settings.FASTLY_API_URL = fake_front_cache.url
    settings.FASTLY_API_TOKEN = "fastly-token"
    settings.CLOUDFLARE_API_URL = fake_front_cache.url + "/client/v4"
    settings.CLOUDFLARE_API_TOKEN = "cloudflare-token"
    settings.FRONT_CACHE_TIMEOUT = 2
    return fake_front_cache


class TestBackends:
    def test_varnish_gets_a_purge_with_the_keys(self, front_caches):
        purge.front_cache(front_caches.url).purge(KEYS)
        (sent,) = front_caches.received
        assert (sent.method, sent.path) == ("PURGE", "/")
        assert sent.headers["xkey-purge"] == "lists site treatments.treatment:7"

    def test_fastly_gets_its_batch_purge(self, front_caches):
        purge.front_cache("fastly://SERVICE1").purge(KEYS)
        (sent,) = front_caches.received
        assert (sent.method, sent.path) == ("POST", "/service/SERVICE1/purge")
        assert sent.headers["Fastly-Key"] == "fastly-token"
        assert sent.headers["Surrogate-Key"] == " ".join(KEYS)

    def test_cloudflare_gets_a_purge_by_tag(self, front_caches):
        purge.front_cache("cloudflare://ZONE1").purge(KEYS)
        (sent,) = front_caches.received
        assert (sent.method, sent.path) == (
            "POST",
            "/client/v4/zones/ZONE1/purge_cache",
        )
        assert sent.headers["Authorization"] == "Bearer cloudflare-token"
        assert sent.json() == {"tags": KEYS}

    @pytest.mark.parametrize(
        "url, batch",
        [("http://varnish", 100), ("fastly://S", 256), ("cloudflare://Z", 30)],
    )
    def test_many_keys_go_in_batches(self, front_caches, url, batch):
        keys = [f"treatments.treatment:{n}" for n in range(batch + 5)]
        if url.startswith("http"):
            url = front_caches.url
        purge.front_cache(url).purge(keys)
        assert len(front_caches.received) == 2

    @pytest.mark.parametrize("url", ["http", "fastly://S", "cloudflare://Z"])
    def test_an_error_answer_fails_the_purge(self, front_caches, url):
        front_caches.answer((503, b"{}"))
        cache = purge.front_cache(front_caches.url if url == "http" else url)
        with pytest.raises(purge.PurgeFailed, match="503"):
            cache.purge(KEYS)

    def test_cloudflare_refusing_fails_the_purge(self, front_caches):
        refusal = {"success": False, "errors": [{"message": "Invalid tag"}]}
        front_caches.answer((200, json.dumps(refusal).encode()), (200, b"<html>"))
        cache = purge.front_cache("cloudflare://Z")
        with pytest.raises(purge.PurgeFailed, match="Invalid tag"):
            cache.purge(KEYS)
        with pytest.raises(purge.PurgeFailed, match="other than JSON"):
            cache.purge(KEYS)

    def test_a_front_cache_that_does_not_answer(self, settings):
        settings.FRONT_CACHE_TIMEOUT = 1
        with pytest.raises(purge.PurgeFailed, match="could not be reached"):
            purge.front_cache("http://127.0.0.1:9").purge(KEYS)

    @pytest.mark.parametrize(
        "url, message",
        [
            ("ftp://somewhere", "none of"),
            ("varnish:6081", "none of"),
            ("fastly://S", "set FASTLY_API_TOKEN"),
            ("cloudflare://Z", "set CLOUDFLARE_API_TOKEN"),
        ],
    )
    def test_a_front_cache_that_cannot_be_purged_is_refused(
        self, settings, url, message
    ):
        settings.FASTLY_API_TOKEN = settings.CLOUDFLARE_API_TOKEN = ""
        with pytest.raises(ImproperlyConfigured, match=message):
            purge.front_cache(url)
        settings.FRONT_CACHE_URLS = ["http://varnish:6081", url]
        (error,) = purge.check_front_caches()
        assert message in error.msg


@pytest.mark.django_db
class TestWhatIsOwed:
    def test_a_change_owes_its_keys_in_its_own_transaction(self):
        owed, _ = ContentScope.unpurged()
        assert owed == {}  # the migration owes nothing
        treatment = make_treatment("Owed")
        owed, oldest = ContentScope.unpurged()
        assert {f"treatments.treatment:{treatment.pk}", LISTS, EVERYTHING} <= set(owed)
        assert oldest is not None

    def test_sending_marks_them_purged(self, settings, fake_front_cache):
        settings.FRONT_CACHE_URLS = [fake_front_cache.url]
        treatment = make_treatment("Sent")
        keys, errors = purge.send_owed()
        assert errors == []
        assert f"treatments.treatment:{treatment.pk}" in keys
        (sent,) = fake_front_cache.received
        assert sent.headers["xkey-purge"] == " ".join(keys)
        assert ContentScope.unpurged()[0] == {}
        assert purge.send_owed() == ([], [])
        assert len(fake_front_cache.received) == 1

    def test_a_change_made_while_sending_stays_owed(self):
        make_treatment("First")
        owed, _ = ContentScope.unpurged()
        ContentVersion.bump({LISTS})  # after the keys were read
        ContentScope.mark_purged(owed)
        still, _ = ContentScope.unpurged()
        assert set(still) == {LISTS, EVERYTHING}

    def test_a_failed_send_keeps_them_owed(self, settings, fake_front_cache):
        settings.FRONT_CACHE_URLS = [fake_front_cache.url]
        fake_front_cache.answer((500, b"{}"))
        make_treatment("Kept")
        owed, _ = ContentScope.unpurged()
        keys, errors = purge.send_owed()
        assert errors and "500" in errors[0]
        assert ContentScope.unpurged()[0] == owed

    def test_without_front_caches_nothing_is_sent(self, settings):
        settings.FRONT_CACHE_URLS = []
        make_treatment("Local")
        assert purge.send_owed() == ([], [])


# Held by this thread while it saves, until the work done after the commit
# (stored readings, failing lines) is over. On SQLite the test database is
# in memory, shared by this thread's connection and the sender thread's,
# and there a write locks its table for the other at once, with no busy
# timeout to wait on as a file or PostgreSQL has: so the sender's thread
# reads and marks what is owed only after the save is done.
SAVING = threading.Lock()


@pytest.fixture
def sender(settings, monkeypatch):
    """A sender of the test's own, quick to try again."""
    settings.FRONT_CACHE_RETRY_SECONDS = (0.1, 0.2, 0.3)
    settings.FRONT_CACHE_REPEAT_SECONDS = 0
    fresh = purge.Sender()
    monkeypatch.setattr(purge, "sender", fresh)
    send_owed = purge.send_owed

    def send_owed_after_the_save():
        with SAVING:
            return send_owed()

    monkeypatch.setattr(purge, "send_owed", send_owed_after_the_save)
    return fresh


def summary_saved(text):
    with SAVING:
        treatment = Treatment.objects.get(slug="purged")
        treatment.summary = text
        treatment.save()  # autocommit: the purge is sent once this returns


@pytest.mark.django_db(transaction=True)
class TestAfterTheCommit:
    """Real commits, and the sender's thread."""

    @pytest.fixture(autouse=True)
    def treatment(self, sender, settings, fake_front_cache):
        settings.FRONT_CACHE_URLS = [fake_front_cache.url]
        with SAVING:
            make_treatment("Purged")
        assert sender.flush(5)  # the purges of its creation
        fake_front_cache.received.clear()

    def test_a_save_purges_its_keys_without_waiting(self, sender, fake_front_cache):
        fake_front_cache.answer((200, b"{}", 1.5))  # a slow front cache
        started = time.monotonic()
        summary_saved("Saved without waiting.")
        assert time.monotonic() - started < 1
        (sent,) = fake_front_cache.wait_for(1)
        pk = Treatment.objects.get(slug="purged").pk
        assert f"treatments.treatment:{pk}" in sent.headers["xkey-purge"].split()
        assert sender.flush(5)
        assert ContentScope.unpurged()[0] == {}

    def test_a_failing_purge_is_retried_and_logged_and_the_save_kept(
        self, sender, fake_front_cache, caplog
    ):
        fake_front_cache.answer((503, b"{}"), (502, b"{}"))
        with caplog.at_level(logging.WARNING, logger="core.cache.purge"):
            summary_saved("Saved while the front cache fails.")
            fake_front_cache.wait_for(3)
            assert sender.flush(5)
        failures = [r.getMessage() for r in caplog.records]
        assert len(failures) == 2
        assert "503" in failures[0] and "502" in failures[1]
        assert ContentScope.unpurged()[0] == {}  # the third try went through
        saved = Treatment.objects.get(slug="purged")
        assert saved.summary == "Saved while the front cache fails."

    def test_after_its_tries_it_waits_for_cron_and_healthz_says_so(
        self, sender, fake_front_cache, caplog, settings, admin_user
    ):
        fake_front_cache.default = (503, b"{}", 0.0)
        with caplog.at_level(logging.WARNING, logger="core.cache.purge"):
            summary_saved("Saved while the front cache is down.")
            fake_front_cache.wait_for(4)
            assert sender.flush(5)
        assert "still failing after 4 tries" in caplog.records[-1].getMessage()
        assert len(fake_front_cache.received) == 4
        owed, _ = ContentScope.unpurged()
        assert owed  # kept for later

        public = Client().get("/healthz")
        assert public.status_code == 200  # pages are served
        assert public.content.endswith(b"purges: unavailable\n")
        details = sign_in(Client(), admin_user).get("/healthz").content.decode()
        assert f"purges: unavailable ({len(owed)} keys waiting" in details
        assert "503" in details

        fake_front_cache.default = (200, b"{}", 0.0)
        call_command("purge_front_caches", verbosity=0)
        assert ContentScope.unpurged()[0] == {}
        assert Client().get("/healthz").content.endswith(b"purges: ok\n")

    def test_a_purge_is_sent_again_a_moment_later(
        self, sender, fake_front_cache, settings
    ):
        settings.FRONT_CACHE_REPEAT_SECONDS = 0.3
        summary_saved("Sent twice.")
        first, again = fake_front_cache.wait_for(2)
        assert again.headers["xkey-purge"] == first.headers["xkey-purge"]


@pytest.mark.django_db
class TestCommand:
    def test_all_purges_every_page(self, settings, fake_front_cache, capsys):
        settings.FRONT_CACHE_URLS = [fake_front_cache.url]
        call_command("purge_front_caches", "--all")
        (sent,) = fake_front_cache.received
        assert sent.headers["xkey-purge"] == ALL
        assert "Purged 1 keys from 1 front caches." in capsys.readouterr().out

    def test_keys_given(self, settings, fake_front_cache):
        settings.FRONT_CACHE_URLS = [fake_front_cache.url]
        call_command("purge_front_caches", "--key", "lists", "--key", "site")
        assert fake_front_cache.received[0].headers["xkey-purge"] == "lists site"
        with pytest.raises(CommandError, match="cannot be a surrogate key"):
            call_command("purge_front_caches", "--key", "two words")

    def test_a_failure_is_an_error_for_cron(self, settings, fake_front_cache):
        settings.FRONT_CACHE_URLS = [fake_front_cache.url]
        settings.FRONT_CACHE_RETRY_SECONDS = (0.01,)
        fake_front_cache.default = (500, b"{}", 0.0)
        make_treatment("Failing")
        with pytest.raises(CommandError, match="answered 500"):
            call_command("purge_front_caches")
        assert len(fake_front_cache.received) == 2  # tried again once

    def test_without_front_caches(self, settings, capsys):
        settings.FRONT_CACHE_URLS = []
        call_command("purge_front_caches")
        assert "No front caches" in capsys.readouterr().out


@pytest.mark.django_db
def test_healthz_has_no_purges_line_without_front_caches(client, settings):
    settings.FRONT_CACHE_URLS = []
    assert client.get("/healthz").content == b"database: ok\ncache: ok\n"


@pytest.mark.django_db
def test_healthz_says_ok_while_nothing_is_late(client, settings, fake_front_cache):
    settings.FRONT_CACHE_URLS = [fake_front_cache.url]
    make_treatment("Just saved")  # owed, for a moment
    assert client.get("/healthz").content.endswith(b"purges: ok\n")
