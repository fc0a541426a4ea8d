from django import forms
from django.core.validators import slug_re
from django.db.models import Q
from django.urls import reverse

from editorial.addresses import FormerAddress, may_see

from .models import MAX_TREATMENTS, MIN_TREATMENTS
from .table import PRIORITIES

TRUE_VALUES = {"1", "true", "yes", "on"}


class SlugList(forms.Field):
    """Every value of a repeated parameter (?treatments=a&treatments=b), in
    order, stripped, each once."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return list(dict.fromkeys(slug.strip() for slug in value or [] if slug.strip()))


class Switch(forms.Field):
    """On for "1", "true", "yes" or "on"; off for anything else, never an
    error: a link with a mangled flag still shows the comparison."""

    def to_python(self, value):
        return str(value or "").strip().lower() in TRUE_VALUES


class Priorities(forms.MultipleChoiceField):
    """What matters most to the reader (?matters=downtime&matters=pain), in
    the order given, each once. A value we do not know is left out rather
    than refused: a shared link with a mangled value still shows the
    comparison, as `Switch` does."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        known = {choice for choice, _label in self.choices}
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return list(dict.fromkeys(str(v) for v in values if str(v) in known))

    def validate(self, value):
        """Every value left is a known one."""


class ComparisonOptionsForm(forms.Form):
    """How to show a comparison: an optional body area to focus on (a slug
    of `area_tree`), whether to show only the rows that differ, what
    matters most to the reader (those groups of rows come first), and which
    two treatments stand side by side on a narrow screen."""

    body_area = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "We have no body area called “%(value)s”."},
    )
    differences = Switch(required=False)
    matters = Priorities(
        required=False, choices=PRIORITIES, label="What matters most to you"
    )
    pair = SlugList(required=False)

    def __init__(self, *args, area_tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_tree = area_tree
        self.fields["body_area"].choices = [("", "Any body area")] + [
            (area.slug, area.name) for area in area_tree.areas
        ]

    def clean_body_area(self):
        slug = self.cleaned_data["body_area"]
        return next((a for a in self.area_tree.areas if a.slug == slug), None)

    def side_by_side(self, treatments):
        """The two of `treatments` that stand side by side on a narrow
        screen, in that order: those named by `pair`, else the first two."""
        by_slug = {treatment.slug: treatment for treatment in treatments}
        chosen = [
            by_slug[slug] for slug in self.cleaned_data["pair"] if slug in by_slug
        ]
        for treatment in treatments:
            if len(chosen) >= 2:
                break
            if treatment not in chosen:
                chosen.append(treatment)
        return chosen[:2]

    @property
    def status(self):
        """404 for a treatment or an area we do not have, else 400."""
        unknown = self.has_error("treatments", "unknown") or "body_area" in self.errors
        return 404 if unknown else 400

    def problems(self):
        return [message for messages in self.errors.values() for message in messages]


class ComparisonForm(ComparisonOptionsForm):
    """An ad-hoc comparison's query string: also which treatments, in order.

    `treatments` is the queryset to choose from (what this visitor may see,
    loaded for the comparison). The baselines ("no treatment") that could be
    added come from the same query as the chosen treatments: `baselines`.
    """

    treatments = SlugList(required=False)

    def __init__(self, *args, treatments, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = treatments
        self.baselines = []
        self.found = []

    def clean_treatments(self):
        slugs = self.cleaned_data["treatments"]
        # No slug holds a NUL byte, and PostgreSQL refuses one in a query.
        searchable = [slug for slug in slugs if "\x00" not in slug]
        found = {}
        for treatment in self.queryset.filter(
            Q(slug__in=searchable) | Q(is_baseline=True)
        ):
            found[treatment.slug] = treatment
        self.baselines = [
            treatment
            for slug, treatment in found.items()
            if treatment.is_baseline and slug not in slugs
        ]
        errors = [
            forms.ValidationError(
                "We have no treatment called “%(slug)s”.",
                code="unknown",
                params={"slug": slug},
            )
            for slug in slugs
            if slug not in found
        ]
        if len(slugs) < MIN_TREATMENTS:
            errors.append(
                forms.ValidationError(
                    "Choose at least %(min)d treatments to compare; you chose "
                    "%(count)d.",
                    code="too_few",
                    params={"min": MIN_TREATMENTS, "count": len(slugs)},
                )
            )
        elif len(slugs) > MAX_TREATMENTS:
            errors.append(
                forms.ValidationError(
                    "Choose at most %(max)d treatments to compare; you chose "
                    "%(count)d.",
                    code="too_many",
                    params={"max": MAX_TREATMENTS, "count": len(slugs)},
                )
            )
        self.found = [found[slug] for slug in slugs if slug in found]
        if errors:
            raise forms.ValidationError(errors)
        return self.found

    def renamed(self, request):
        """This comparison's address with each treatment renamed since the
        link was made under its new slug (editorial/addresses.py), or None if
        none of its unknown slugs was renamed."""
        slugs = [*self.data.getlist("treatments"), *self.data.getlist("pair")]
        paths = {
            reverse("treatments:detail", kwargs={"slug": slug}): slug
            for slug in slugs
            if slug_re.fullmatch(slug)
        }
        now = {
            paths[path]: page.slug
            for path, page in FormerAddress.pages_at(paths).items()
            if may_see(request, page)
        }
        if not now:
            return None
        query = self.data.copy()
        for key in ("treatments", "pair"):
            query.setlist(key, [now.get(slug, slug) for slug in query.getlist(key)])
        return f"{request.path}?{query.urlencode()}"


class PickerForm(forms.Form):
    """The picker's search: words to look for, and which page of what they
    find (or of every treatment, by name, without words)."""

    q = forms.CharField(
        label="Find treatments",
        required=False,
        max_length=100,
        help_text="A word from a treatment's name or description.",
        error_messages={"max_length": "Search for at most %(limit_value)d letters."},
    )
    page = forms.IntegerField(required=False, min_value=1)

    @property
    def text(self):
        """The words to search for; none when the search was not usable."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    @property
    def page_number(self):
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1
