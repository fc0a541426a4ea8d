"""Safe settings, security headers and the admin lockout."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import RequestFactory

from core.security import client_ip

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-production-like-secret-key-" + "x7Qp2" * 10,
    "DJANGO_ALLOWED_HOSTS": "treatments.example.org",
}


def manage(*args, **env):
    """Run manage.py in a fresh process with only the given settings."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# The environments whose settings the tests below read, each with its name.
ENVIRONMENTS = {
    "production": PRODUCTION,
    "plain HTTP on loopback": {**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "0"},
    "HSTS preload": {**PRODUCTION, "DJANGO_HSTS_PRELOAD": "1"},
    "behind a proxy": {**PRODUCTION, "DJANGO_PROXY_COUNT": "1"},
}
# Run in one fresh process: for each environment, config/settings.py is
# imported again with only that environment (as manage.py would import it),
# and Django's settings object is built from it, defaults included.
READ_SETTINGS = """
import json, os, sys
from django.conf import Settings

started_with = dict(os.environ)
found = {}
for name, env in json.load(sys.stdin).items():
    os.environ.clear()
    os.environ.update({**started_with, **env})
    sys.modules.pop("config.settings", None)
    settings = Settings("config.settings")
    found[name] = {
        setting: getattr(settings, setting)
        for setting in dir(settings)
        if setting.isupper()
    }
print(json.dumps(found, default=str))
"""


@pytest.fixture(scope="module")
def settings_in():
    """settings_in[environment name]: the settings Django would run with
    in that environment (ENVIRONMENTS), read in one process for the lot."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=ROOT,
        env=clean,
        input=json.dumps(ENVIRONMENTS),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class TestSettings:
    def test_refuses_to_start_without_a_secret_key(self):
        result = manage("check")
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY is not set" in result.stderr

    def test_debug_on_needs_no_key(self):
        assert manage("check", DJANGO_DEBUG="1").returncode == 0

    def test_deploy_check_passes_with_the_production_variables_alone(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_https_and_secure_cookies_are_on_by_default(self, settings_in):
        s = settings_in["production"]
        assert s["DEBUG"] is False
        assert s["SECURE_SSL_REDIRECT"] is True
        assert s["SESSION_COOKIE_SECURE"] is True
        assert s["CSRF_COOKIE_SECURE"] is True
        assert s["SECURE_HSTS_SECONDS"] > 0
        assert s["SECURE_PROXY_SSL_HEADER"] is None

    def test_plain_http_on_loopback_is_a_documented_switch(self, settings_in):
        s = settings_in["plain HTTP on loopback"]
        assert s["SECURE_SSL_REDIRECT"] is False
        assert s["SESSION_COOKIE_SECURE"] is False
        assert s["SECURE_HSTS_SECONDS"] == 0
        assert (
            "DJANGO_SECURE_SSL_REDIRECT"
            in (ROOT / "docs" / "operations.md").read_text()
        )

    @pytest.mark.parametrize(
        ("environment", "preload"), [("production", False), ("HSTS preload", True)]
    )
    def test_hsts_preload_only_when_asked_for(self, settings_in, environment, preload):
        s = settings_in[environment]
        assert s["SECURE_HSTS_SECONDS"] > 0
        assert s["SECURE_HSTS_PRELOAD"] is preload

    def test_hsts_header_without_preload(self, client, settings):
        settings.SECURE_HSTS_SECONDS = 3600
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        settings.SECURE_HSTS_PRELOAD = False
        response = client.get("/healthz", secure=True)
        assert response["Strict-Transport-Security"] == (
            "max-age=3600; includeSubDomains"
        )

    def test_behind_a_proxy_trusts_its_https_header(self, settings_in):
        s = settings_in["behind a proxy"]
        assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]

    def test_plain_http_is_redirected_except_healthz(self, client, settings):
        settings.SECURE_SSL_REDIRECT = True
        response = client.get("/treatments/")
        assert response.status_code == 301
        assert response["Location"] == "https://testserver/treatments/"
        assert client.get("/healthz").status_code == 200


class TestHeaders:
    @pytest.fixture
    def headers(self, seeded, client):
        return client.get("/").headers

    def test_content_security_policy(self, headers):
        policy = dict(
            part.strip().split(" ", 1)
            for part in headers["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["default-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'"
        assert "unsafe" not in headers["Content-Security-Policy"]

    def test_the_other_headers(self, headers):
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"

    def test_permissions_policy_denies_what_the_site_never_uses(self, headers):
        policy = dict(
            part.strip().split("=", 1)
            for part in headers["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert policy[feature] == "()", feature
        # Nothing is allowed to anyone: every feature named is denied.
        assert set(policy.values()) == {"()"}

    def test_error_pages_carry_them_too(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]

    def test_cached_pages_keep_their_headers(self, seeded, client):
        client.get("/treatments/")
        cached = client.get("/treatments/")
        assert cached["X-Cache"] == "hit"
        assert "script-src 'self'" in cached["Content-Security-Policy"]
        assert cached["X-Frame-Options"] == "DENY"

    def test_no_page_has_inline_script_or_style(self, seeded, client):
        for path in [
            "/",
            "/treatments/",
            "/treatments/mesotherapy/",
            "/compare/laser-vs-mesotherapy/",
            "/compare/",
            "/nope/",
        ]:
            page = client.get(path).content.decode()
            scripts = [
                s
                for s in page.split("<script")[1:]
                if not s.startswith(' type="application/ld+json"')
            ]
            assert all(' src="' in s.split(">")[0] for s in scripts), path
            assert " style=" not in page and "<style" not in page, path


class TestClientAddress:
    def request(self, **meta):
        return RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", **meta)

    def test_without_a_proxy_the_header_is_ignored(self, settings):
        settings.PROXY_COUNT = 0
        request = self.request(HTTP_X_FORWARDED_FOR="1.2.3.4")
        assert client_ip(request) == "10.0.0.9"

    @pytest.mark.parametrize(
        ("count", "forwarded", "expected"),
        [
            (1, "203.0.113.7", "203.0.113.7"),
            (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged first entry
            (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
            (2, "", "10.0.0.9"),
        ],
    )
    def test_behind_proxies_the_address_the_outer_proxy_saw(
        self, settings, count, forwarded, expected
    ):
        settings.PROXY_COUNT = count
        assert client_ip(self.request(HTTP_X_FORWARDED_FOR=forwarded)) == expected


class TestLockout:
    URL = "/admin/login/?next=/admin/"

    @pytest.fixture
    def staff(self, db):
        return User.objects.create_user(
            "alex", password="the-right-password-2026", is_staff=True, is_superuser=True
        )

    def login(self, client, password, address="192.0.2.10"):
        return client.post(
            self.URL,
            {"username": "alex", "password": password},
            REMOTE_ADDR=address,
        )

    def test_a_guessed_password_locks_its_source_out(self, client, staff):
        for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
            response = self.login(client, "wrong")
            assert response.status_code == 200  # the form again, with its error
        locked = self.login(client, "wrong")
        assert locked.status_code == 429
        assert "Too many failed logins" in locked.content.decode()
        # Even the right password is refused now, from that address.
        again = self.login(client, "the-right-password-2026")
        assert again.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_other_addresses_are_not_locked_out(self, client, staff):
        for _ in range(django_settings.AXES_FAILURE_LIMIT):
            self.login(client, "wrong")
        response = self.login(client, "the-right-password-2026", address="198.51.100.4")
        # On to the second step (set up an app: alex has none yet).
        assert response.status_code == 302
        assert response["Location"] == "/admin/login/setup/"

    def test_a_forged_forwarded_header_does_not_dodge_it(self, client, staff):
        for n in range(django_settings.AXES_FAILURE_LIMIT):
            client.post(
                self.URL,
                {"username": "alex", "password": "wrong"},
                REMOTE_ADDR="192.0.2.10",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            )
        assert self.login(client, "the-right-password-2026").status_code == 429
