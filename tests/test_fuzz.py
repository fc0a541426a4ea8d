"""No input breaks a page: arbitrary query strings and paths, thrown at every
public page through the test client.

Whatever the input, a page answers with a 2xx, 3xx or 4xx, never a 5xx (an
exception escaping a view fails the test with its traceback), and the
markers we inject (script tags, quotes, angle brackets) come back, if at
all, HTML-escaped. Real slugs and filter values are mixed in, and spoilt,
so that the filters, the comparison table and pagination really run.

How many examples: the Hypothesis profile in tests/conftest.py (a quick run
by default, more in CI). `--hypothesis-show-statistics` shows which pages
and templates the examples reached.
"""

import functools
import re
from urllib.parse import quote, quote_from_bytes

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from tests.factories import make_treatment
from treatments.models import BodyArea, Treatment

pytestmark = pytest.mark.django_db

# What the seed loads, plus what `site` below adds.
TREATMENTS = ["laser-cellulite-reduction", "mesotherapy", "no-treatment"]
EXTRA_TREATMENTS = [f"extra-{number:02}" for number in range(1, 15)]
DRAFT = "draft-treatment"
AREAS = ["arms", "back", "buttocks", "legs", "stomach", "thighs", "inner-thighs"]
COMPARISON = "laser-vs-mesotherapy"
PUBLIC_TREATMENTS = {*TREATMENTS, *EXTRA_TREATMENTS}

# Injected into values and keys. Served raw, each would be markup or would
# break out of an attribute; escaped, none of them matches REFLECTED.
MARKERS = [
    "<script>FZMARK1</script>",
    '"FZMARK2',
    "'FZMARK3",
    "<FZMARK4",
    '"><img src=x onerror=FZMARK5>',
]
REFLECTED = re.compile(r"""(?:<|<script>|"|'|"><img src=x onerror=)FZMARK[0-9]""")

SQL = [
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE treatments_treatment; --",
    "' UNION SELECT NULL, NULL --",
    "%",
    "_",
    "\\",
    "%%' --",
]
# Values that have broken web sites before, and what to slip into others.
# A lone surrogate such as "\udcff" is sent as the byte 0xFF: not UTF-8.
NASTY = ["", " ", "\x00", "a\x00b", "\ufeff", "\u202e", "\r\n", *MARKERS, *SQL]
SLIPS = ["\x00", "<FZMARK4", '"FZMARK2', "'", "%00", "\u0301", "\udcff"]

REAL_VALUES = {
    "body_area": AREAS,
    "invasiveness": [choice for choice, _ in Treatment.Invasiveness.choices],
    "anaesthesia": [choice for choice, _ in Treatment.Anaesthesia.choices],
    "max_sessions": ["1", "2", "3", "6", "10", "100"],
    "q": ["laser", "fat", "cellulite", "Skin", "extra", " mesotherapy "],
    "sort": ["name", "-name", "daily", "-daily", "daily,name", "-daily,-name"],
    "page": ["1", "2", "3"],
    "p": ["1", "2", "0", "x"],
    "treatments": [*TREATMENTS, DRAFT, EXTRA_TREATMENTS[0]],
    "differences": ["1", "true", "yes", "on", "0", "false"],
}
KEYS = list(REAL_VALUES)
ALL_REAL = sorted({value for values in REAL_VALUES.values() for value in values})
CATALOGUE_KEYS = ["body_area", "invasiveness", "anaesthesia", "max_sessions", "q"]
CATALOGUE_KEYS += ["sort", "page"]
COMPARE_KEYS = ["treatments", "body_area", "differences"]

# About 5,000 characters: cheap to draw, so Hypothesis stays fast.
long_values = st.one_of(
    st.builds(
        lambda piece, count: piece * count,
        st.sampled_from(["a", "9", "<", "\x00", "é", "%", "-", "thighs,"]),
        st.integers(min_value=4_000, max_value=6_000),
    ),
    st.sampled_from(MARKERS).map(lambda marker: marker * (5_000 // len(marker))),
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    # Longer than Python's 4,300-digit limit for int(str).
    st.integers(min_value=4_200, max_value=5_000).map(lambda n: "9" * n),
    st.sampled_from(["0", "-1", "-0", "1.5", "1e3", "1e400", "nan", "inf", "0x10"]),
    st.sampled_from(["٣", "３", " 2 ", "+3", "2_0", "007", "1,2"]),
).map(str)
anything = st.one_of(st.sampled_from(NASTY), numbers, st.text(max_size=30))
anything |= long_values
slips = st.sampled_from(SLIPS)
slip_at = st.integers(min_value=0, max_value=10_000)
any_keys = st.one_of(
    st.sampled_from(KEYS),
    st.sampled_from([*MARKERS, "", "page[]", "q\x00", "treatments ", "TREATMENTS"]),
    st.text(max_size=10),
)
encodings = st.sampled_from(["utf-8", "utf-8", "raw", "no-equals", "latin-1"])
junk_segments = st.lists(
    st.one_of(
        st.binary(max_size=12).map(lambda b: b"q=" + quote_from_bytes(b).encode()),
        st.binary(max_size=12).map(lambda b: b"treatments=" + b),
        st.sampled_from(
            [
                b"q=%ff%fe",
                b"body_area=%c0%af",
                b"treatments=%ed%a0%80",
                b"%ff%fe=%00",
                b"page=%",
                b"page=%zz",
                b"q=%f",
                b"=",
                b"&",
                b"&&&",
                b";",
                b"q=a;q=b",
                b"body_area=thighs\xff",
            ]
        ),
    ),
    max_size=3,
)


def slip(value, extra, at):
    at %= len(value) + 1
    return value[:at] + extra + value[at:]


@functools.cache
def values(key):
    """A value for `key`: a real one, anything (nasty, a number of any size,
    any text, about 5,000 characters), or either with a NUL byte, a marker
    or a quote slipped in."""
    real = st.sampled_from(REAL_VALUES.get(key, ALL_REAL))
    spoilt = st.builds(slip, real | anything, slips, slip_at)
    return st.one_of(real, spoilt, anything)


def real_pairs(page_keys, min_size=0):
    pairs = [(key, value) for key in page_keys for value in REAL_VALUES[key]]
    return st.lists(st.sampled_from(pairs), min_size=min_size, max_size=4)


def encode_pair(key, value, how):
    """One `key=value` of a query string, as bytes."""
    if how == "utf-8":
        key, value = (
            quote(text, safe="", errors="surrogateescape") for text in (key, value)
        )
        return f"{key}={value}".encode()
    if how == "raw":  # what a lax client might send unencoded
        return f"{key}={value}".encode(errors="surrogateescape")
    if how == "no-equals":
        return quote(key, safe="", errors="surrogateescape").encode()
    # Latin-1 bytes, percent-encoded: invalid UTF-8 such as %E9.
    value = quote_from_bytes(value.encode("latin-1", "replace"), safe="")
    return f"{quote(key, safe='', errors='surrogateescape')}={value}".encode()


NOTHING = st.just([])


def query_strings(page_keys, base=NOTHING):
    """Whole QUERY_STRINGs for a page: its base (such as two real
    treatments for /compare/) and real pairs, kept, spoilt or replaced;
    then pairs, mostly for the parameters the page reads; then junk bytes;
    in any order. WSGI hands Django the raw bytes as a latin-1 string."""
    page_key = st.sampled_from(page_keys)
    more_keys = st.lists(st.one_of(page_key, page_key, any_keys), max_size=6)
    real = real_pairs(page_keys)
    spoil = st.sampled_from(["keep", "slip", "replace"])

    @st.composite
    def strategy(draw):
        # Half the time the real pairs stay real, so that whole pages (a
        # comparison table, a filtered list) are rendered often.
        gentle = draw(st.booleans())
        found = []
        for key, value in [*draw(base), *draw(real)]:
            how = "keep" if gentle else draw(spoil)
            if how == "slip":
                value = slip(value, draw(slips), draw(slip_at))
            elif how == "replace":
                value = draw(values(key))
            found.append((key, value))
        found += [(key, draw(values(key))) for key in draw(more_keys)]
        segments = [encode_pair(key, value, draw(encodings)) for key, value in found]
        segments += draw(junk_segments)
        return b"&".join(draw(st.permutations(segments))).decode("latin-1")

    return strategy()


# Every public page: the status codes a query string may give it, and the
# query strings to try.
PAGES = {
    "/": ({200}, query_strings(KEYS)),
    "/treatments/": (
        {200},
        query_strings(CATALOGUE_KEYS, base=real_pairs(CATALOGUE_KEYS, min_size=1)),
    ),
    "/treatments/mesotherapy/": ({200}, query_strings(KEYS)),
    # The picker (200), a comparison (200), too few or too many (400), an
    # unknown treatment or body area (404).
    "/compare/": (
        {200, 400, 404},
        query_strings(
            COMPARE_KEYS,
            base=st.lists(
                st.sampled_from([*TREATMENTS, *EXTRA_TREATMENTS[:3]]),
                min_size=2,
                max_size=4,
                unique=True,
            ).map(lambda slugs: [("treatments", slug) for slug in slugs]),
        ),
    ),
    # An unknown focus area is a 404 that says so.
    f"/compare/{COMPARISON}/": ({200, 404}, query_strings(COMPARE_KEYS[1:])),
    "/compare/ready-made/": ({200}, query_strings(KEYS)),
    "/healthz": ({200}, query_strings(KEYS)),
    # A sitemap page (?p=) that is not a number or not there is a 404.
    "/sitemap.xml": ({200, 404}, query_strings(KEYS)),
    "/robots.txt": ({200}, query_strings(KEYS)),
}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The seeded content and more, loaded once for the whole module in a
    transaction that is rolled back after it: every example only reads."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("seed", "--strict", verbosity=0)
        inner = BodyArea.objects.create(
            name="Inner thighs",
            slug="inner-thighs",
            parent=BodyArea.objects.get(slug="thighs"),
        )
        # More than one page of treatments, so that page numbers count.
        for slug in EXTRA_TREATMENTS:
            make_treatment(slug.title().replace("-", " "), slug=slug, areas=[inner])
        make_treatment("Draft treatment", slug=DRAFT, status="draft")
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def get(path, **extra):
    """One request, in a savepoint: should a query fail (and the test with
    it), PostgreSQL's transaction stays usable for the examples Hypothesis
    tries next while it shrinks the input."""
    with transaction.atomic():
        return Client().get(path, **extra)


def assert_safe(response, expected):
    templates = [template.name for template in response.templates]
    event(f"{response.status_code} {templates[0] if templates else ''}")
    assert response.status_code in expected
    body = response.content.decode("utf-8", "replace")
    found = REFLECTED.search(body)
    assert found is None, f"unescaped: {body[max(found.start() - 80, 0) :][:200]}"


@pytest.mark.parametrize("page", list(PAGES))
@given(data=st.data())
def test_query_strings(site, page, data):
    expected, query_strings_for_page = PAGES[page]
    query = data.draw(query_strings_for_page, label="QUERY_STRING")
    assert_safe(get(page, QUERY_STRING=query), expected)


def encode_segment(text, how):
    """Part of a path. The client percent-decodes the path to bytes, so raw
    non-ASCII is the same as "utf-8"; "latin-1" gives bytes that are not
    UTF-8 (%E9)."""
    if how == "utf-8":
        return quote(text, safe="", errors="surrogateescape")
    if how == "raw":
        return text
    return quote_from_bytes(text.encode("latin-1", "replace"), safe="")


@given(
    prefix=st.sampled_from(["/treatments/", "/compare/"]),
    slug=st.one_of(
        st.sampled_from([*TREATMENTS, *EXTRA_TREATMENTS, DRAFT, COMPARISON, *AREAS]),
        st.from_regex(r"[-a-zA-Z0-9_]{1,120}", fullmatch=True),
        anything,
        st.builds(slip, st.sampled_from(TREATMENTS), slips, slip_at),
    ),
    how=st.sampled_from(["utf-8", "latin-1"]),
    junk=st.sampled_from(["", "%ff%fe", "%00", "%2F", "%c0%af", "%", "%zz"]),
)
def test_paths(site, prefix, slug, how, junk):
    """/treatments/<anything>/ and /compare/<anything>/: the page if the slug
    is a real published one, 404 otherwise."""
    segment = encode_segment(slug, how) + junk
    response = get(f"{prefix}{segment}/")
    public = PUBLIC_TREATMENTS if prefix == "/treatments/" else {COMPARISON}
    real = slug in public and segment == slug
    assert_safe(response, {200} if real else {404})


@given(path=st.text(max_size=60), how=st.sampled_from(["utf-8", "raw", "latin-1"]))
def test_any_path(site, path, how):
    """Whatever the address, an answer: a page, a redirect (to add the
    slash; to the admin's login), or the 404 page."""
    response = get("/" + encode_segment(path, how))
    assert_safe(response, {200, 301, 302, 404})


def test_thousands_of_parameters_are_a_400(site):
    # Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields.
    query = "&".join(["body_area=thighs"] * 1_001)
    assert get("/treatments/", QUERY_STRING=query).status_code == 400
