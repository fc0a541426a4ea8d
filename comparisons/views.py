from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.generic import TemplateView

from core.cachekeys import absolute_url, cached_on, page_query
from treatments.areas import AreaTree
from treatments.models import Treatment
from treatments.structured_data import medical_web_page, treatment_entity

from .forms import ComparisonForm, ComparisonOptionsForm
from .models import MAX_TREATMENTS, MIN_TREATMENTS, Comparison
from .table import build_groups
from .timeline import build_timeline


def picker(request, form=None, *, area_tree):
    """Choose treatments to compare; with `form`, why the last choice could
    not be compared, keeping what was valid in it."""
    return render(
        request,
        "comparisons/picker.html",
        {
            "problems": form.problems() if form else [],
            "choices": Treatment.objects.published()
            .order_by("is_baseline", "name")
            .only("name", "slug", "is_baseline"),
            "chosen": {t.slug for t in form.found} if form else set(),
            "areas": area_tree.ordered(),
            "min": MIN_TREATMENTS,
            "max": MAX_TREATMENTS,
        },
        status=form.status if form else 200,
    )


class ComparisonView(TemplateView):
    """The comparison page: the table, the timeline, the focus on a body
    area. Subclasses find the treatments; `show()` renders them."""

    template_name = "comparisons/compare.html"

    def show(self, form, treatments, *, title, comparison=None, baselines=()):
        self.form = form
        self.treatments = treatments
        self.comparison = comparison
        response = self.render_to_response(
            self.get_context_data(title=title, baselines=baselines)
        )
        shown = [*treatments, *([comparison] if comparison else [])]
        if not all(record.is_published for record in shown):
            # An editor's preview of a draft: no cache may keep it.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context_data(self, *, title, baselines, **kwargs):
        treatments, comparison = self.treatments, self.comparison
        focus = self.form.cleaned_data["body_area"]
        groups = build_groups(treatments, focus, self.form.area_tree)
        rows = [row for group in groups for row in group.rows]
        focus_row = next((row for row in rows if row.kind == "focus"), None)
        query = self.query(treatments, focus)
        canonical = absolute_url(
            self.request,
            self.request.path + ("" if comparison else f"?{self.query(treatments)}"),
        )
        # What was printed: the page with the options it was shown with.
        shown = page_query(self.request, self.page_cache_params)
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
            printed_from=absolute_url(
                self.request, self.request.path + (f"?{shown}" if shown else "")
            ),
            **kwargs,
        )

    def structured_data(self, title, canonical):
        treatments, comparison = self.treatments, self.comparison
        return medical_web_page(
            name=title,
            url=canonical,
            description=None,
            about=[
                treatment_entity(t, absolute_url(self.request, t.get_absolute_url()))
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


@cached_on(*ComparisonForm.base_fields)
class AdHocComparisonView(ComparisonView):
    """/compare/?treatments=a&treatments=b: the URL is the whole state."""

    def get(self, request):
        area_tree = AreaTree.load()
        if "treatments" not in request.GET:
            # The bare address is where a visitor starts: the picker.
            return picker(request, area_tree=area_tree)
        form = ComparisonForm(
            request.GET,
            treatments=Treatment.objects.visible_to(request.user).for_comparison(),
            area_tree=area_tree,
        )
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


@cached_on(*ComparisonOptionsForm.base_fields)
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
            return picker(request, form, area_tree=area_tree)
        return self.show(
            form,
            treatments,
            title=comparison.title,
            comparison=comparison,
            baselines=[t for t in found.values() if t.is_baseline and t.pk not in ids],
        )
