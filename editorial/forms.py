"""The review page's forms (editorial/admin.py): what a publisher decides
about a version, and when."""

from django import forms
from django.utils import timezone

REVIEWED_HELP = (
    "Untick for a correction that did not check the page against its "
    "sources: its “last reviewed” date then stays as it is."
)


class FutureTimeField(forms.DateTimeField):
    """A date and time to come, in the site's time zone (UK time)."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
    )

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(
                "Choose a time to come: this one has passed.", code="past"
            )


class DecisionForm(forms.Form):
    """About one version: the one the publisher saw (`seen`, when it was
    last saved), so that a version its editor saved again meanwhile is
    not published unseen."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class PublishForm(DecisionForm):
    reviewed = forms.BooleanField(
        label="I checked the whole page against its sources: mark it reviewed today",
        required=False,
        initial=True,
        help_text=REVIEWED_HELP,
    )


class ScheduleForm(DecisionForm):
    publish_at = FutureTimeField(
        label="Publish at",
        help_text="UK time. It is published within a minute of then.",
    )
    reviewed = forms.BooleanField(
        label="I checked the whole page against its sources: mark it reviewed "
        "on the day I schedule it",
        required=False,
        initial=True,
        help_text=REVIEWED_HELP,
    )


class SendBackForm(DecisionForm):
    note = forms.CharField(
        label="Note for the editor",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="What needs doing before it can be published.",
    )


class UnpublishAtForm(forms.Form):
    unpublish_at = FutureTimeField(
        label="Unpublish at",
        help_text="UK time. The page goes back to draft then.",
    )
