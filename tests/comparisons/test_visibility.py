"""One rule for who sees a curated comparison, in every place that shows it:
its page, the lists, the feed of changes and its old address all ask
Comparison.objects.visible_to() or Comparison.is_visible_to(), which agree."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType

from comparisons.models import Comparison
from editorial.changes import ChangeNote
from tests.factories import make_treatment

pytestmark = pytest.mark.django_db

# (the comparison's status, its treatments' statuses, public?)
STATES = [
    ("published", ["published", "published"], True),
    ("published", ["published", "published", "draft"], True),
    ("published", ["published", "draft"], False),
    ("published", ["review", "draft"], False),
    ("draft", ["published", "published"], False),
    ("review", ["published", "published"], False),
]


def comparison_in(status, statuses):
    comparison = Comparison.objects.create(
        title="Which one?",
        slug="which-one",
        introduction="Which?",
        status=status,
        last_reviewed=datetime.date(2026, 11, 21),
    )
    for position, treatment_status in enumerate(statuses, start=1):
        comparison.items.create(
            treatment=make_treatment(status=treatment_status), position=position
        )
    return comparison


@pytest.mark.parametrize(("status", "statuses", "public"), STATES)
def test_the_record_and_the_queryset_agree(status, statuses, public):
    comparison = comparison_in(status, statuses)
    staff = User(is_staff=True)
    for user, expected in [(AnonymousUser(), public), (staff, True)]:
        listed = Comparison.objects.visible_to(user).filter(pk=comparison.pk)
        assert listed.exists() is expected
        assert comparison.is_visible_to(user) is expected


@pytest.mark.parametrize(("status", "statuses", "public"), STATES)
def test_every_place_agrees(client, status, statuses, public):
    comparison = comparison_in(status, statuses)
    ChangeNote.objects.create(
        content_type=ContentType.objects.get_for_model(Comparison),
        object_id=comparison.pk,
        text="Added the costs.",
    )
    comparison.slug = "which-is-it"
    comparison.save()

    page = client.get("/compare/which-is-it/")
    assert page.status_code == (200 if public else 404)
    old_address = client.get("/compare/which-one/")
    assert old_address.status_code == (301 if public else 404)
    listed = client.get("/compare/ready-made/").content.decode()
    assert ("/compare/which-is-it/" in listed) is public
    feed = client.get("/changes/feed/").content.decode()
    assert ("Added the costs." in feed) is public
