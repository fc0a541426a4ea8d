"""
The page kinds measured, and in-process measurements of them.

Each kind has a list of addresses: the first is the one measured warm (and
for request rates); cold runs go through them all in turn, so that a cache
cannot answer from an earlier run. Measurements use Django's test Client
in this process against the configured database, with every configured
cache cleared before each cold request.
"""

import gzip
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

from .stats import summarise

HOST = "127.0.0.1"
GZIP_LEVEL = 6  # what a compressing proxy typically uses for HTML
MIN_REPS = 10


@dataclass
class PageKind:
    name: str
    urls: list

    @property
    def url(self):
        return self.urls[0]


def compare_url(slugs):
    return "/compare/?" + urlencode([("treatments", slug) for slug in slugs])


def page_kinds(catalogue, variants=20):
    """The page kinds for a synthetic catalogue (see bench.catalogue)."""
    slugs = catalogue.treatments
    top_areas = catalogue.areas[: max(1, len(catalogue.areas) // 4)]
    step = max(1, len(slugs) // variants)
    picks = slugs[::step][:variants]

    def group(size):
        return [
            compare_url(
                slugs[(n * size * 7 + k * 13) % len(slugs)] for k in range(size)
            )
            for n in range(variants)
        ]

    curated = sorted(
        catalogue.comparisons, key=lambda slug: catalogue.comparisons[slug]
    )
    return [
        PageKind("home", ["/"]),
        PageKind("catalogue", ["/treatments/"]),
        PageKind(
            "filtered catalogue",
            [
                "/treatments/?"
                + urlencode({"body_area": area, "invasiveness": invasiveness})
                for area in top_areas
                for invasiveness in ("non-invasive", "minimally-invasive")
            ],
        ),
        PageKind("treatment", [f"/treatments/{slug}/" for slug in picks]),
        PageKind("compare 2", group(2)),
        PageKind("compare 4", group(4)),
        PageKind("curated", [f"/compare/{slug}/" for slug in curated]),
        PageKind("healthz", ["/healthz"]),
    ]


def clear_caches():
    """Clear every configured cache."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


class AssetFinder(HTMLParser):
    """The stylesheets and scripts an HTML page loads."""

    def __init__(self):
        super().__init__()
        self.assets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and attrs.get("href"):
            self.assets.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])


def assets_of(html):
    finder = AssetFinder()
    finder.feed(html)
    return list(dict.fromkeys(finder.assets))


@dataclass
class PageFigures:
    queries_cold: int = 0
    queries_warm: int = 0
    cold: dict = field(default_factory=dict)  # summarise() of milliseconds
    warm: dict = field(default_factory=dict)
    html_bytes: int = 0
    html_gzip: int = 0
    assets: dict = field(default_factory=dict)  # url: bytes as sent, gzip
    status: int = 0
    rate: float | None = None
    rate_errors: int = 0
    rate_seconds: int = 0

    @property
    def total_gzip(self):
        return self.html_gzip + sum(self.assets.values())


class InProcess:
    """Requests through Django's test Client, timed and counted."""

    def __init__(self):
        from django.test import Client

        self.client = Client(HTTP_HOST=HOST)
        self._asset_sizes = {}

    def get(self, url, **headers):
        response = self.client.get(url, headers=headers)
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        response.close()
        return response, body

    def queries(self, url):
        """(response, body, [sql]) of one request."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response, body = self.get(url)
        return response, body, [query["sql"] for query in captured.captured_queries]

    def timed(self, urls, *, cold, reps, budget):
        """Milliseconds for `reps` requests (fewer if `budget` seconds run
        out, never fewer than MIN_REPS), going through `urls` in turn."""
        times = []
        spent = 0.0
        for n in range(reps):
            if n >= MIN_REPS and spent > budget:
                break
            if cold:
                clear_caches()
            url = urls[n % len(urls)]
            began = time.perf_counter()
            response, _body = self.get(url)
            elapsed = time.perf_counter() - began
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            spent += elapsed
            times.append(elapsed * 1000)
        return times

    def asset_gzip(self, url):
        """Bytes of a static file as sent to a browser that accepts gzip."""
        if url not in self._asset_sizes:
            response, body = self.get(url, accept_encoding="gzip")
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            if response.get("Content-Encoding") != "gzip":
                body = gzip.compress(body, GZIP_LEVEL)
            self._asset_sizes[url] = len(body)
        return self._asset_sizes[url]

    def measure(self, kind, *, reps, budget):
        figures = PageFigures()
        clear_caches()
        response, body, cold_queries = self.queries(kind.url)
        if response.status_code != 200:
            raise RuntimeError(f"{kind.url} answered {response.status_code}")
        figures.status = response.status_code
        figures.queries_cold = len(cold_queries)
        _response, _body, warm_queries = self.queries(kind.url)
        figures.queries_warm = len(warm_queries)
        figures.html_bytes = len(body)
        figures.html_gzip = len(gzip.compress(body, GZIP_LEVEL))
        if "html" in response.get("Content-Type", ""):
            for asset in assets_of(body.decode(response.charset or "utf-8")):
                if asset.startswith("/") and not asset.startswith("//"):
                    figures.assets[asset] = self.asset_gzip(asset)
        figures.cold = summarise(
            self.timed(kind.urls, cold=True, reps=reps, budget=budget)
        )
        figures.warm = summarise(
            self.timed([kind.url], cold=False, reps=reps, budget=budget)
        )
        return figures
