from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.generic import TemplateView

from treatments.areas import AreaTree
from treatments.models import Treatment
from treatments.structured_data import medical_web_page, treatment_entity

from .forms import ComparisonForm, ComparisonOptionsForm, PickerForm
from .models import MAX_TREATMENTS, MIN_TREATMENTS, Comparison
from .table import build_groups
from .timeline import build_timeline

# How many treatments a page of the picker offers.
PICKER_PAGE = 20


def picker(request, form, *, area_tree, problems=True):
    """Choose treatments to compare: a search and one short page of the
    catalogue (never all of it), with what `form` (the address's
    ComparisonForm) found already chosen and the baselines to add. With
    `problems`, also why that choice could not be compared."""
    search = PickerForm(request.GET)
    catalogue = Treatment.objects.catalogue().only("name", "slug", "is_baseline")
    found = (
        catalogue.best_matches(search.text, whole_catalogue=True)
        if search.text
        else catalogue.order_by("name")
    )
    page = Paginator(found, PICKER_PAGE).get_page(search.page_number)
    offered = list(page.object_list)
    offered_slugs = {treatment.slug for treatment in offered}
    chosen = form.found
    focus = form.cleaned_data.get("body_area") if form.is_bound else None
    return render(
        request,
        "comparisons/picker.html",
        {
            "problems": form.problems() if problems else [],
            "search": search,
            "page_obj": page,
            "offered": offered,
            # Chosen on another page, or before this search: kept, and shown
            # apart so that each can still be unticked.
            "chosen_elsewhere": [
                treatment
                for treatment in chosen
                if not treatment.is_baseline and treatment.slug not in offered_slugs
            ],
            "chosen": {treatment.slug for treatment in chosen},
            "baselines": sorted(
                [*form.baselines, *(t for t in chosen if t.is_baseline)],
                key=lambda treatment: treatment.name,
            ),
            "areas": area_tree.ordered(),
            "focus": focus,
            "min": MIN_TREATMENTS,
            "max": MAX_TREATMENTS,
            # Searches, later pages and choices in progress are not pages
            # for search engines to list.
            "noindex": problems or bool(request.GET),
        },
        status=form.status if problems else 200,
    )


class ComparisonView(TemplateView):
    """The comparison page: the table, the timeline, the focus on a body
    area. Subclasses find the treatments; `show()` renders them."""

    template_name = "comparisons/compare.html"

    def show(self, form, treatments, *, title, comparison=None, baselines=()):
        self.form = form
        self.treatments = treatments
        self.comparison = comparison
        return self.render_to_response(
            self.get_context_data(title=title, baselines=baselines)
        )

    def get_context_data(self, *, title, baselines, **kwargs):
        treatments, comparison = self.treatments, self.comparison
        focus = self.form.cleaned_data["body_area"]
        groups = build_groups(treatments, focus, self.form.area_tree)
        rows = [row for group in groups for row in group.rows]
        focus_row = next((row for row in rows if row.kind == "focus"), None)
        query = self.query(treatments, focus)
        canonical = self.request.build_absolute_uri(
            self.request.path + ("" if comparison else f"?{self.query(treatments)}")
        )
        return super().get_context_data(
            title=title,
            comparison=comparison,
            canonical=canonical,
            description=comparison.introduction
            if comparison
            else f"{title}, side by side: how they work, sessions, side effects, "
            "recovery and results, from their sources.",
            structured_data=self.structured_data(title, canonical),
            treatments=treatments,
            groups=groups,
            differences=self.form.cleaned_data["differences"],
            differing_rows=sum(row.differs for row in rows),
            same_rows=sum(not row.differs for row in rows),
            focus=focus,
            focus_answers=list(zip(treatments, focus_row.cells, strict=True))
            if focus_row
            else [],
            areas=self.form.area_tree.ordered(),
            timeline=build_timeline(treatments),
            baselines=baselines if len(treatments) < MAX_TREATMENTS else [],
            adhoc_query=query,
            **kwargs,
        )

    def structured_data(self, title, canonical):
        treatments, comparison = self.treatments, self.comparison
        return medical_web_page(
            name=title,
            url=canonical,
            description=None,
            about=[
                treatment_entity(
                    t, self.request.build_absolute_uri(t.get_absolute_url())
                )
                for t in treatments
            ],
            sources=list(
                dict.fromkeys(s for t in treatments for s in t.cited_sources())
            ),
            # A comparison is as fresh as its editor's review, or else as
            # its least recently reviewed treatment.
            last_reviewed=(
                comparison.last_reviewed
                if comparison
                else min(t.last_reviewed for t in treatments)
            ),
            site_name=settings.SITE_NAME,
        )

    @staticmethod
    def query(treatments, focus=None):
        params = [("treatments", t.slug) for t in treatments]
        if focus is not None:
            params.append(("body_area", focus.slug))
        return urlencode(params)


class AdHocComparisonView(ComparisonView):
    """/compare/?treatments=a&treatments=b: the URL is the whole state."""

    def get(self, request):
        area_tree = AreaTree.load()
        visible = Treatment.objects.visible_to(request.user)
        # The bare address is where a visitor starts: the picker. Its search
        # and page buttons send `page`, and keep what was ticked.
        picking = "treatments" not in request.GET or "page" in request.GET
        form = ComparisonForm(
            request.GET,
            treatments=visible.only("name", "slug", "is_baseline")
            if picking
            else visible.for_comparison(),
            area_tree=area_tree,
        )
        if picking:
            form.is_valid()  # finds what was chosen, and the baselines
            return picker(request, form, area_tree=area_tree, problems=False)
        if not form.is_valid():
            return picker(request, form, area_tree=area_tree)
        treatments = form.cleaned_data["treatments"]
        names = [t.name for t in treatments]
        return self.show(
            form,
            treatments,
            title=f"{', '.join(names[:-1])} and {names[-1]} compared",
            baselines=form.baselines,
        )


class CuratedComparisonView(ComparisonView):
    def get(self, request, slug):
        comparison = get_object_or_404(
            Comparison.objects.visible_to(request.user).for_page(), slug=slug
        )
        ids = [item.treatment_id for item in comparison.items.all()]
        found = {
            t.pk: t
            for t in Treatment.objects.visible_to(request.user)
            .for_comparison()
            .filter(Q(pk__in=ids) | Q(is_baseline=True))
        }
        treatments = [found[pk] for pk in ids if pk in found]
        if len(treatments) < MIN_TREATMENTS:
            raise Http404("This comparison has too few treatments to show.")
        area_tree = AreaTree.load()
        data = request.GET.copy()
        if not data.get("body_area") and comparison.focus_area_id:
            data["body_area"] = comparison.focus_area.slug
        form = ComparisonOptionsForm(data, area_tree=area_tree)
        if not form.is_valid():
            form.found = treatments
            form.baselines = [
                t for t in found.values() if t.is_baseline and t.pk not in ids
            ]
            return picker(request, form, area_tree=area_tree)
        return self.show(
            form,
            treatments,
            title=comparison.title,
            comparison=comparison,
            baselines=[t for t in found.values() if t.is_baseline and t.pk not in ids],
        )
