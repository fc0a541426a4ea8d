"""Two-factor sign-in to the admin (core/signin.py): a password alone
reaches nothing, a code is good once, wrong codes count toward the lockout,
and a staff member without an app sets one up first."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Permission, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_treatment
from tests.support.admin import sign_in

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
CODE = "/admin/login/code/"
SETUP = "/admin/login/setup/"
PASSWORD = "the-right-password-2026"


@pytest.fixture
def staff(db):
    return User.objects.create_user("alex", password=PASSWORD, is_staff=True)


@pytest.fixture
def app(staff):
    return TOTPDevice.objects.create(user=staff, name="Phone")


def code_of(device, steps_ahead=0):
    """The code the person's app shows now (or `steps_ahead` steps on)."""
    return f"{totp(device.bin_key, step=device.step, drift=steps_ahead):06d}"


def password(client, password=PASSWORD, address="192.0.2.10", next_page="/admin/"):
    return client.post(
        f"/admin/login/?next={next_page}",
        {"username": "alex", "password": password, "next": next_page},
        REMOTE_ADDR=address,
    )


def code(client, value, address="192.0.2.10"):
    return client.post(CODE, {"code": value}, REMOTE_ADDR=address)


def signed_in(client):
    return client.get("/admin/").status_code == 200


class TestWithAnApp:
    def test_a_password_alone_reaches_nothing(self, client, app):
        response = password(client)
        assert response.status_code == 302
        assert response["Location"] == CODE
        assert SESSION_KEY not in client.session  # nobody is logged in
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        page = client.get(CODE).content.decode()
        assert "Signing in as <strong>alex</strong>" in page

    def test_a_valid_code_signs_in(self, client, app):
        password(client)
        response = code(client, code_of(app))
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert signed_in(client)

    def test_a_code_with_spaces_is_as_good(self, client, app):
        password(client)
        value = code_of(app)
        code(client, f" {value[:3]} {value[3:]} ")
        assert signed_in(client)

    def test_a_replayed_code_is_refused(self, client, app, settings):
        # No wait after a wrong code (django-otp's throttling), to try the
        # next code at once.
        settings.OTP_TOTP_THROTTLE_FACTOR = 0
        password(client)
        used = code_of(app)
        code(client, used)
        assert signed_in(client)

        again = Client()
        password(again)
        response = code(again, used)
        assert response.status_code == 200
        assert "That code is not right, or was already used" in (
            response.content.decode()
        )
        assert not signed_in(again)
        # The app's next code works.
        app.refresh_from_db()
        code(again, code_of(app, steps_ahead=1))
        assert signed_in(again)

    def test_a_wrong_code_is_refused(self, client, app):
        password(client)
        wrong = f"{(int(code_of(app)) + 1) % 1_000_000:06d}"
        response = code(client, wrong)
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        assert not signed_in(client)

    def test_the_code_step_needs_the_password_first(self, client, app):
        response = code(client, code_of(app))
        assert response.status_code == 302
        assert response["Location"] == "/admin/login/"
        assert not signed_in(client)

    def test_a_slow_sign_in_starts_again(self, client, app, settings, monkeypatch):
        password(client)
        later = time.time() + settings.TWO_FACTOR_SIGNIN_SECONDS + 1
        monkeypatch.setattr(time, "time", lambda: later)
        response = code(client, code_of(app))
        assert response["Location"] == "/admin/login/"
        assert not signed_in(client)

    def test_a_password_alone_never_adds_an_app(self, client, app):
        password(client)
        response = client.get(SETUP)
        assert response.status_code == 302
        assert response["Location"] == CODE
        assert TOTPDevice.objects.filter(user=app.user).count() == 1

    def test_it_goes_where_it_was_going_and_nowhere_else(self, client, app):
        password(client, next_page="/admin/treatments/")
        assert code(client, code_of(app))["Location"] == "/admin/treatments/"
        other = Client()
        password(other, next_page="https://elsewhere.example/")
        assert code(other, code_of(app, 1))["Location"] == "/admin/"

    def test_a_recovery_code_signs_in_once(self, client, staff, app):
        device = StaticDevice.objects.create(user=staff, name="Recovery codes")
        device.token_set.create(token="abcd2345")
        password(client)
        code(client, "ABCD-2345")
        assert signed_in(client)
        again = Client()
        password(again)
        assert code(again, "abcd2345").status_code == 200
        assert not signed_in(again)


class TestLockout:
    """Wrong passwords and wrong codes count alike (django-axes)."""

    def test_failed_codes_count_toward_the_lockout(self, client, app):
        limit = django_settings.AXES_FAILURE_LIMIT
        for _ in range(2):
            assert password(client, "wrong").status_code == 200
        password(client)
        for n in range(limit - 2):
            response = code(client, "000000" if code_of(app) != "000000" else "1")
            if n < limit - 3:
                assert response.status_code == 200
        assert response.status_code == 429
        assert "too many wrong passwords or sign-in codes" in (
            response.content.decode()
        )
        # Even the right password and code are refused now, from there.
        assert password(client).status_code == 429
        assert not signed_in(client)
        assert code(client, code_of(app))["Location"] == "/admin/login/"
        assert not signed_in(client)

    def test_a_code_is_never_written_into_the_records(self, client, app):
        password(client)
        code(client, "123123" if code_of(app) != "123123" else "321321")
        attempt = AccessAttempt.objects.get()
        assert "123123" not in attempt.post_data
        assert "321321" not in attempt.post_data

    def test_a_right_code_clears_the_failures(self, client, app):
        password(client)
        code(client, "000000" if code_of(app) != "000000" else "1")
        assert AccessAttempt.objects.exists()
        app.throttle_reset()
        code(client, code_of(app))
        assert signed_in(client)
        assert not AccessAttempt.objects.exists()


class TestWithoutAnApp:
    def test_staff_without_an_app_are_sent_to_set_one_up(self, client, staff):
        response = password(client)
        assert response["Location"] == SETUP
        assert SESSION_KEY not in client.session
        page = client.get(SETUP)
        html = page.content.decode()
        assert 'src="data:image/svg+xml' in html  # drawn here, no service
        device = TOTPDevice.objects.get(user=staff, confirmed=False)
        secret = re.search(r'<code class="signin-secret">([A-Z2-7 ]+)</code>', html)
        assert secret.group(1).replace(" ", "") in device.config_url
        assert not signed_in(client)

        response = client.post(SETUP, {"code": code_of(device)})
        assert response["Location"] == "/admin/two-factor/recovery-codes/"
        assert signed_in(client)
        device.refresh_from_db()
        assert device.confirmed

        codes_page = client.get("/admin/two-factor/recovery-codes/")
        codes = re.findall(
            r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode()
        )
        assert len(codes) == django_settings.TWO_FACTOR_RECOVERY_CODES
        assert set(codes) == set(
            StaticToken.objects.filter(device__user=staff).values_list(
                "token", flat=True
            )
        )
        # Shown once.
        assert client.get("/admin/two-factor/recovery-codes/").status_code == 302

    def test_a_wrong_first_code_sets_nothing_up(self, client, staff):
        password(client)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=staff)
        wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
        response = client.post(SETUP, {"code": wrong}, REMOTE_ADDR="192.0.2.10")
        assert response.status_code == 200
        assert not TOTPDevice.objects.filter(confirmed=True).exists()
        assert AccessAttempt.objects.get().failures_since_start == 1
        assert not signed_in(client)

    def test_each_sign_in_gets_a_fresh_secret(self, client, staff):
        password(client)
        client.get(SETUP)
        first = TOTPDevice.objects.get(user=staff).key
        client.get(SETUP)
        assert TOTPDevice.objects.get(user=staff).key == first  # a reload
        password(Client())
        assert not TOTPDevice.objects.filter(key=first).exists()


class TestSessions:
    def test_a_session_without_a_second_factor_is_nobodys(self, client, staff):
        make_treatment("Secret draft", status="draft")
        client.force_login(staff)  # a password-only session, say from before
        assert client.get("/admin/")["Location"].startswith("/admin/login/")
        assert client.get("/treatments/secret-draft/").status_code == 404
        assert client.get("/healthz").content == b"database: ok\ncache: ok\n"
        sign_in(client, staff)
        assert signed_in(client)
        assert client.get("/treatments/secret-draft/").status_code == 200


class TestReset:
    @pytest.fixture
    def boss(self, db):
        return sign_in(Client(), User.objects.create_superuser("boss"))

    def reset(self, client, user):
        return client.post(
            "/admin/auth/user/",
            {"action": "reset_two_factor", "_selected_action": [user.pk]},
            follow=True,
        )

    def test_a_superuser_resets_a_persons_devices(self, boss, staff, client):
        sign_in(client, staff)
        StaticDevice.objects.create(user=staff).token_set.create(token="abcd2345")
        response = self.reset(boss, staff)
        assert "Two-factor sign-in reset for 1 user: alex." in (
            response.content.decode()
        )
        assert not TOTPDevice.objects.filter(user=staff).exists()
        assert not StaticDevice.objects.filter(user=staff).exists()
        # Their session stops counting, and their password leads to set-up.
        assert not signed_in(client)
        assert password(Client())["Location"] == SETUP

    def test_the_list_shows_who_has_an_app(self, boss, staff):
        TOTPDevice.objects.create(user=staff)
        page = boss.get("/admin/auth/user/")
        rows = {user.username: user.has_app for user in page.context["cl"].result_list}
        assert rows == {"alex": True, "boss": True}

    def test_nobody_else_may(self, staff, client):
        # Even a staff member allowed to change users.
        manager = User.objects.create_user("manager", is_staff=True)
        manager.user_permissions.add(
            *Permission.objects.filter(content_type__model="user")
        )
        sign_in(client, manager)
        app = TOTPDevice.objects.create(user=staff)
        page = client.get("/admin/auth/user/")
        actions = dict(page.context["action_form"].fields["action"].choices)
        assert "reset_two_factor" not in actions
        self.reset(client, staff)
        assert TOTPDevice.objects.filter(pk=app.pk).exists()

    @pytest.mark.parametrize(
        "url", ["/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/"]
    )
    def test_devices_are_for_superusers_only(self, client, url, boss):
        staff = User.objects.create_user("staff", is_staff=True)
        staff.user_permissions.add(
            *Permission.objects.filter(content_type__app_label__startswith="otp_")
        )
        sign_in(client, staff)
        assert client.get(url).status_code == 403
        assert boss.get(url).status_code == 200


class TestOwnDevices:
    def test_new_recovery_codes_replace_the_old(self, editor_client, editor):
        StaticDevice.objects.create(user=editor).token_set.create(token="abcd2345")
        page = editor_client.get("/admin/two-factor/")
        assert "Recovery codes left: 1." in page.content.decode()
        response = editor_client.post("/admin/two-factor/", follow=True)
        html = response.content.decode()
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
        assert len(codes) == django_settings.TWO_FACTOR_RECOVERY_CODES
        assert not StaticToken.objects.filter(token="abcd2345").exists()

    def test_every_admin_page_links_to_it(self, editor_client):
        assert (
            'href="/admin/two-factor/"' in editor_client.get("/admin/").content.decode()
        )
