"""A treatment's facts in the API are the facts on its page: every text the
API states is on the page, the page cites exactly what the API cites, and
the lists (body areas, side effects, milestones, questions, sources) hold
the same things in the same order."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db

TREATMENTS = ["laser-cellulite-reduction", "mesotherapy"]


def plain(markup):
    """The page's text: no tags, entities decoded, spaces collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"\s+", " ", text).strip().lower()


def words(text):
    return re.sub(r"\s+", " ", text).strip().lower()


def stated(data):
    """Every fact the API states: (its text, its citation or None)."""
    if isinstance(data, dict):
        if data.get("stated") is True:
            for key in ("text", "label"):
                if isinstance(data.get(key), str):
                    yield data[key], data.get("citation")
        for value in data.values():
            yield from stated(value)
    elif isinstance(data, list):
        for value in data:
            yield from stated(value)


def citations(data):
    if isinstance(data, dict):
        if set(data) == {"source", "location"}:
            yield data["source"], data["location"] or ""
        for value in data.values():
            yield from citations(value)
    elif isinstance(data, list):
        for value in data:
            yield from citations(value)


CITED = re.compile(r'href="#source-([^"]+)">.*?</a>(?:, (.*?))?(?=\. <a |$)')


def page_citations(markup):
    """(source, place in it) for every citation: a section's "Source" line
    names each source once, with its places after it, "; " between them."""
    found = set()
    for line in re.findall(r'<p class="cite">Sources?: (.*?)</p>', markup):
        for slug, places in CITED.findall(line):
            for place in places.split("; ") if places else [""]:
                found.add((slug, html.unescape(place)))
    return found


def listed(markup, pattern):
    return [plain(item) for item in re.findall(pattern, markup, flags=re.S)]


def items(data, section, field, key):
    """The texts of a list the API states, or [] for a silence."""
    part = next(p for p in data["hasPart"] if p["identifier"] == section)
    fact = part[field]
    if not fact["stated"]:
        return []
    return [words(item if key is None else item[key]) for item in fact["items"]]


@pytest.mark.parametrize("slug", TREATMENTS)
def test_the_api_states_what_the_page_shows(api, client, seeded, slug):
    data = api.get(f"/api/v1/treatments/{slug}/").json()
    markup = client.get(f"/treatments/{slug}/").content.decode()
    text = plain(markup)

    missing = [fact for fact, _ in stated(data) if words(fact) not in text]
    assert missing == []
    assert set(citations(data)) == page_citations(markup)

    areas = re.search(r'<ul class="areas">(.*?)</ul>', markup, re.S).group(1)
    assert items(data, "what-it-is", "bodyLocation", "name") == [
        words(name) for name in re.findall(r"<a [^>]*>([^<]+)</a>", areas)
    ]
    assert items(data, "side-effects", "adverseOutcome", "name") == listed(
        markup, r'<li class="side-effect">\s*<strong>(.*?)</strong>'
    )
    assert items(data, "recovery", "followup", "wording") == listed(
        markup, r'<p class="recovery__when">.*?<strong>(.*?)</strong>'
    )
    questions = re.search(r'<ul class="questions">(.*?)</ul>', markup, re.S).group(1)
    assert items(data, "before-you-book", "questionsToAsk", None) == listed(
        questions, r"<li>(.*?)</li>"
    )
    assert [words(s["name"]) for s in data["citation"]] == listed(
        markup, r'<p class="source__title">(.*?)</p>'
    )
    assert data["lastReviewed"] in markup and data["nextReviewDue"] in markup
    assert words(data["evidence"]["statement"]) in text
