from django.conf import settings
from django.views.generic import DetailView
from django_filters.views import FilterView

from .filters import TreatmentFilter
from .models import Milestone, SideEffect, Treatment
from .structured_data import medical_web_page, treatment_entity


class TreatmentListView(FilterView):
    """The catalogue, filtered. Filters that were not understood are shown as
    errors on the page while the others still apply (strict = False)."""

    filterset_class = TreatmentFilter
    template_name = "treatments/treatment_list.html"
    context_object_name = "treatments"
    paginate_by = 12
    strict = False

    def get_queryset(self):
        return Treatment.objects.catalogue().for_list()

    def paginate_queryset(self, queryset, page_size):
        # An out-of-range or malformed page number shows the nearest real
        # page rather than a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        context["query_without_page"] = query.urlencode()
        context["is_filtered"] = any(
            any(values) for key, values in query.lists() if key != "sort"
        )
        context["baselines"] = Treatment.objects.published().filter(is_baseline=True)
        areas = self.filterset.chosen_areas
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


class TreatmentDetailView(DetailView):
    template_name = "treatments/treatment_detail.html"
    context_object_name = "treatment"

    def get_queryset(self):
        return Treatment.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        treatment = self.object
        context["side_effects_by_frequency"] = group_side_effects(
            treatment.side_effects.all()
        )
        context["timeline"] = treatment_timeline(treatment.milestones.all())
        url = self.request.build_absolute_uri(treatment.get_absolute_url())
        context["structured_data"] = medical_web_page(
            name=treatment.name,
            url=url,
            description=treatment.summary,
            about=treatment_entity(treatment, url),
            sources=treatment.cited_sources(),
            last_reviewed=treatment.last_reviewed,
            site_name=settings.SITE_NAME,
        )
        published = Treatment.objects.published()
        context["compare_with"] = [
            *published.baselines().only("name", "slug", "is_baseline"),
            *published.comparable_with(treatment),
        ]
        return context


def group_side_effects(side_effects):
    """[(frequency label, [side effects])], most common first, none empty."""
    groups = {frequency: [] for frequency in SideEffect.Frequency}
    for side_effect in side_effects:
        groups[side_effect.frequency].append(side_effect)
    return [(frequency.label, items) for frequency, items in groups.items() if items]


def treatment_timeline(milestones):
    """The milestones in order, plus a "not stated" line for each of the
    questions everyone asks that the source does not answer."""
    milestones = list(milestones)
    answered = {milestone.kind for milestone in milestones}
    unanswered = [kind for kind in Milestone.KEY_KINDS if kind not in answered]
    return {"milestones": milestones, "unanswered": unanswered}
