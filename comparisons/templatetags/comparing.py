"""Template tags and filters for the comparison's table."""

import html

from django import template
from django.utils.safestring import mark_safe

from treatments.templatetags.catalogue import citation

register = template.Library()


@register.filter
def shown(row_or_group, show):
    """Whether a row (or any row of a group) is shown when the table shows
    `show` (comparisons.table.Show)."""
    return row_or_group.shown(show)


def escape(value):
    """Django's conditional_escape, as a template escapes its variables (the
    same HTML), without its check for lazy strings on each call: a table
    escapes over a thousand values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


# The table's rows: each question heads its row (naming its group for
# screen readers, as the band above the rows shows it) with a badge that
# says how the answers compare; then a cell per treatment, tied to its
# question and its treatment by their headers' ids (WCAG technique H43).
#
# They are written here rather than in a template, as Django's admin writes
# the rows of its change lists (admin_list.items_for_result): a comparison
# of four treatments has some 30 rows and 120 cells, each a dozen values and
# conditions, and a template (and an {% include %}) for each was most of the
# time it took to render the page (bench/RESULTS.md). Every value goes
# through `escape`, as a template's variables do.
MARKS = {"yes": "✓", "no": "✗"}


@register.simple_tag(takes_context=True)
def rows(context, group, table, brief=False):
    """The group's rows. `brief`: the printed summary's, each cell the
    short answer alone."""
    return mark_safe(
        "".join(
            format_row(context, group, row, table, brief=brief) for row in group.rows
        )
    )


def format_row(context, group, row, table, *, brief):
    verdict = row.verdict
    hidden = "" if row.shown(table.show) else " hidden"
    kind = f" compare__row--{escape(verdict.agreement)}" if verdict else ""
    band = (
        f'<span class="visually-hidden">{escape(group.title)}: </span>'
        if group.headed
        else ""
    )
    answer = questions_cell if row.kind == "questions" else answer_cell
    cells = "".join(
        f'<td class="col col--{escape(column.role)}" headers="compare-q-'
        f'{escape(row.slug)} compare-t-{escape(column.treatment.slug)}">'
        f"{answer(context, row, cell, brief)}</td>"
        for cell, column in zip(row.cells, table.columns, strict=True)
    )
    return (
        f'<tr id="{escape(row.anchor)}" class="compare__row{kind}"{hidden}>'
        f'<th scope="row" id="compare-q-{escape(row.slug)}">{band}'
        f'<span class="compare__question">{escape(row.label)}</span>'
        f"{badge(row, len(table.columns))}</th>{cells}</tr>"
    )


def badge(row, columns):
    """How a row's answers compare, naming the source that answers where
    only one does. A narrow screen shows two treatments side by side: its
    badge speaks of those two, and needs no names, as the silent one says
    so beside it. Each is shown only on its screen."""
    verdict, seen = row.verdict, row.pair_verdict
    if verdict is None:
        return ""
    if verdict.label == seen.short_label:
        return (
            f' <span class="badge badge--{escape(verdict.agreement)}">'
            f"{escape(verdict.label)}</span>"
        )
    aside = (
        '<span class="visually-hidden"> (of the two shown side by side)</span>'
        if columns > 2
        else ""
    )
    return (
        f' <span class="badge badge--{escape(verdict.agreement)} badge--wide">'
        f"{escape(verdict.label)}</span>"
        f'<span class="badge badge--{escape(seen.agreement)} badge--narrow">'
        f"{escape(seen.short_label)}{aside}</span>"
    )


def answer_cell(context, row, cell, brief):
    """The short answer first; where there is more (the source's words, how
    we read them, the citation), the short answer opens it. On the printed
    summary (`brief`), the short answer alone."""
    kind = f" answer answer--{escape(cell.mark)}" if cell.mark else ""
    # A yes/no answer's tick or cross; the words beside it say the same for
    # screen readers.
    mark = (
        f'<span class="answer__mark" aria-hidden="true">{MARKS[cell.mark]}</span> '
        if cell.mark
        else ""
    )
    note = f' <span class="note">({escape(cell.note)})</span>' if cell.note else ""
    if cell.not_applicable:
        said = cell.brief if brief else cell.not_applicable
        said = f'<span class="not-applicable">{escape(said)}</span>'
    elif cell.silent:
        said = f'<span class="not-stated">{escape(cell.text)}</span>'
    elif cell.has_details and not brief:
        details = "".join(
            "<p>"
            + (
                f'<span class="more__label">{escape(detail.label)}:</span> '
                if detail.label
                else ""
            )
            + f"{escape(detail.text)}</p>"
            for detail in cell.details
        )
        return (
            f'<details class="more"><summary class="short{kind}">{mark}'
            f"{escape(cell.short)}{note} "
            '<span class="more__cue"><span class="visually-hidden">Details: '
            f"{escape(row.label)}, {escape(cell.treatment.name)}</span></span>"
            f'</summary><div class="more__body">{details}'
            f"{citation(context, cell.cited)}</div></details>"
        )
    else:
        said = f"{escape(cell.short)}{note}"
    return f'<p class="short{kind}">{mark}{said}</p>'


def questions_cell(context, row, cell, brief):
    """Questions to take to an appointment: a list to open, not an answer to
    weigh."""
    if cell.not_applicable:
        said = f'<span class="not-applicable">{escape(cell.not_applicable)}</span>'
        return f'<p class="short">{said}</p>'
    if cell.silent:
        said = f'<span class="not-stated">{escape(cell.text)}</span>'
        return f'<p class="short">{said}</p>'
    count = len(cell.items)
    items = "".join(f"<li>{escape(item)}</li>" for item in cell.items)
    return (
        '<details class="more"><summary class="short">'
        + ("Show the question" if count == 1 else f"Show the {count} questions")
        + f'<span class="visually-hidden">: {escape(cell.treatment.name)}</span>'
        f'</summary><div class="more__body"><ul class="cell-list">{items}</ul>'
        f"{citation(context, cell.cited)}</div></details>"
    )


@register.simple_tag
def marks(lane):
    """A timeline lane's marks (comparisons/timeline.py) in SVG: each step's
    label above its shape, a point, a bar (its uncertain end lighter) or,
    for "nothing to recover from", the label alone; a wider range as a thin
    line. Written here for the reason the table's rows are: in a template,
    the 24 marks of a four-way comparison, a dozen values each, took a fifth
    of the time the page took to render. The figures are the timeline's own
    numbers, the kinds escaped."""
    return mark_safe("".join(map(svg_mark, lane.marks)))


def svg_mark(mark):
    shapes = ""
    if mark.kind == "none":  # the label alone
        pass
    elif mark.is_point:
        shapes = (
            f'<circle class="tl-mark__shape" cx="{mark.x1}" cy="{mark.centre_y}" '
            'r="6"/>'
        )
    else:
        if mark.range_x1 is not None:
            shapes += (
                f'<line class="tl-mark__range" x1="{mark.range_x1}" '
                f'x2="{mark.range_x2}" y1="{mark.centre_y}" y2="{mark.centre_y}"/>'
            )
        shapes += (
            f'<rect class="tl-mark__shape" x="{mark.x1}" y="{mark.bar_y}" '
            f'width="{mark.bar_width}" height="10" rx="3"/>'
        )
        if mark.lighter_width:
            shapes += (
                '<rect class="tl-mark__shape tl-mark__shape--lighter" '
                f'x="{mark.x2}" y="{mark.bar_y}" width="{mark.lighter_width}" '
                'height="10" rx="3"/>'
            )
    return (
        f'<g class="tl-mark tl-mark--{escape(mark.kind)}">'
        f'<text class="tl-mark__label" x="{mark.label_x}" y="{mark.label_y}" '
        f'text-anchor="{mark.label_anchor}">{escape(mark.label)}</text>'
        f"{shapes}</g>"
    )
