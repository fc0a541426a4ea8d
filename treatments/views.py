from django.conf import settings
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.cache import (
    LISTS,
    NAMES,
    absolute_url,
    cached_on,
    depends_on,
    page_query,
    reader,
    record,
)
from core.text import and_list
from editorial.previews import ShowsWaitingVersion

from . import quality
from .areas import AreaTree
from .evidence import assess
from .filters import TreatmentFilter
from .models import NOT_STATED, Milestone, SideEffect, Treatment
from .paging import CataloguePaginator, asked_page
from .search_input import NOT_UNDERSTOOD, read_page
from .structured_data import medical_web_page, treatment_entity

PAGE = "page"
# How many treatments a treatment's page offers to compare it with (the
# picker has them all).
COMPARE_WITH = 12


@cached_on(*TreatmentFilter.base_filters, PAGE)
class TreatmentListView(FilterView):
    """The catalogue, filtered. Filters that were not understood are shown as
    errors on the page while the others still apply (strict = False)."""

    filterset_class = TreatmentFilter
    template_name = "treatments/treatment_list.html"
    context_object_name = "treatments"
    paginate_by = 12
    page_kwarg = PAGE
    strict = False

    def get_queryset(self):
        depends_on(self.request, LISTS)
        return Treatment.objects.catalogue().for_list()

    def paginate_queryset(self, queryset, page_size):
        # An out-of-range or malformed page number shows the nearest real
        # page rather than a 404.
        number = self.request.GET.get(self.page_kwarg)
        paginator = self.get_paginator(queryset, page_size)
        form = self.filterset.form
        searching = bool(form.is_valid() and form.cleaned_data.get("q"))
        page = read_page(paginator, number, searching=searching)
        if page is None:
            # The database refused the search: say so, and apply the rest.
            form.add_error("q", NOT_UNDERSTOOD)
            queryset = self.filterset.filter_queryset(self.get_queryset())
            paginator = self.get_paginator(queryset, page_size)
            page = paginator.get_page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_paginator(self, queryset, per_page, **kwargs):
        """Counted no further than it must be (treatments/paging.py)."""
        return CataloguePaginator(
            queryset,
            per_page,
            stored=self.filterset.stored_count(),
            asked=asked_page(self.request.GET.get(self.page_kwarg)),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Only what the page understands: it is cached on that alone.
        filters = self.filterset_class.base_filters
        context["query_without_page"] = page_query(self.request, filters)
        context["is_filtered"] = any(
            any(self.request.GET.getlist(name)) for name in filters if name != "sort"
        )
        context["baselines"] = Treatment.objects.published().filter(is_baseline=True)
        self.filterset.offer_only_choices_in_use()
        areas = self.filterset.chosen_areas
        context["active_filters"] = self.filterset.active()
        if areas:
            # The body-area rule takes in the areas a chosen one sits inside:
            # mark a treatment found only that way "its source says: legs".
            tree, chosen = self.filterset.area_tree, [area.pk for area in areas]
            for treatment in context["treatments"]:
                match = tree.match(
                    [area.pk for area in treatment.body_areas.all()], chosen
                )
                if match.only_through_wider:
                    treatment.found_through = match
        context["chosen_areas_words"] = ", ".join(a.name.lower() for a in areas)
        context["page_title"] = (
            f"Treatments for {', '.join(area.name.lower() for area in areas)}"
            if areas
            else "Treatments"
        )
        context["page_description"] = (
            f"{context['page_title']}, described from their sources. Narrow them by "
            "body area, invasiveness, anaesthesia and number of sessions."
        )
        return context


@cached_on()
class TreatmentDetailView(ShowsWaitingVersion, DetailView):
    """A treatment's page; to staff, as a change waiting for a publisher
    would make it (editorial/previews.py)."""

    template_name = "treatments/treatment_detail.html"
    context_object_name = "treatment"
    waiting_model = Treatment

    def get_queryset(self):
        return Treatment.objects.visible_to(reader(self.request)).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        treatment = self.object
        # The treatment, and the others it offers to compare it with.
        depends_on(self.request, record(treatment), NAMES)
        context["side_effects_by_frequency"] = group_side_effects(
            treatment.side_effects.all()
        )
        context["side_effects_unsaid"] = side_effect_silences(
            treatment.side_effects.all()
        )
        context["timeline"] = treatment_timeline(treatment.milestones.all())
        sources = treatment.cited_sources()
        context["sources"] = sources
        url = absolute_url(self.request, treatment.get_absolute_url())
        context["structured_data"] = medical_web_page(
            name=treatment.name,
            url=url,
            description=treatment.summary,
            about=treatment_entity(treatment, url),
            sources=sources,
            last_reviewed=treatment.last_reviewed,
            site_name=settings.SITE_NAME,
        )
        context["compare_with"] = compare_with(treatment)
        context["evidence"] = assess(sources, reviewed=treatment)
        # What was checked, from what the page already loaded: no query.
        context["quality"] = quality.for_treatment(
            treatment, offered=context["compare_with"]
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published:
            # An editor's preview: no cache may keep it (the page cache
            # already skips anyone logged in; this holds for any other).
            patch_cache_control(response, private=True, no_store=True)
        return response


def compare_with(treatment):
    """What a treatment's page offers to compare it with. A treatment: the
    baselines first, then those that share its body areas (by the body-area
    rule, a treatment of the thighs is offered one whose source names the
    legs). A baseline ("no procedure"): the treatments for its conditions."""
    published = Treatment.objects.published()
    if treatment.is_baseline:
        conditions = [condition.pk for condition in treatment.conditions.all()]
        return list(
            published.catalogue()
            .filter(conditions__in=conditions)
            .distinct()
            .order_by("name")
            .only("name", "slug", "is_baseline")[:COMPARE_WITH]
        )
    areas = AreaTree.load().matching_ids(
        [treated.body_area_id for treated in treatment.treated_areas.all()]
    )
    return [
        *published.baselines().only("name", "slug", "is_baseline"),
        *published.comparable_with(treatment, areas, limit=COMPARE_WITH),
    ]


def side_effect_silences(side_effects):
    """What the source leaves out of its side effects, said once for them
    all rather than a blank under each: "The source does not say how long
    any of them lasts, or whether any of them is normal." "" if nothing."""
    effects = list(side_effects)
    clauses = []
    for attribute, how_long_or_whether, singular, plural in (
        ("duration", "how long", "lasts", "last"),
        ("what_is_normal", "whether", "is normal", "are normal"),
    ):
        missing = [effect for effect in effects if not getattr(effect, attribute)]
        if not missing:
            continue
        if len(missing) == len(effects) > 1:
            subject, verb = "any of them", singular
        else:
            names = [effect.effect.name.lower() for effect in missing]
            subject, verb = and_list(names), singular if len(names) == 1 else plural
        clauses.append(f"{how_long_or_whether} {subject} {verb}")
    if not clauses:
        return ""
    return f"{NOT_STATED} {', or '.join(clauses)}."


def group_side_effects(side_effects):
    """[(frequency label, [side effects])], most common first, none empty."""
    groups = {frequency: [] for frequency in SideEffect.Frequency}
    for side_effect in side_effects:
        groups[side_effect.frequency].append(side_effect)
    return [(frequency.label, items) for frequency, items in groups.items() if items]


def treatment_timeline(milestones):
    """The milestones in order, and one line for the questions everyone asks
    that the source does not answer: "The source does not say: back to
    exercise, final result." """
    milestones = list(milestones)
    answered = {milestone.kind for milestone in milestones}
    unanswered = [kind for kind in Milestone.KEY_KINDS if kind not in answered]
    unsaid = ", ".join(kind.label.lower() for kind in unanswered)
    return {
        "milestones": milestones,
        "unsaid": f"{NOT_STATED}: {unsaid}." if unanswered else "",
    }
