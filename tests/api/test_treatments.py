"""The API's treatments: the catalogue's filters, every fact with its
citation, silences as silences, published content only, and errors as
problem details naming what was wrong. Every response goes through `api`,
which checks it against the OpenAPI schema (tests/support/api.py)."""

import pytest
from django.test import Client

from editorial.changes import note_change
from tests.factories import add_facts, make_area, make_source, make_treatment
from treatments.models import Effect, Milestone, SideEffect

pytestmark = pytest.mark.django_db

LIST = "/api/v1/treatments/"


def slugs(response):
    return [item["identifier"] for item in response.json()["results"]]


def section(data, identifier):
    return next(part for part in data["hasPart"] if part["identifier"] == identifier)


def test_a_treatment_the_source_says_little_of_is_silences_not_nones(api):
    make_treatment("Quiet")
    data = api.get(f"{LIST}quiet/").json()
    session = section(data, "session")
    assert session["howPerformed"] == {"stated": False}
    assert session["anaesthesia"] == {"stated": False}
    assert session["procedureType"]["stated"] is True  # always given
    assert section(data, "side-effects")["adverseOutcome"] == {"stated": False}
    recovery = section(data, "recovery")
    assert recovery["followup"] == {"stated": False}
    assert [kind["kind"] for kind in recovery["silentOn"]] == [
        "daily-activities",
        "exercise",
        "first-results",
        "final-result",
    ]
    sessions = section(data, "sessions")
    assert sessions["numberOfSessions"] == {"stated": False}
    assert sessions["interval"] == {"stated": False}
    assert section(data, "before-you-book")["questionsToAsk"] == {"stated": False}
    assert section(data, "what-it-is")["bodyLocation"] == {"stated": False}


def test_each_fact_is_cited_with_where_in_the_source(api):
    source = make_source(title="An article")
    thighs = make_area("Thighs")
    treatment = add_facts(
        make_treatment(
            "Cited",
            source=source,
            areas=[thighs],
            how_it_works="It heats the skin.",
            plan={"kind": "course", "sessions_min": 2, "sessions_max": 4},
        )
    )
    data = api.get(f"{LIST}{treatment.slug}/").json()
    what = section(data, "what-it-is")
    assert what["howItWorks"] == {
        "stated": True,
        "text": "It heats the skin.",
        "citation": {"source": source.slug, "location": "paragraph 1"},
    }
    area = what["bodyLocation"]["items"][0]
    assert area["identifier"] == "thighs"
    assert area["citation"] == {"source": source.slug, "location": "p. 3"}
    count = section(data, "sessions")["numberOfSessions"]
    assert (count["minValue"], count["maxValue"], count["text"]) == (
        2,
        4,
        "2–4 sessions",
    )
    assert count["citation"]["location"] == "paragraph 2"
    milestone = section(data, "recovery")["followup"]["items"][0]
    assert milestone["wording"] == "after 1 days"
    assert milestone["days"] == {
        "@type": "QuantitativeValue",
        "minValue": 1,
        "maxValue": 2,
        "unitCode": "DAY",
    }
    assert [s["identifier"] for s in data["citation"]] == [source.slug]
    assert data["citation"][0]["name"] == "An article"


def test_side_effects_give_their_frequency_in_the_source_s_words_or_none(api):
    treatment = make_treatment("Effects")
    for slug, frequency, wording in [
        ("bruising", SideEffect.Frequency.COMMON, "most people bruise"),
        ("swelling", SideEffect.Frequency.RARE, ""),
        ("itching", SideEffect.Frequency.NOT_STATED, ""),
    ]:
        SideEffect.objects.create(
            treatment=treatment,
            effect=Effect.objects.create(name=slug.title(), slug=slug),
            frequency=frequency,
            frequency_wording=wording,
            source=treatment.source,
        )
    data = api.get(f"{LIST}effects/").json()
    items = section(data, "side-effects")["adverseOutcome"]["items"]
    by_name = {item["identifier"]: item for item in items}
    # Most common first, as the page lists them.
    assert [item["identifier"] for item in items] == ["bruising", "swelling", "itching"]
    assert by_name["bruising"]["frequency"] == {
        "stated": True,
        "value": "common",
        "label": "Common",
        "inSourceWords": {"stated": True, "text": "most people bruise"},
    }
    assert by_name["swelling"]["frequency"]["inSourceWords"] == {"stated": False}
    assert by_name["itching"]["frequency"] == {"stated": False}
    assert by_name["itching"]["citation"]["location"] is None


def test_a_draft_is_nowhere_in_the_api(api):
    make_treatment("Shown")
    make_treatment("Hidden", status="draft")
    assert slugs(api.get(LIST)) == ["shown"]
    response = api.get(f"{LIST}hidden/")
    assert response.status_code == 404
    assert "hidden" in response.json()["detail"]
    compare = api.get("/api/v1/compare/?treatments=shown&treatments=hidden")
    assert compare.status_code == 404


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("max_sessions=abc", "max_sessions"),
        ("max_sessions=0", "max_sessions"),
        ("max_sessions=1e400", "max_sessions"),
        ("max_sessions=" + "9" * 5000, "max_sessions"),
        ("body_area=nowhere", "body_area"),
        ("invasiveness=very", "invasiveness"),
        ("anaesthesia=%00", "anaesthesia"),
        ("sort=-daily", "sort"),
        ("sort=,", "sort"),
        ("sort=name,", "sort"),
        ("q=" + "a" * 101, "q"),
        ("q=a%00b", "q"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page_size=101", "page_size"),
        ("page_size=%ff", "page_size"),
        # Not an integer, as the schema says: found by Schemathesis.
        ("page=2.0", "page"),
        ("page_size=5%09", "page_size"),
        ("page_size=%205", "page_size"),
    ],
)
def test_a_filter_it_cannot_use_is_a_400_naming_it(api, query, parameter):
    response = api.get(f"{LIST}?{query}")
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["status"] == 400
    assert [p["name"] for p in problem["invalid-params"]] == [parameter]
    assert parameter in problem["detail"]


def test_filters_are_the_catalogue_s_own(api, client):
    """The body-area rule, the sessions filter, search and sort: the same
    treatments in the same order as the catalogue page."""
    legs = make_area("Legs")
    thighs = make_area("Thighs", parent=legs)
    arms = make_area("Arms")
    make_treatment("Leg wrap", areas=[legs], plan={"kind": "course", "sessions_max": 3})
    make_treatment("Thigh laser", areas=[thighs], plan={"kind": "single"})
    make_treatment("Arm peel", areas=[arms])
    for query in [
        "body_area=thighs",
        "body_area=legs",
        "max_sessions=2",
        "q=laser",
        "sort=name&invasiveness=non-invasive",
    ]:
        page = client.get(f"/treatments/?{query}").context["treatments"]
        assert slugs(api.get(f"{LIST}?{query}")) == [t.slug for t in page], query
    assert slugs(api.get(f"{LIST}?body_area=thighs")) == ["leg-wrap", "thigh-laser"]


def test_pages_of_results(api):
    for n in range(5):
        make_treatment(f"Treatment {n}")
    first = api.get(f"{LIST}?page_size=2").json()
    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/treatments/?page=2&page_size=2"
    last = api.get(f"{LIST}?page_size=2&page=3").json()
    assert [t["name"] for t in last["results"]] == ["Treatment 4"]
    past = api.get(f"{LIST}?page_size=2&page=4")
    assert past.status_code == 404
    assert "the last is page 3" in past.json()["detail"]


def test_every_answer_is_open_to_any_site_and_licensed(api, settings):
    settings.CONTENT_LICENCE_URL = "https://licences.example/open"
    settings.CONTENT_ATTRIBUTION = "From the test site."
    make_treatment("Open")
    for url in [LIST, f"{LIST}open/", f"{LIST}nothing/", f"{LIST}?page=x"]:
        response = api.get(url)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Link"] == '<https://licences.example/open>; rel="license"'
        body = response.json()
        assert body["license"] == "https://licences.example/open"
        assert body["creditText"] == "From the test site."


def test_a_browser_preflight_is_answered(client):
    response = client.options(LIST, HTTP_ORIGIN="https://clinic.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_what_it_does_not_do_is_a_405_problem(api, client):
    response = client.post(LIST)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 405
    api.check(response)


def test_an_address_outside_the_api_is_a_404_problem(api):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["instance"] == "/api/v1/no-such-thing/"
    no_slash = api.get("/api/v1/treatments")
    assert no_slash.status_code == 404
    assert "/api/v1/treatments/" in no_slash.json()["detail"]


def test_cached_with_an_etag_and_fresh_after_an_edit(api):
    treatment = make_treatment("Cached", summary="Before.")
    first = api.get(f"{LIST}cached/")
    assert first["X-Cache"] == "miss"
    again = api.get(f"{LIST}cached/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert api.get(f"{LIST}cached/")["X-Cache"] == "hit"
    treatment.summary = "After."
    treatment.save()
    fresh = api.get(f"{LIST}cached/")
    assert fresh.json()["description"] == "After."
    assert fresh["ETag"] != first["ETag"]


def test_change_notes_of_published_treatments(api):
    shown = make_treatment("Shown")
    hidden = make_treatment("Hidden", status="draft")
    note_change(shown, "Added a side effect.")
    note_change(hidden, "Not public yet.")
    notes = api.get("/api/v1/changes/").json()["results"]
    assert [note["text"] for note in notes] == ["Added a side effect."]
    assert notes[0]["about"]["identifier"] == "shown"
    assert notes[0]["about"]["kind"] == "treatment"
    detail = api.get(f"{LIST}shown/").json()
    assert [change["text"] for change in detail["changes"]] == ["Added a side effect."]


def test_body_areas_as_a_tree(api):
    legs = make_area("Legs")
    make_area("Thighs", parent=legs)
    data = api.get("/api/v1/body-areas/").json()["results"]
    assert [area["identifier"] for area in data] == ["legs"]
    assert [area["identifier"] for area in data[0]["subStructure"]] == ["thighs"]
    assert data[0]["apiUrl"] == "http://testserver/api/v1/treatments/?body_area=legs"


def test_sources_are_those_public_pages_cite(api):
    cited = make_source(title="Cited", publisher="A publisher")
    make_treatment("Shown", source=cited)
    make_treatment("Hidden", source=make_source(title="Draft's"), status="draft")
    sources = api.get("/api/v1/sources/").json()["results"]
    assert [source["name"] for source in sources] == ["Cited"]
    assert sources[0]["publisher"] == {"stated": True, "text": "A publisher"}
    assert sources[0]["author"] == {"stated": False}
    assert sources[0]["link"]["checked"] is False


def test_absolute_addresses_follow_the_site_s_address(api, settings):
    settings.SITE_URL = "https://treatments.example.org"
    make_treatment("Placed")
    item = api.get(LIST).json()["results"][0]
    assert item["url"] == "https://treatments.example.org/treatments/placed/"
    assert item["apiUrl"] == "https://treatments.example.org/api/v1/treatments/placed/"


def test_a_malformed_request_never_breaks_it():
    """NUL bytes, bytes that are not UTF-8, very long values: 4xx, never 5xx."""
    client = Client(raise_request_exception=True)
    for query in ["q=%ff%fe", "body_area=%c0%af", "q=" + "é" * 3000, "sort=%00", "&&="]:
        status = client.get(LIST, QUERY_STRING=query).status_code
        assert status in (200, 400), query
    assert client.get("/api/v1/treatments/%ff/").status_code == 404
    assert client.get(
        "/api/v1/compare/", QUERY_STRING="treatments=a%00"
    ).status_code in (
        400,
        404,
    )


def test_the_real_treatments(api, seeded):
    data = api.get(f"{LIST}mesotherapy/").json()
    assert data["@type"] == "MedicalWebPage"
    assert [part["identifier"] for part in data["hasPart"]] == [
        "what-it-is",
        "session",
        "sessions",
        "side-effects",
        "recovery",
        "before-you-book",
    ]
    assert section(data, "side-effects")["hasHealthAspect"] == [
        "https://schema.org/SideEffectsHealthAspect"
    ]
    assert data["evidence"]["level"] == "low"
    assert data["evidence"]["limits"]
    baseline = api.get(f"{LIST}no-treatment/").json()
    assert [part["identifier"] for part in baseline["hasPart"]] == [
        "what-it-is",
        "what-sources-say",
    ]
    assert Milestone.objects.filter(treatment__slug="mesotherapy").exists()


def test_an_edit_makes_cold_only_what_shows_it(api):
    """The API's cached answers say what they show (core/cache/keys.py), as
    pages do: an edit to one treatment leaves another's answer cached."""
    edited, other = make_treatment("Edited"), make_treatment("Other")
    for slug in ("edited", "other"):
        assert api.get(f"{LIST}{slug}/")["X-Cache"] == "miss"
    edited.summary = "Changed."
    edited.save()
    assert api.get(f"{LIST}other/")["X-Cache"] == "hit"
    assert api.get(f"{LIST}edited/")["X-Cache"] == "miss"
    assert api.get(LIST)["X-Cache"] == "miss"  # the list shows it too
    assert other.slug == "other"
