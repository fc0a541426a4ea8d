"""Case 9: over-long login names and NUL bytes in the admin's searches get a
clear error, never a 500, on SQLite and PostgreSQL alike."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User

from tests.factories import make_area
from tests.support.admin import sign_in

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="a-long-root-password-1")


@pytest.mark.parametrize("length", [151, 256, 300, 10_000])
def test_an_over_long_login_name_is_a_message(client, length):
    response = client.post(LOGIN, {"username": "x" * length, "password": "guess"})
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_the_longest_name_is_an_ordinary_failed_login(client):
    response = client.post(LOGIN, {"username": "x" * 150, "password": "guess"})
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    assert AccessAttempt.objects.get().username == "x" * 150


AUTOCOMPLETE = (
    "/admin/autocomplete/?app_label=treatments&model_name=treatedarea"
    "&field_name=body_area&term="
)


@pytest.mark.parametrize(
    "path",
    [
        AUTOCOMPLETE + "%00",
        AUTOCOMPLETE + "thi%00ghs",
        "/admin/treatments/treatment/?q=%00",
        "/admin/treatments/treatment/?slug=%00",
        "/admin/treatments/treatment/?%00=1",
        "/admin/auth/user/?q=a%00",
    ],
)
def test_a_nul_in_an_admin_search_is_a_400_that_says_so(client, superuser, path):
    sign_in(client, superuser)
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_the_autocomplete_still_works(client, superuser):
    make_area("Thighs")
    sign_in(client, superuser)
    response = client.get(AUTOCOMPLETE + "thi")
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Thighs"]
