"""The admin, walked as an editor, a logged-in non-staff user, and a stranger."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from tests.factories import add_facts
from tests.support.admin import change_form_data, sign_in
from treatments.models import Milestone, SessionPlan, Treatment

pytestmark = pytest.mark.django_db

CATALOGUE_MODELS = [
    model for model in admin.site._registry if model._meta.app_label == "treatments"
]


def admin_urls(model):
    """Every admin page of a model, for its first record."""
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    # The last record: for treatments, the baseline, which no comparison
    # uses, so that its delete page opens (see test_delete_is_refused_...).
    record = model.objects.order_by("pk").last()
    assert record is not None, f"no {opts.model_name} to open"
    return [
        reverse(f"{name}_changelist"),
        reverse(f"{name}_add"),
        reverse(f"{name}_change", args=[record.pk]),
        reverse(f"{name}_history", args=[record.pk]),
        reverse(f"{name}_delete", args=[record.pk]),
    ]


def test_the_catalogue_in_the_admin_is_what_editors_work_with():
    """Facts are edited on their treatment's page, not listed on their own."""
    names = {model.__name__ for model in CATALOGUE_MODELS}
    assert names == {"Source", "BodyArea", "Condition", "Effect", "Treatment"}


def test_the_menu_shows_editors_their_content_and_nothing_else(editor_client):
    response = editor_client.get("/admin/")
    listed = {
        model["object_name"]
        for app in response.context["app_list"]
        for model in app["models"]
    }
    assert listed == {
        "Treatment",
        "Comparison",
        "BodyArea",
        "Effect",
        "Condition",
        "Source",
        "ChangeNote",
    }


@pytest.mark.parametrize(
    "url", ["/admin/axes/accessattempt/", "/admin/axes/accesslog/"]
)
def test_the_lockout_tables_are_for_superusers_only(client, url):
    staff = User.objects.create_user("staff", is_staff=True)
    # Even given the permissions, a staff member who is not a superuser
    # does not see who tried to log in from where.
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="axes")
    )
    sign_in(client, staff)
    assert client.get(url).status_code == 403
    assert "axes" not in {
        app["app_label"] for app in client.get("/admin/").context["app_list"]
    }
    boss = User.objects.create_superuser("boss")
    sign_in(client, boss)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("model", CATALOGUE_MODELS, ids=lambda m: m.__name__)
def test_an_editor_can_open_every_page(seeded, editor_client, model):
    for url in admin_urls(model):
        response = editor_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", CATALOGUE_MODELS, ids=lambda m: m.__name__)
def test_a_user_who_is_not_staff_cannot(seeded, client, model):
    user = User.objects.create_user("visitor", password="a-long-visitor-password")
    user.groups.add(Group.objects.get(name="Content editors"))  # even so
    client.force_login(user)
    for url in admin_urls(model):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_a_stranger_is_sent_to_log_in(seeded, client):
    for model in CATALOGUE_MODELS:
        for url in admin_urls(model):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_an_editor_cannot_manage_users_or_groups(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_the_editors_group_holds_only_content_permissions():
    group = Group.objects.get(name="Content editors")
    app_labels = set(
        group.permissions.values_list("content_type__app_label", flat=True)
    )
    assert app_labels == {"treatments", "comparisons", "editorial"}
    assert set(
        group.permissions.filter(content_type__app_label="editorial").values_list(
            "codename", flat=True
        )
    ) == {f"{action}_changenote" for action in ("add", "change", "delete", "view")}
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "add_treatment",
        "change_treatment",
        "delete_treatment",
        "view_treatment",
        "change_milestone",
        "change_bodyarea",
    } <= codenames


def test_reversed_range_is_refused_on_the_right_field(seeded, editor_client):
    treatment = Treatment.objects.get(slug="laser-cellulite-reduction")
    url = reverse("admin:treatments_treatment_change", args=[treatment.pk])
    data = change_form_data(editor_client, url)
    total = int(data["milestones-TOTAL_FORMS"])
    data.update(
        {
            "milestones-TOTAL_FORMS": str(total + 1),
            f"milestones-{total}-order": "9",
            f"milestones-{total}-kind": "exercise",
            f"milestones-{total}-days_min": "21",
            f"milestones-{total}-days_max": "14",
            f"milestones-{total}-wording": "after three weeks",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    (milestones,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "milestones"
    ]
    assert milestones.errors[total] == {
        "days_max": ["This must not be less than the earliest day (21)."]
    }
    assert not Milestone.objects.filter(order=9).exists()


def test_session_plan_inline_is_checked_too(seeded, editor_client):
    """The treatment page's inline refuses a typical figure above the most."""
    treatment = Treatment.objects.get(slug="mesotherapy")
    url = reverse("admin:treatments_treatment_change", args=[treatment.pk])
    data = change_form_data(editor_client, url)
    data["session_plan-0-sessions_max"] = "8"  # typical is 10
    response = editor_client.post(url, data)
    assert response.status_code == 200
    formset_errors = [
        formset.formset.errors for formset in response.context["inline_admin_formsets"]
    ]
    assert {
        "sessions_max": [
            "This must not be less than the typical number of sessions (10)."
        ]
    } in formset_errors[0]
    assert SessionPlan.objects.get(treatment=treatment).sessions_max is None


def test_editor_saves_a_treatment_with_its_inlines(seeded, editor_client):
    treatment = Treatment.objects.get(slug="mesotherapy")
    url = reverse("admin:treatments_treatment_change", args=[treatment.pk])
    data = change_form_data(editor_client, url)
    data["summary"] = "A new one-line summary."
    response = editor_client.post(url, data)
    assert response.status_code == 302
    treatment.refresh_from_db()
    assert treatment.summary == "A new one-line summary."
    assert treatment.side_effects.count() == 6  # the inlines came through whole


def test_the_change_form_lists_sources_once_however_many_facts(seeded, editor_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    treatment = Treatment.objects.get(slug="mesotherapy")
    url = reverse("admin:treatments_treatment_change", args=[treatment.pk])

    def source_queries():
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        return sum('FROM "treatments_source"' in q["sql"] for q in queries)

    before = source_queries()
    add_facts(treatment, side_effects=5, milestones=0)
    for order in range(10, 15):
        treatment.milestones.create(
            order=order,
            kind="progress",
            days_min=order,
            days_max=order,
            wording="w",
            source=treatment.source,
            source_location="p",
        )
    # The treatment's own source field, and one list for every inline form.
    assert source_queries() == before == 2
