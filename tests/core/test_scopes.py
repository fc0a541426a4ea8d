"""An edit makes cold only the pages that show what it changed
(core/cache/keys.py), on each process's memory cache and on Redis; everything
else stays cached."""

import pytest
import reversion
from django.core.cache import caches

from comparisons.models import Comparison
from core.models import ContentVersion
from editorial.changes import note_change
from treatments.models import SideEffect, Source, Treatment

pytestmark = pytest.mark.django_db

LASER = "/treatments/laser-cellulite-reduction/"
MESO = "/treatments/mesotherapy/"
BASELINE = "/treatments/no-treatment/"
LASER_AND_MESO = "/compare/?treatments=laser-cellulite-reduction&treatments=mesotherapy"
LASER_AND_BASELINE = (
    "/compare/?treatments=laser-cellulite-reduction&treatments=no-treatment"
)
CURATED = "/compare/laser-vs-mesotherapy/"
CATALOGUE = "/treatments/"
HOME = "/"
FEED = "/changes/feed/"
PICKER = "/compare/"
PAGES = [
    LASER,
    MESO,
    BASELINE,
    LASER_AND_MESO,
    LASER_AND_BASELINE,
    CURATED,
    CATALOGUE,
    HOME,
    FEED,
    PICKER,
]


@pytest.fixture(scope="module")
def warm_caches():
    """{cache: what it held with every page of PAGES warm}, for the module."""
    return {}


@pytest.fixture(params=["memory_cache", "private_redis"])
def page_cache(request, warm_caches):
    """The page cache, and warm(client): every page of PAGES in it, as the
    seeded content renders them. Rendered for the module's first test on
    each cache; the next tests on it get what the cache then held (the
    content is the same, each test's changes rolled back)."""
    server = request.getfixturevalue(request.param)

    def warm(client):
        if request.param not in warm_caches:
            for path in PAGES:
                client.get(path)
            warm_caches[request.param] = held(server)
        else:
            put_back(server, warm_caches[request.param])

    return warm


def held(server):
    """Everything in the page cache: the memory cache's entries and their
    expiry times, or each Redis key's dump and time to live."""
    if server is None:
        cache = caches["default"]
        return dict(cache._cache), dict(cache._expire_info)
    client = server.client
    return {key: (client.dump(key), client.pttl(key)) for key in client.keys("*")}


def put_back(server, contents):
    """The page cache as held() found it, and nothing else."""
    if server is None:
        cache = caches["default"]
        entries, expiry = contents
        with cache._lock:
            cache._cache.clear()
            cache._cache.update(entries)
            cache._expire_info.clear()
            cache._expire_info.update(expiry)
        return
    client = server.client
    client.flushall()
    for key, (dumped, ttl) in contents.items():
        client.restore(key, max(ttl, 0), dumped)


def cold_after(client, warm, change, *, in_revision=True):
    """With every page warm, make the change as the admin would (in a
    revision), and return the pages that are no longer served from the
    cache."""
    warm(client)
    for path in PAGES:
        assert client.get(path)["X-Cache"] == "hit", path
    if in_revision:
        with reversion.create_revision():
            change()
    else:
        change()
    return {path for path in PAGES if client.get(path)["X-Cache"] != "hit"}


def meso():
    return Treatment.objects.get(slug="mesotherapy")


def test_a_treatment_edit_makes_its_pages_and_the_lists_cold(
    seeded, page_cache, client
):
    def change():
        treatment = meso()
        treatment.summary = "A freshly edited summary."
        treatment.save()

    cold = cold_after(client, page_cache, change)
    assert cold == {MESO, LASER_AND_MESO, CURATED, CATALOGUE, HOME, PICKER, FEED}
    assert "A freshly edited summary." in client.get(MESO).content.decode()


def test_a_fact_of_a_treatment_touches_what_a_summary_does(seeded, page_cache, client):
    def change():
        side_effect = SideEffect.objects.filter(treatment=meso()).first()
        side_effect.duration = "A few days."
        side_effect.save()

    cold = cold_after(client, page_cache, change)
    assert LASER not in cold and LASER_AND_BASELINE not in cold
    assert {MESO, LASER_AND_MESO, CURATED} <= cold


def test_a_new_name_reaches_the_pages_that_offer_the_treatment(
    seeded, page_cache, client
):
    def change():
        treatment = meso()
        treatment.name = "Mesotherapy injections"
        treatment.save()

    cold = cold_after(client, page_cache, change)
    # Laser's page offers mesotherapy to compare with; the baseline's too.
    assert {LASER, BASELINE, LASER_AND_BASELINE} <= cold
    assert "Mesotherapy injections" in client.get(LASER).content.decode()


def test_a_source_touches_every_page(seeded, page_cache, client):
    def change():
        source = Source.objects.get(slug="laser-cellulite-reduction-article")
        source.title = "A retitled article"
        source.save()

    assert cold_after(client, page_cache, change) == set(PAGES)


def test_a_comparison_edit_touches_its_page_and_the_lists(seeded, page_cache, client):
    def change():
        comparison = Comparison.objects.get()
        comparison.introduction = "A new introduction."
        comparison.save()

    assert cold_after(client, page_cache, change) == {
        CURATED,
        CATALOGUE,
        HOME,
        PICKER,
        FEED,
    }


def test_a_change_note_touches_its_record_and_the_feed(seeded, page_cache, client):
    # A note on its own (with an edit, the edit's own scopes go cold too).
    cold = cold_after(
        client,
        page_cache,
        lambda: note_change(meso(), "Checked again."),
        in_revision=False,
    )
    assert {MESO, FEED} <= cold
    assert LASER not in cold and LASER_AND_BASELINE not in cold


def test_a_page_rendered_while_content_changed_is_not_kept(
    seeded, page_cache, client, monkeypatch
):
    """Numbers read after rendering would be newer than what the page
    shows: such a page is served but not kept."""
    from treatments import views

    render = views.group_side_effects

    def render_while_an_editor_saves(side_effects):
        ContentVersion.bump()
        return render(side_effects)

    monkeypatch.setattr(views, "group_side_effects", render_while_an_editor_saves)
    assert client.get(LASER)["X-Cache"] == "miss"
    monkeypatch.setattr(views, "group_side_effects", render)
    assert client.get(LASER)["X-Cache"] == "miss"  # nothing was kept
    assert client.get(LASER)["X-Cache"] == "hit"


def test_an_unchanged_page_answers_a_repeat_visit_with_304(seeded, page_cache, client):
    first = client.get(LASER)
    again = client.get(LASER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with reversion.create_revision():
        treatment = Treatment.objects.get(slug="laser-cellulite-reduction")
        treatment.summary = "Changed."
        treatment.save()
    assert client.get(LASER, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
