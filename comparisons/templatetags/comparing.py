"""Template filters for the comparison's table."""

from django import template

register = template.Library()


@register.filter
def shown(row_or_group, show):
    """Whether a row (or any row of a group) is shown when the table shows
    `show` (comparisons.table.Show)."""
    return row_or_group.shown(show)


@register.filter
def in_columns(row, columns):
    """(cell, column) for each of the row's cells."""
    return zip(row.cells, columns, strict=True)
