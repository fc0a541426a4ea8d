"""Presentation helpers for the catalogue's facts."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from treatments.models import NOT_STATED

register = template.Library()


@register.simple_tag
def not_stated():
    return format_html('<span class="not-stated">{}</span>', NOT_STATED)


@register.filter(needs_autoescape=True)
def stated(value, autoescape=True):
    """The value, escaped, with its line breaks kept; or "Not stated in the
    source" where it is blank."""
    if value is None or str(value).strip() == "":
        return not_stated()
    text = conditional_escape(value) if autoescape else value
    return mark_safe(linebreaksbr(text, autoescape=False))


def _unit(count, one, many):
    return f"{count} {one if count == 1 else many}"


@register.filter
def days(milestone_or_pair):
    """A day range in words: "day 365 (12 months)", "days 14–21 (2–3 weeks)".

    Takes anything with days_min and days_max.
    """
    low, high = milestone_or_pair.days_min, milestone_or_pair.days_max
    text = f"day {low}" if low == high else f"days {low}–{high}"
    if high >= 60:
        low_m, high_m = round(low / 30.4), round(high / 30.4)
        span = (
            _unit(high_m, "month", "months")
            if low_m == high_m
            else f"{low_m}–{high_m} months"
        )
        if low == 0 and low != high:
            span = f"up to {_unit(high_m, 'month', 'months')}"
        text += f" ({span})"
    elif high >= 14 and low % 7 == 0 and high % 7 == 0:
        low_w, high_w = low // 7, high // 7
        span = (
            _unit(high_w, "week", "weeks")
            if low_w == high_w
            else f"{low_w}–{high_w} weeks"
        )
        text += f" ({span})"
    return text


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
