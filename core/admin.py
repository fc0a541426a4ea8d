from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from reversion_compare.admin import CompareVersionAdmin


class ContentAdmin(CompareVersionAdmin):
    """Every change is kept, with who made it and when: each page has a
    history, any two versions can be compared, and an earlier one restored
    (a treatment with its side effects, milestones, areas and session plan,
    which it follows; see the models' reversion.register)."""

    history_latest_first = True


class LoginForm(AdminAuthenticationForm):
    """The admin's login form, with the length of the name checked.

    Django's form sets the username's max_length after building the field,
    so it only reaches the HTML: a 300-character name went on to the
    lockout's record of failed logins (255 characters) and was a 500 on
    PostgreSQL. Now it is a message on the form, and no login attempt."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
