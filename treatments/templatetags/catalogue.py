"""Presentation helpers for the catalogue's facts."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html, format_html_join
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


# Where a page keeps the "Source: …" lines it has written (below).
WRITTEN_CITATIONS = "treatments.citations"


def citation(context, *groups):
    """The "Source: …" line for records: each source linked to its entry
    under the page's sources, with the places cited in it; then, for each
    source whose text changed since its facts were checked, a warning.

    A comparison's cells cite the same places in the same sources over and
    over (some 120 cells, about 20 distinct lines): each distinct line is
    written once per page, and here rather than by a template, which for
    each cell took a large part of the time a comparison took to render
    (bench/RESULTS.md)."""
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
    written = context.render_context.dicts[0].setdefault(WRITTEN_CITATIONS, {})
    if key not in written:
        written[key] = citation_line(found)
    return written[key]


def citation_line(found):
    sources = ". ".join(
        format_html('<a href="#source-{}">{}</a>', source.slug, source.title)
        + (format_html(", {}", places) if places else "")
        for source, places in found
    )
    changed = [source for source, _places in found if source.text_changed]
    return format_html(
        '<p class="cite">{}: {}</p>{}',
        "Sources" if len(found) > 1 else "Source",
        mark_safe(sources),
        format_html_join(
            "",
            '<p class="cite cite--changed"><span class="cite__mark" '
            'aria-hidden="true">!</span> {} been updated since the last review '
            "of these facts: we have not yet checked them against its new "
            "text.</p>",
            (
                (
                    format_html("“{}” has", source.title)
                    if len(found) > 1
                    else "The source has",
                )
                for source in changed
            ),
        ),
    )


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


# A treatment's card, in the catalogue and on the home page. Written here
# rather than in a template, as the comparison's rows are
# (comparisons/templatetags/comparing.py): a page of the catalogue has a dozen,
# and the template, its tags and filters were a fifth of the page's time
# (bench/RESULTS.md). Every value is escaped as a template escapes it.
@register.simple_tag(takes_context=True)
def card(context, treatment, heading_level=2, pick=False):
    """`heading_level`: of its name (2 in the catalogue, 3 on the home page
    under "Treatments"); `pick`: with a box to tick to compare it."""
    slug, name = conditional_escape(treatment.slug), conditional_escape(treatment.name)
    heading = f"h{int(heading_level)}"
    areas = [area.name for area in treatment.body_areas.all()]
    found = getattr(treatment, "found_through", None)
    plan = getattr(treatment, "session_plan", None)
    parts = [
        f'\n<article class="card" aria-labelledby="treatment-{slug}">\n',
        f'  <{heading} class="card__title" id="treatment-{slug}"><a href="'
        f'{conditional_escape(treatment.get_absolute_url())}">{name}</a></{heading}>\n',
        f'  <p class="card__summary">{conditional_escape(treatment.summary)}</p>\n',
        "  "
        + (
            format_html(
                '<p class="card__match">Found under {} (its source says: {})</p>',
                context.get("chosen_areas_words", ""),
                found.source_says,
            )
            if found
            else ""
        )
        + "\n",
        "  "
        + (
            f'<label class="compare-pick" for="pick-{slug}"><input type="checkbox" '
            f'id="pick-{slug}" name="treatments" value="{slug}"> Compare<span '
            f'class="visually-hidden"> {name}</span></label>'
            if pick
            else ""
        )
        + "\n",
        '  <dl class="facts">\n',
        "    <div><dt>Body areas</dt><dd>"
        + (conditional_escape(", ".join(areas)) if areas else not_stated())
        + "</dd></div>\n",
        "    <div><dt>How invasive</dt><dd>"
        f"{conditional_escape(treatment.get_invasiveness_display())}</dd></div>\n",
        f"    <div><dt>Anaesthesia</dt><dd>"
        f"{conditional_escape(choice(treatment, 'anaesthesia'))}</dd></div>\n",
        f"    <div><dt>Sessions</dt><dd>{stated(sessions(plan))}</dd></div>\n",
        "    <div><dt>Back to daily activities</dt><dd>"
        f"{stated(getattr(treatment, 'daily_wording', None))}</dd></div>\n",
        "  </dl>\n",
        "</article>\n",
    ]
    return mark_safe("".join(parts))
