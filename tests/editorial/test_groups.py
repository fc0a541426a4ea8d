"""The editors' groups are what each app declares (editorial/groups.py),
after any migrate or flush (ensure_groups on post_migrate)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal

pytestmark = pytest.mark.django_db


def codenames(name):
    group = Group.objects.get(name=name)
    return set(group.permissions.values_list("codename", flat=True))


def test_groups_come_back_with_their_permissions_after_a_flush():
    Group.objects.all().delete()
    # What `migrate` and `flush` send once they are done.
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    editors = codenames("Content editors")
    assert {"change_treatment", "add_sideeffect", "change_comparison"} <= editors
    assert not {"publish_treatment", "publish_comparison"} & editors
    assert not any(codename.endswith("_user") for codename in editors)
    publishers = codenames("Publishers")
    assert {"publish_treatment", "publish_comparison"} <= publishers
    assert "change_treatment" not in publishers


def test_a_permission_taken_away_by_hand_is_given_back():
    editors = Group.objects.get(name="Content editors")
    editors.permissions.remove(*editors.permissions.filter(codename="add_treatment"))
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "add_treatment" in codenames("Content editors")
