"""The site's real content, seeded once per test module."""

import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """The fixtures, seeded once for the module in a transaction that is
    rolled back after its last test. Each test runs in a savepoint inside
    it (pytest-django's `db`), so what a test changes is undone after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        # What the seed leaves for its commit (the body areas' counts, see
        # treatments/areas.py) runs here: this transaction never commits.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed", "--strict", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_module, db):
    """The site's real content, loaded the way `make run` loads it."""


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(): a block whose on-commit work runs at its end, as if it
    had committed (the test's own transaction never does): the recount of
    the stored counts of the catalogue and its body areas
    (treatments/areas.py), which pages read instead of counting."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def content_types_known(db):
    """Django keeps content types for the life of the process: the first
    request in a process to show change notes reads them once, later ones
    never. Exact query counts are per request, so read them first."""
    ContentType.objects.get_for_models(*apps.get_models())


def dump_content(apps=("treatments", "comparisons")):
    """The content as docs/operations.md's backup command writes it: natural-key
    JSON of the content apps."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        *apps,
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        stdout=out,
    )
    return out.getvalue()


def published_pages():
    """The address of every published page with "About this information":
    each published treatment's, each published curated comparison's, and
    the same treatments compared by a reader's own choice and printed."""
    from comparisons.models import Comparison
    from treatments.models import Treatment

    pages = [t.get_absolute_url() for t in Treatment.objects.published()]
    for comparison in Comparison.objects.published().for_page():
        chosen = "&".join(
            f"treatments={item.treatment.slug}" for item in comparison.items.all()
        )
        pages += [
            comparison.get_absolute_url(),
            f"/compare/?{chosen}",
            f"/compare/summary/?{chosen}",
        ]
    return pages


def published_reports(client):
    """{address: (its "About this information", the record its review dates
    are read from)} of every published page (published_pages())."""
    found = {}
    for path in published_pages():
        context = client.get(path).context
        found[path] = (
            context["quality"],
            context.get("treatment") or context["reviewed"],
        )
    return found
