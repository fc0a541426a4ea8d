"""
Settings for the treatment comparison site.

One module, read from the environment (see docs/operations.md, "Settings"):

- DATABASE_URL: any URL dj-database-url understands; a SQLite file by default.
- DJANGO_DEBUG: "1" / "true" / "yes" turns debug on. Off unless asked for.
- DJANGO_SECRET_KEY: required when debug is off.
- DJANGO_ALLOWED_HOSTS: comma-separated host names.
- DJANGO_SECURE_SSL_REDIRECT: on unless debug is on. Turn off ("0") only to
  serve a production build over plain HTTP on loopback (benchmarks, browser
  tests); it also turns off secure cookies and HSTS, which need HTTPS.
- DJANGO_HSTS_PRELOAD: "1" adds `preload` to HSTS (only once the domain and
  every subdomain are HTTPS for good: the preload list is hard to leave).
- DJANGO_PROXY_COUNT: how many proxies in front of the site set
  X-Forwarded-For and X-Forwarded-Proto (for instance 1 for a load balancer
  that terminates TLS). 0 by default: without a proxy those headers come
  from the client and could be forged, so they are not trusted.
- DJANGO_SITE_URL: the site's address, such as https://treatments.example.org,
  for absolute links in pages (canonical, Open Graph, JSON-LD). Without it
  they follow each request's Host header, which is then part of the cache key.
- REDIS_URL: share the page cache between processes and servers.
- DJANGO_CONTENT_LICENCE, DJANGO_CONTENT_LICENCE_URL, DJANGO_CONTENT_ATTRIBUTION:
  the licence the content API offers its content under, and the line to
  credit it with (docs/api.md); CC BY 4.0 by default.
- DJANGO_PREVIEW_LINK_DAYS: how long a preview link for reviewers lasts
  (7 days by default; docs/editing.md).
- DJANGO_CACHE_TIMEOUT, DJANGO_DB_CONNECT_TIMEOUT, DJANGO_DB_STATEMENT_TIMEOUT,
  DJANGO_STALE_SECONDS, DJANGO_PAGE_CACHE_ENTRIES: when the cache or the
  database fail (docs/operations.md, "When things fail", and below).
- DJANGO_HTTP_SHARED_SECONDS, DJANGO_HTTP_BROWSER_SECONDS,
  DJANGO_HTTP_STALE_WHILE_REVALIDATE_SECONDS, DJANGO_HTTP_STALE_IF_ERROR_SECONDS,
  DJANGO_HTTP_SHORT_SECONDS: how long shared caches and browsers keep pages.
- FRONT_CACHE_URLS, FASTLY_API_TOKEN, CLOUDFLARE_API_TOKEN (and
  FASTLY_API_URL, CLOUDFLARE_API_URL): the CDNs or Varnish to purge when
  content changes (docs/caching.md).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number; it is {value!r}"
        ) from None


def env_list(name):
    return [
        item.strip() for item in os.environ.get(name, "").split(",") if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment, or set "
            "DJANGO_DEBUG=1 for local development (make run does)."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
# Absolute addresses in pages come from here, never from a request.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"DJANGO_SITE_URL must start with https:// (or http://); it is {SITE_URL!r}"
    )

# HTTPS everywhere unless debugging: redirect, secure cookies, HSTS.
HTTPS = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading commits the domain and its subdomains to HTTPS in browsers for
# good, so it is asked for, never a default.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("DJANGO_HSTS_PRELOAD")
if not SECURE_HSTS_PRELOAD:
    # check --deploy warns when preload is off; it is off by choice.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Django's defaults serve as they are (docs/security.md): Referrer-Policy
# same-origin (the full address to this site's own pages, which the admin's
# CSRF check reads over HTTPS, and nothing to other sites, not even which
# page a reader followed a source's link from), Cross-Origin-Opener-Policy
# same-origin, X-Frame-Options DENY, HttpOnly session cookies.
# Our pages, images, styles and scripts are for this site alone.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Browser features the site never uses, denied to it and anything it embeds
# (django-permissions-policy checks the names).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

INSTALLED_APPS = [
    # Django's admin, on a site that asks staff for a second factor
    # (core/sites.py, core/signin.py).
    "core.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves static files under runserver too, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    # Full-text search and trigram lookups on PostgreSQL; harmless on SQLite.
    "django.contrib.postgres",
    # /sitemap.xml, assembled in config/urls.py from each app's sitemaps.py.
    "django.contrib.sitemaps",
    "django_filters",
    # The read-only content API (api/) and its OpenAPI schema.
    "rest_framework",
    "drf_spectacular",
    "reversion",
    "reversion_compare",
    # The admin's import and export (treatments/resources.py).
    "import_export",
    # Sign-in lockouts, and two-factor sign-in: authenticator apps (TOTP)
    # and recovery codes; each named for the admin's index in core/apps.py.
    "core.apps.SignInAttemptsConfig",
    "django_otp",
    "core.apps.AuthenticatorAppsConfig",
    "core.apps.RecoveryCodesConfig",
    "core",
    "editorial",
    "treatments",
    "comparisons",
    "pages",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so that static files carry these headers too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.security.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTTP caching, its one entry point (core/cache): before sessions and
    # auth, so that a cached page skips them entirely.
    "core.cache.middleware.CacheMiddleware",
    # A view that cannot reach the database answers 503 (core/outages.py).
    "core.outages.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.security.AdminQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which device verified the signed-in user (django-otp); a session
    # without one counts as nobody's (core/security.py).
    "django_otp.middleware.OTPMiddleware",
    "core.security.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A page's address before its slug was renamed: a redirect, not a 404.
    "editorial.addresses.FormerAddressMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses logins from a locked-out address before checking them.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin lockout (django-axes): after 5 wrong passwords from one address,
# logins from it are refused for 15 minutes, even with the right password.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# A wrong sign-in code counts as a wrong password (core/signin.py); neither
# is written into the lockout's records.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# Imports in the admin (editorial/imports.py, docs/security.md): the most
# a file may hold, and where uploads wait for confirmation (a private
# folder; by default one in the system's temporary folder).
IMPORT_MAX_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
# An XLSX file, unpacked, at most this many times IMPORT_MAX_BYTES.
IMPORT_MAX_UNPACKED = 10
IMPORT_MAX_ROWS = int(os.environ.get("DJANGO_IMPORT_MAX_ROWS", 5_000))
IMPORT_MAX_CELL = 10_000  # characters
IMPORT_UPLOAD_DIR = os.environ.get("DJANGO_IMPORT_UPLOAD_DIR", "")
IMPORT_UPLOAD_SECONDS = 60 * 60

# check_sources fetches public web addresses only (docs/security.md); these
# "host:port" addresses too, though they are not: the tests' local servers.
CHECK_SOURCES_ALLOW = []

# Two-factor sign-in (docs/security.md). After the password, this long to
# give the code or set up an authenticator app, before starting again.
TWO_FACTOR_SIGNIN_SECONDS = 10 * 60
# Recovery codes made at set-up, each good once.
TWO_FACTOR_RECOVERY_CODES = 10
# The devices' secrets and recovery codes are never shown in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content-Security-Policy (django-csp): everything from this site only; no
# inline or eval'd script, no inline style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# Widget templates (such as the body-area checkboxes) live in templates/ too.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Persistent connections, checked before each request: one per gunicorn
# thread, reused across requests, and replaced if the database went away.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Nothing waits long on PostgreSQL: connecting, each statement, and each
# answer are bounded (a few seconds; 0 turns a limit off), so a database that
# is down or frozen gives a 503 within seconds (core/backends/postgresql).
# /healthz answers within about the two together.
DB_CONNECT_TIMEOUT = int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "2"))
DB_STATEMENT_TIMEOUT = float(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT", "3"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "core.backends.postgresql"
    options = DATABASES["default"].setdefault("OPTIONS", {})
    if DB_CONNECT_TIMEOUT:
        options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    if DB_STATEMENT_TIMEOUT:
        statement_ms = int(DB_STATEMENT_TIMEOUT * 1000)
        server_options = options.get("options", "")
        options["options"] = f"{server_options} -c statement_timeout={statement_ms}"
        options["answer_timeout"] = DB_STATEMENT_TIMEOUT

# Cached pages are checked against the content version (core/cache), so
# any backend is safe: by default each process keeps its own in memory; with
# REDIS_URL, all processes and servers share Django's Redis cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
# A cache that is down, full or slow is a miss, never a failed page
# (core/outages.py): it gets a fraction of a second per call, and after a
# connection error or a timeout is left alone for CACHE_RETRY_SECONDS.
CACHE_TIMEOUT = float(os.environ.get("DJANGO_CACHE_TIMEOUT", "0.25"))
CACHE_RETRY_SECONDS = 5
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "side-by-side",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT,
                "socket_timeout": CACHE_TIMEOUT,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    }
PAGE_CACHE_ALIAS = "default"
# A cached page is served for up to an hour after it was rendered, if the
# content has not changed since.
PAGE_CACHE_SECONDS = 60 * 60
# At most this many pages are kept: each query string the pages understand
# is a page, so the key space is bounded whatever is asked (core/cache/pages.py).
# Pages are 20-60 KB, so 2,000 need at most about 120 MB of Redis.
PAGE_CACHE_ENTRIES = int(os.environ.get("DJANGO_PAGE_CACHE_ENTRIES", "2000"))
# While the database is down, a page cached up to this long ago is still
# served, marked "X-Cache: stale"; 0 turns that off.
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("DJANGO_STALE_SECONDS", "86400"))
# With a shared cache, the content version kept in it is checked against the
# database at least this often (core/cache/versions.py).
PAGE_CACHE_VERSION_SECONDS = 60
# After the database failed, cached pages are served stale for this long
# before it is asked again; the 503 page asks browsers to retry after
# RETRY_AFTER_SECONDS.
DATABASE_RETRY_SECONDS = 5
RETRY_AFTER_SECONDS = 30

# HTTP caching (docs/caching.md). Public pages: shared caches (Varnish, a
# CDN) keep them for a day, purged by key when content changes; browsers
# ask again every time (a 304 costs no render); both may use a copy up to
# a day old while the origin revalidates it or fails.
HTTP_SHARED_SECONDS = env_int("DJANGO_HTTP_SHARED_SECONDS", 60 * 60 * 24)
HTTP_BROWSER_SECONDS = env_int("DJANGO_HTTP_BROWSER_SECONDS", 0)
HTTP_STALE_WHILE_REVALIDATE_SECONDS = env_int(
    "DJANGO_HTTP_STALE_WHILE_REVALIDATE_SECONDS", 60 * 60 * 24
)
HTTP_STALE_IF_ERROR_SECONDS = env_int(
    "DJANGO_HTTP_STALE_IF_ERROR_SECONDS", 60 * 60 * 24
)
# A public address's 404, redirect or 400: kept this long by shared caches,
# and purged by any change (a 404 of a slug about to be published).
HTTP_SHORT_SECONDS = env_int("DJANGO_HTTP_SHORT_SECONDS", 5 * 60)

# The front caches to purge when content changes, comma-separated:
# http://host:port (Varnish, deploy/varnish), fastly://SERVICE_ID,
# cloudflare://ZONE_ID. Their tokens come from the environment only; the
# API addresses are settings so that tests can point them at a fake.
FRONT_CACHE_URLS = env_list("FRONT_CACHE_URLS")
FASTLY_API_URL = os.environ.get("FASTLY_API_URL", "https://api.fastly.com")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
CLOUDFLARE_API_URL = os.environ.get(
    "CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
)
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
# Each purge request gives up after this many seconds; a failed purge is
# tried again after each of these delays, then left for the next edit or
# `manage.py purge_front_caches`; one that went through is sent again
# FRONT_CACHE_REPEAT_SECONDS later (0: never); /healthz tells staff when a
# change has waited FRONT_CACHE_ALERT_SECONDS for its purge.
FRONT_CACHE_TIMEOUT = 5
FRONT_CACHE_RETRY_SECONDS = (1, 2, 4)
FRONT_CACHE_REPEAT_SECONDS = env_int("FRONT_CACHE_REPEAT_SECONDS", 5)
FRONT_CACHE_ALERT_SECONDS = 60

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Fingerprinted and compressed (gzip and Brotli) by collectstatic; served
# by WhiteNoise with far-future cache headers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The history's compare view (django-reversion-compare) compares a foreign
# key by the record it names: otherwise a source is shown as changed
# whenever anything else in the version changed (editorial/history.py).
REVERSION_COMPARE_FOREIGN_OBJECTS_AS_ID = True

SITE_NAME = "Side by Side"
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = SITE_NAME

# How long a preview link for reviewers without an account lasts
# (editorial/previews.py; docs/editing.md).
PREVIEW_LINK_DAYS = int(os.environ.get("DJANGO_PREVIEW_LINK_DAYS", "7"))
SITE_TAGLINE = "Cosmetic treatments compared, fact by fact, from their sources"

# The content API (api/, docs/api.md): read-only, anonymous, JSON only.
# Errors are problem details (api/problems.py); pages of results are cached
# like pages (core/cache/), so nothing is throttled here.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
}

# What the content API's responses say about reusing the content. The
# site's own words and the structure of its facts, under CC BY 4.0 unless
# the operator chooses otherwise; each fact names the source it comes from.
CONTENT_LICENCE = os.environ.get(
    "DJANGO_CONTENT_LICENCE", "Creative Commons Attribution 4.0 International"
)
CONTENT_LICENCE_URL = os.environ.get(
    "DJANGO_CONTENT_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
CONTENT_ATTRIBUTION = os.environ.get(
    "DJANGO_CONTENT_ATTRIBUTION",
    f"Content from {SITE_NAME}{f' ({SITE_URL})' if SITE_URL else ''}, under "
    f"the {CONTENT_LICENCE} licence. Each fact names the source it comes from.",
)

SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} content API",
    "VERSION": "1",
    "DESCRIPTION": "Cosmetic treatments and their comparisons, fact by fact, "
    "each fact with the source it comes from. Read-only and open: no key, and "
    "any site may call it. A fact the source does not state is "
    '`{"stated": false}`. Errors are problem details (RFC 9457).',
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "LICENSE": {"name": CONTENT_LICENCE, "url": CONTENT_LICENCE_URL},
    "SERVE_INCLUDE_SCHEMA": False,
    # The values are listed in the schema's enums; no Markdown list of them.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # Enums stay where they are used, rather than as components of their own.
    "POSTPROCESSING_HOOKS": ["api.schema.finish"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
