"""Presentation helpers for the catalogue's facts."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from treatments.formatting import days_after, sessions_phrase
from treatments.models import NOT_STATED, NOT_STATED_CHOICE

register = template.Library()


@register.simple_tag
def not_stated():
    return format_html('<span class="not-stated">{}</span>', NOT_STATED)


@register.simple_tag
def choice(record, field):
    """A choice's label, or the silence set as every other silence is,
    where the source does not say."""
    if getattr(record, field) == NOT_STATED_CHOICE:
        return not_stated()
    return getattr(record, f"get_{field}_display")()


@register.filter(needs_autoescape=True)
def stated(value, autoescape=True):
    """The value, escaped, with its line breaks kept; or the silence where
    it is blank."""
    if value is None or str(value).strip() == "":
        return not_stated()
    text = conditional_escape(value) if autoescape else value
    return mark_safe(linebreaksbr(text, autoescape=False))


@register.filter
def sessions(plan):
    """How many sessions and how often, in the phrase every page uses."""
    return sessions_phrase(plan) if plan else ""


@register.filter
def reading(milestone, treatment):
    """Where we put a milestone on a timeline: "days 2–3 after the
    procedure"."""
    plan = getattr(treatment, "session_plan", None)
    return days_after(
        milestone.days_min,
        milestone.days_max,
        course=plan is not None and plan.is_course,
    )


def citations(*groups):
    """(source, its places) for each source that the records cite, once,
    with every place in it that they cite ("Paragraphs 2; 5"). Takes records
    with a source, or lists of them."""
    records = []
    for group in groups:
        records += [group] if hasattr(group, "source") else list(group)
    places = {}
    for record in records:
        found = places.setdefault(record.source, [])
        if record.source_location and record.source_location not in found:
            found.append(record.source_location)
    return [(source, "; ".join(locations)) for source, locations in places.items()]


# Where a page keeps the "Source: …" lines it has rendered (below).
RENDERED_CITATIONS = "treatments.citations"


def citation(context, *groups):
    """The "Source: …" line (includes/citation.html) for records, rendered
    once per page for each distinct line: a comparison cites the same place
    in the same source in many cells, and a template per cell was most of
    its time (bench/RESULTS.md)."""
    found = citations(*groups)
    if not found:
        return ""
    # What the line shows of each source: the same line, whichever record
    # of it was loaded.
    key = tuple(
        (source.pk, source.slug, source.title, source.text_changed, places)
        for source, places in found
    )
    # The render context's first level lasts for the whole page (Django's
    # {% include %} keeps its templates there too).
    rendered = context.render_context.dicts[0].setdefault(RENDERED_CITATIONS, {})
    if key not in rendered:
        rendered[key] = get_template("includes/citation.html").render(
            {"citations": found}
        )
    return rendered[key]


@register.simple_tag(takes_context=True)
def cite(context, *groups):
    """One "Source: …" line for everything a section shows: each source
    once, with every place in it that the records cite. Takes records with
    a source, or lists of them."""
    return citation(context, *groups)


@register.simple_tag
def source_details(source):
    """What a source gives of itself, in a line: "By T. Flanagan, WiseGeek,
    updated 17 May 2024", then its address; "" if it gives none of them."""
    parts = []
    if source.author:
        parts.append(format_html("By {}", source.author))
    if source.publisher:
        parts.append(conditional_escape(source.publisher))
    if source.date_updated:
        parts.append(
            format_html(
                'updated <time datetime="{}">{}</time>',
                source.date_updated.isoformat(),
                date_format(source.date_updated, "j F Y"),
            )
        )
    line = mark_safe(", ".join(parts) + "." if parts else "")
    if source.url:
        link = format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a>', source.url, source.url
        )
        line = format_html("{} {}", line, link) if parts else link
    return line
