"""The admin index's list of what needs an editor or a publisher."""

import datetime

from django import template
from django.urls import reverse

from editorial.changes import publishable_models
from editorial.publishing import Status

register = template.Library()

# Enough to act on; the filtered list has the rest.
SHOWN = 10


@register.simple_tag(takes_context=True)
def editorial_queue(context):
    """For each kind of publishable record the user may see: what is overdue
    for review and what waits for a publisher. Two queries a kind."""
    user = context["request"].user
    today = datetime.date.today()
    queues = []
    for model in publishable_models():
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        overdue = list(
            model.objects.review_overdue(today).order_by("next_review_due")[: SHOWN + 1]
        )
        in_review = list(
            model.objects.filter(status=Status.REVIEW).order_by("-pk")[: SHOWN + 1]
        )
        queues.append(
            {
                "name": opts.verbose_name_plural,
                "change_url": f"admin:{opts.app_label}_{opts.model_name}_change",
                "overdue": overdue[:SHOWN],
                "more_overdue": len(overdue) > SHOWN,
                "overdue_url": f"{changelist}?review=overdue",
                "in_review": in_review[:SHOWN],
                "more_in_review": len(in_review) > SHOWN,
                "in_review_url": f"{changelist}?status__exact={Status.REVIEW}",
            }
        )
    return queues
