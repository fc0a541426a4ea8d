"""Editors signed in with both factors, and the admin's forms as they post
them."""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group, User
from django.forms import ModelMultipleChoiceField
from django.template.response import SimpleTemplateResponse
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def sign_in(client, user):
    """`client` signed in as `user` as after both steps of the admin's
    sign-in (core/signin.py): logged in, verified by an authenticator app
    (made for them if they have none). force_login alone is a session
    without a second factor, which counts as nobody's."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def account(username, *groups):
    """The staff account `username`, in `groups`: made the first time it is
    asked for in a test (or in content made once for several tests, which
    then share it), found after that."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username, password=f"a-long-{username}-password", is_staff=True
        )
        found = Group.objects.filter(name__in=groups)
        assert len(found) == len(groups), f"groups missing: {groups}"
        user.groups.add(*found)
    return user


def make_editor():
    """A staff user in the "Content editors" group the migration creates."""
    return account("editor", "Content editors")


def make_publisher():
    """A staff user in both groups: an editor who may also publish."""
    return account("publisher", "Content editors", "Publishers")


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    return sign_in(client, editor)


@pytest.fixture
def publisher(db):
    return make_publisher()


@pytest.fixture
def publisher_client(publisher):
    """A client of its own, so a test may also use editor_client."""
    return sign_in(Client(), publisher)


@pytest.fixture
def publisher_only(db):
    """A staff user in "Publishers" alone: reviews and publishes, and
    writes nothing."""
    return account("reviewer", "Publishers")


@pytest.fixture
def publisher_only_client(publisher_only):
    return sign_in(Client(), publisher_only)


@contextmanager
def unrendered():
    """Template responses left unrendered (empty) while it lasts: their
    context is all a caller reads, and rendering an admin change form takes
    most of the time of a test that only wants its values."""
    render = SimpleTemplateResponse.render

    def render_nothing(self):
        if not self._is_rendered:
            self.content = b""  # marks it rendered, as render() would
        return self

    SimpleTemplateResponse.render = render_nothing
    try:
        yield
    finally:
        SimpleTemplateResponse.render = render


def change_form_data(client, url):
    """The admin change form's current values, as the browser would post
    them (read from the form and formsets the page is given, unrendered)."""
    with unrendered():
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = {}
    form = response.context_data["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "all"):
            value = [obj.pk for obj in value.all()]
        if value is None and isinstance(field, ModelMultipleChoiceField):
            value = []  # nothing ticked: the browser sends nothing
        data[name] = "" if value is None else value
    if "conditions" in form.fields and form.instance.pk:
        data["conditions"] = [c.pk for c in form.instance.conditions.all()]
    for inline in response.context_data["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                data[f"{sub.prefix}-{name}"] = "" if value is None else value
    return {key: value for key, value in data.items() if value is not False}
