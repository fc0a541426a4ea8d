"""Shared fixtures and small factories for the whole suite."""

import datetime
import io
import itertools
import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from treatments.models import (
    BodyArea,
    Effect,
    Milestone,
    SessionPlan,
    SideEffect,
    Source,
    TreatedArea,
    Treatment,
)

_numbers = itertools.count(1)

# Hypothesis: a quick run by default, a thorough one in CI (.ci/run sets
# HYPOTHESIS_PROFILE=ci; `--hypothesis-profile=ci` does the same). No
# deadline: an example is a page render, whose time depends on the machine
# and the database, not on the input.
hypothesis_settings.register_profile("dev", max_examples=30, deadline=None)
hypothesis_settings.register_profile(
    "ci", max_examples=200, deadline=None, print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def make_source(**fields):
    number = next(_numbers)
    fields.setdefault("slug", f"source-{number}")
    fields.setdefault("title", f"Source {number}")
    return Source.objects.create(**fields)


def make_area(name, parent=None):
    return BodyArea.objects.create(name=name, slug=name.lower(), parent=parent)


def make_treatment(name=None, *, areas=(), source=None, plan=None, **fields):
    """A treatment with its session plan and body areas.

    `plan` is a dict of SessionPlan fields; by default, "not stated".
    """
    number = next(_numbers)
    name = name or f"Treatment {number}"
    source = source or make_source()
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    fields.setdefault("summary", f"What {name} is.")
    fields.setdefault("invasiveness", Treatment.Invasiveness.NON_INVASIVE)
    fields.setdefault("is_published", True)
    fields.setdefault("last_reviewed", datetime.date(2026, 11, 21))
    fields.setdefault("source_location", "paragraph 1")
    treatment = Treatment.objects.create(name=name, source=source, **fields)
    SessionPlan.objects.create(
        treatment=treatment,
        source=source,
        source_location="paragraph 2",
        **(plan or {"kind": SessionPlan.Kind.NOT_STATED}),
    )
    for area in areas:
        TreatedArea.objects.create(
            treatment=treatment, body_area=area, source=source, source_location="p. 3"
        )
    return treatment


def add_facts(treatment, *, side_effects=3, milestones=3):
    """Give a treatment side effects and milestones, as a full page has."""
    for index in range(side_effects):
        effect, _ = Effect.objects.get_or_create(
            slug=f"effect-{index}", defaults={"name": f"Effect {index}"}
        )
        SideEffect.objects.create(
            treatment=treatment,
            effect=effect,
            frequency=SideEffect.Frequency.COMMON,
            source=treatment.source,
            source_location="paragraph 4",
        )
    for order in range(1, milestones + 1):
        Milestone.objects.create(
            treatment=treatment,
            order=order,
            kind=Milestone.Kind.DAILY_ACTIVITIES,
            days_min=order,
            days_max=order + 1,
            wording=f"after {order} days",
            source=treatment.source,
            source_location="paragraph 5",
        )
    return treatment


def pytest_configure(config):
    # The fingerprinting storage needs collectstatic first; tests render
    # pages without it. The browser tests and `make serve` use the real one.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


def dump_content(apps=("treatments", "comparisons")):
    """The content as README.md's backup command writes it: natural-key
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


@pytest.fixture(autouse=True)
def empty_caches():
    # Each test rolls the database back; its cached pages must go too.
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow by design; tests only need a working one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db):
    """The site's real content, loaded the way `make run` loads it."""
    call_command("seed", "--strict", verbosity=0)


@pytest.fixture
def editor(db):
    """A staff user in the "Content editors" group the migration creates."""
    user = User.objects.create_user(
        "editor", password="a-long-editor-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Content editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
