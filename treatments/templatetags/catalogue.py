"""Presentation helpers for the catalogue's facts."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from treatments.formatting import format_days
from treatments.models import NOT_STATED, NOT_STATED_CHOICE

register = template.Library()


@register.simple_tag
def not_stated():
    return format_html('<span class="not-stated">{}</span>', NOT_STATED)


@register.simple_tag
def not_named():
    """For a source's own details: "not named in the source"."""
    return format_html('<span class="not-stated">{}</span>', "Not given in the source")


@register.simple_tag
def choice(record, field):
    """A choice's label, or "Not stated in its source" set as every other
    silence is, where the source does not say."""
    if getattr(record, field) == NOT_STATED_CHOICE:
        return not_stated()
    return getattr(record, f"get_{field}_display")()


@register.filter(needs_autoescape=True)
def stated(value, autoescape=True):
    """The value, escaped, with its line breaks kept; or "Not stated in the
    source" where it is blank."""
    if value is None or str(value).strip() == "":
        return not_stated()
    text = conditional_escape(value) if autoescape else value
    return mark_safe(linebreaksbr(text, autoescape=False))


@register.filter
def days(milestone):
    """A milestone's days in words: "days 14–21 (2–3 weeks)"."""
    return format_days(milestone.days_min, milestone.days_max)


@register.inclusion_tag("includes/citation.html")
def cite(records):
    """ "Source: …, paragraph 5" for a record with a source, or for each
    distinct citation of several records."""
    if hasattr(records, "source"):
        records = [records]
    citations = dict.fromkeys(
        (record.source, record.source_location) for record in records
    )
    return {"citations": list(citations)}
