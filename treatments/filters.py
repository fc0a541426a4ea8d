import functools
import re

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, F
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .areas import AreaTree
from .models import CatalogueCount, Treatment


class CheckboxList(forms.CheckboxSelectMultiple):
    """Django's checkboxes, their HTML written here rather than by its
    templates (multiple_input.html, then input_option.html, input.html and
    attrs.html for each choice): the catalogue's filters have dozens of
    choices, and those templates took about a third of its page's time
    (bench/RESULTS.md). Every value is escaped as a template escapes it;
    tests/treatments/test_filters.py holds the HTML to the templates'."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        own = widget["attrs"]
        parts = [
            format_html(
                "<div{}{}>",
                format_html(' id="{}"', own["id"]) if own.get("id") else "",
                format_html(' class="{}"', own["class"]) if own.get("class") else "",
            )
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html("\n  <div><label>{}</label>", group))
            for option in options:
                parts.append(format_html("<div>\n    {}</div>", self.option(option)))
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))

    def option(self, option):
        """checkbox_option.html, which includes input_option.html: the box,
        in its label."""
        value = option["value"]
        value = "" if value is None else format_html(' value="{}"', value)
        # Each template ends in a line break, which its include keeps.
        field = format_html(
            '<input type="{}" name="{}"{}{}>\n',
            option["type"],
            option["name"],
            value,
            attributes(option["attrs"]),
        )
        if option["wrap_label"]:
            target = option["attrs"].get("id")
            field = format_html(
                "<label{}{}>{} {}</label>",
                format_html(' for="{}"', target) if target else "",
                self.label_class(option),
                field,
                option["label"],
            )
        return format_html("{}{}", field, self.option_end)

    # What follows an option: input_option.html's line break, then
    # checkbox_option.html's.
    option_end = "\n\n"

    def label_class(self, option):
        return ""


class AreaCheckboxes(CheckboxList):
    """Checkboxes that know each area's depth, to indent areas inside others
    (as treatments/widgets/area_option.html would)."""

    option_template_name = "treatments/widgets/area_option.html"
    option_end = "\n"  # area_option.html's line break

    def __init__(self, *args, depths=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.depths = depths or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["depth"] = self.depths.get(value, 0)
        return option

    def label_class(self, option):
        return mark_safe(
            ' class="choice choice--inner"' if option["depth"] else ' class="choice"'
        )


def attributes(attrs):
    """` name="value"` for each attribute, as Django's attrs.html writes
    them: a True one bare, a False one left out, in their order. Not
    django.forms.utils.flatatt, which writes something else: it leaves out
    None too and puts the bare ones last."""
    return mark_safe(
        "".join(
            format_html(" {}", name)
            if value is True
            else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


def choices_in_use(choices):
    """{(field, value): whether some catalogue treatment has it} for each of
    `choices`, in one query: an EXISTS per choice, each read from the
    catalogue's indexes, as quick with 10,000 treatments as with 10."""
    sql, params = choices_in_use_sql(choices, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {
        choice: bool(found)
        for choice, found in zip(choices, row or [False] * len(choices), strict=True)
    }


@functools.cache
def choices_in_use_sql(choices, vendor):
    """choices_in_use()'s SQL, built by the ORM once per process: it never
    changes, and building and compiling a dozen EXISTS took a fifth of the
    catalogue view's time (bench/RESULTS.md)."""
    catalogue = Treatment.objects.catalogue()
    checks = {
        f"in_use_{index}": Exists(catalogue.filter(**{name: value}))
        for index, (name, value) in enumerate(choices)
    }
    query = Treatment.objects.order_by().annotate(**checks).values(*checks)[:1]
    return query.query.sql_with_params()


# A "valid floating-point number" in HTML, the only values a number field may have.
HTML_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")


class NumberInput(forms.NumberInput):
    """A number field that leaves out a value that is not a number, such as
    ?max_sessions=abc: browsers show it empty anyway, and in the HTML it is
    an error (the Nu Html Checker: bad value for attribute "value")."""

    def format_value(self, value):
        value = super().format_value(value)
        if value is not None and not HTML_NUMBER.fullmatch(str(value)):
            return None
        return value


class IntegerFilter(django_filters.NumberFilter):
    """A number filter for whole numbers (NumberFilter accepts decimals)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", NumberInput)
        super().__init__(*args, **kwargs)


# The sort that leaves the order to the text search (best match first);
# without a search, the catalogue's own order (by name).
BEST_MATCH = "relevance"


class NullsLastOrdering(django_filters.OrderingFilter):
    """Ordering where treatments without the figure come last, then by name."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        descending = value.startswith("-")
        field = F(value.removeprefix("-"))
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        if value and BEST_MATCH in value:
            return qs
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "name") if value else qs


# The filters that leave fewer treatments than the whole catalogue.
NARROWING_FILTERS = ("body_area", "invasiveness", "anaesthesia", "max_sessions")


class TreatmentFilter(django_filters.FilterSet):
    """The catalogue's filters. Unknown values become form errors, shown on
    the page; the filters that were understood still apply."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=100,
        help_text="A word from a treatment's name or description.",
    )
    body_area = django_filters.MultipleChoiceFilter(
        label="Body area",
        distinct=False,  # an EXISTS subquery: no duplicates to remove
        method="filter_body_area",
        help_text="Shows treatments of any area you tick. An area includes the "
        "areas inside it, and treatments whose source names a wider area: "
        "those of the legs, for the thighs.",
        error_messages={
            "invalid_choice": "“%(value)s” is not a body area on this site. "
            "Choose from the list."
        },
    )
    # distinct=False: these filter the treatment's own columns, so they cannot
    # duplicate a row, and DISTINCT would sort every column of the page.
    invasiveness = django_filters.MultipleChoiceFilter(
        label="How invasive",
        distinct=False,
        choices=Treatment.Invasiveness.choices,
        widget=CheckboxList,
        error_messages={
            "invalid_choice": "“%(value)s” is not a level of invasiveness. "
            "Choose from the list."
        },
    )
    anaesthesia = django_filters.MultipleChoiceFilter(
        label="Anaesthesia",
        distinct=False,
        choices=Treatment.Anaesthesia.choices,
        widget=CheckboxList,
        error_messages={
            "invalid_choice": "“%(value)s” is not a kind of anaesthesia. "
            "Choose from the list."
        },
    )
    max_sessions = IntegerFilter(
        label="Most sessions you would accept",
        method="filter_max_sessions",
        min_value=1,
        max_value=100,
        help_text="Treatments whose sources do not give a number are left out.",
        error_messages={
            "invalid": "Enter a whole number of sessions, such as 3.",
            "min_value": "Enter at least 1 session.",
            "max_value": "Enter at most 100 sessions.",
        },
    )
    sort = NullsLastOrdering(
        label="Sort by",
        fields={"name": "name", "daily_activities_days": "daily"},
        choices=[
            (BEST_MATCH, "Best match"),
            ("name", "Name"),
            ("daily", "Soonest back to daily activities"),
        ],
        empty_label=None,
        null_label=None,
        error_messages={
            "invalid_choice": "“%(value)s” is not a way to sort. Choose from the list."
        },
    )

    class Meta:
        model = Treatment
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query: the areas, with their stored counts.
        self.area_tree = AreaTree.load()
        ordered = self.area_tree.ordered()
        field = self.filters["body_area"]
        field.extra["choices"] = [
            (area.slug, self._area_label(area)) for area, _depth in ordered
        ]
        field.extra["widget"] = AreaCheckboxes(
            depths={area.slug: depth for area, depth in ordered}
        )

    # The choices that list what the catalogue's treatments are, some of
    # which none may be yet (no treatment under sedation, say).
    CHOICES_IN_USE = ("invasiveness", "anaesthesia")

    def offer_only_choices_in_use(self):
        """Offer only the choices some catalogue treatment has, and any the
        visitor chose: ticking one that matches nothing is a dead end. A
        value none has is still understood, not an error. For the page that
        shows the form (the API needs no form). One query
        (choices_in_use())."""
        in_use = choices_in_use(
            tuple(
                (name, value)
                for name in self.CHOICES_IN_USE
                for value, _label in self.filters[name].extra["choices"]
            )
        )
        for name in self.CHOICES_IN_USE:
            wanted = set(self.data.getlist(name)) if self.is_bound else set()
            self.form.fields[name].widget.choices = [
                (value, label)
                for value, label in self.filters[name].extra["choices"]
                if in_use[name, value] or value in wanted
            ]

    def _area_label(self, area):
        count = area.treatment_count
        inner = self.area_tree.children.get(area.pk, [])
        including = (
            f", including {', '.join(child.name.lower() for child in inner)}"
            if inner
            else ""
        )
        noun = "treatment" if count == 1 else "treatments"
        return f"{area.name}{including} ({count} {noun})"

    def filter_search(self, queryset, name, value):
        return queryset  # last, in filter_queryset(): a search may set the order

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        chosen = self.form.cleaned_data
        text = (chosen.get("q") or "").strip()
        if not text:
            return queryset
        if chosen.get("sort") and BEST_MATCH not in chosen["sort"]:
            return queryset.search(text)  # in the order the visitor chose
        narrowed = any(chosen.get(name) for name in NARROWING_FILTERS)
        return queryset.best_matches(text, whole_catalogue=not narrowed)

    def filter_body_area(self, queryset, name, slugs):
        if not slugs:
            return queryset
        chosen = [area.pk for area in self.area_tree.areas if area.slug in slugs]
        return queryset.treating(self.area_tree.matching_ids(chosen))

    def filter_max_sessions(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.with_at_most_sessions(int(value))

    def active(self):
        """The filters in use that were understood, in words, for the
        folded filters' summary: ["Thighs", "Minimally invasive", …]."""
        if not self.is_bound:
            return []
        self.form.is_valid()
        data, errors = self.form.cleaned_data, self.form.errors
        words = [area.name for area in self.chosen_areas]
        for name in ("invasiveness", "anaesthesia"):
            if name not in errors:
                labels = dict(self.filters[name].extra["choices"])
                words += [labels[value] for value in data.get(name) or []]
        if "max_sessions" not in errors and data.get("max_sessions") is not None:
            words.append(f"At most {int(data['max_sessions'])} sessions")
        if "q" not in errors and (data.get("q") or "").strip():
            words.append(f"“{data['q'].strip()}”")
        return words

    def stored_count(self):
        """How many treatments these filters leave, where it is stored
        (treatments/areas.py), exact: the whole catalogue's count (one
        query), or one body area's alone, with no other filter (read with
        the areas). None where it must be counted."""
        used = [name for name in (*NARROWING_FILTERS, "q") if self._used(name)]
        if not used:
            return CatalogueCount.objects.current()
        if used == ["body_area"] and len(self.chosen_areas) == 1:
            return self.chosen_areas[0].treatment_count
        return None

    def _used(self, name):
        """Whether the filter `name` was given and understood, and so
        applied (cleaned_data leaves out what was not understood)."""
        if not self.is_bound:
            return False
        self.form.is_valid()
        value = self.form.cleaned_data.get(name)
        return bool(value.strip() if isinstance(value, str) else value)

    @property
    def chosen_areas(self):
        """The body areas the visitor filtered by, for the page's heading."""
        if not self.is_bound or "body_area" in self.errors:
            return []
        slugs = set(self.form.cleaned_data.get("body_area") or [])
        return [area for area in self.area_tree.areas if area.slug in slugs]
