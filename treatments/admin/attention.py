"""The changelists' filter of the pages that fail a line of "About this
information", as each page stores them (treatments/attention.py): the
treatments' and the comparisons', and where "Needs attention" links to."""

import datetime

from django.contrib import admin

from .. import quality


class FailsALineFilter(admin.SimpleListFilter):
    title = "line not met (About this information)"
    parameter_name = "fails"

    def lookups(self, request, model_admin):
        return [("any", "Any line")] + [
            (key, quality.LABELS[key]) for key in quality.LINES
        ]

    def queryset(self, request, queryset):
        """The review line as of today, from the stored dates; the others as
        stored. A value it does not know filters nothing, as the other
        filters do."""
        today = datetime.date.today()
        if self.value() == "any":
            return queryset.failing_a_line(today)
        if self.value() in quality.LINES:
            return queryset.failing_a_line(today, self.value())
        return queryset
