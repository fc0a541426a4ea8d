from types import SimpleNamespace

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.generic import TemplateView

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
from editorial.previews import ShowsWaitingVersion
from treatments.areas import AreaTree
from treatments.evidence import assess
from treatments.models import Treatment
from treatments.structured_data import medical_web_page, treatment_entity

from .differences import baseline_note, called, key_differences
from .forms import ComparisonForm, ComparisonOptionsForm, PickerForm
from .models import MAX_TREATMENTS, MIN_TREATMENTS, Comparison
from .picker import picker
from .priorities import summaries
from .table import PRIORITIES, build_groups
from .timeline import build_timeline

# How many ready-made comparisons a page of their list shows.
READY_MADE_PAGE = 20


@cached_on("page")
def ready_made(request):
    """Every published curated comparison, by title, a page at a time (the
    home page shows the first few)."""
    depends_on(request, LISTS)
    comparisons = Comparison.objects.published().only("title", "slug", "introduction")
    page = Paginator(comparisons, READY_MADE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "comparisons/ready_made.html",
        {"page_obj": page, "comparisons": page.object_list},
    )


def review_dates(treatments, comparison=None):
    """A curated comparison's own review dates; an ad-hoc one is as fresh as
    its least recently reviewed treatment, and due when the first is."""
    if comparison is not None:
        return comparison
    # A draft shown to editors has not been reviewed yet: nor has the whole.
    return SimpleNamespace(
        last_reviewed=earliest(t.last_reviewed for t in treatments),
        next_review_due=earliest(t.next_review_due for t in treatments),
    )


def earliest(dates):
    """The earliest of these dates; None if any is None."""
    dates = list(dates)
    return None if None in dates else min(dates)


class ComparisonView(TemplateView):
    """The comparison page: key differences, the table of short answers,
    the timeline, what matters to the reader, the evidence. Subclasses
    find the treatments; `show()` renders them."""

    template_name = "comparisons/compare.html"

    def show(self, form, treatments, *, title, comparison=None, baselines=()):
        self.form = form
        self.treatments = treatments
        self.comparison = comparison
        # What it compares, and the baselines it offers to add.
        shows = [*treatments, *([comparison] if comparison else [])]
        depends_on(self.request, NAMES, *(record(shown) for shown in shows))
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
        data = self.form.cleaned_data
        focus, matters = data["body_area"], data["matters"]
        evidence = {
            t.pk: assess(t.cited_sources(), treatments=[t], reviewed=t)
            for t in treatments
        }
        groups = build_groups(
            treatments,
            focus,
            self.form.area_tree,
            evidence=evidence,
            matters=matters,
        )
        rows = {row.slug: row for group in groups for row in group.rows}
        pair = self.form.side_by_side(treatments)
        columns = self.columns(treatments, pair)
        for row in rows.values():
            for cell, (_treatment, role) in zip(row.cells, columns, strict=True):
                cell.column = role
        # One address per set of treatments, whatever the reader's options.
        slugs = urlencode([("treatments", t.slug) for t in treatments])
        canonical = absolute_url(
            self.request, self.request.path + ("" if comparison else f"?{slugs}")
        )
        # What was printed: the page with the options it was shown with.
        shown = page_query(self.request, self.page_cache_params)
        return super().get_context_data(
            title=title,
            names=[t.name for t in treatments],
            comparison=comparison,
            canonical=canonical,
            description=comparison.introduction
            if comparison
            else f"{title}, side by side: how they work, sessions, side effects, "
            "recovery and results, from their sources.",
            structured_data=self.structured_data(title, canonical),
            treatments=treatments,
            columns=columns,
            groups=groups,
            key_differences=key_differences(treatments, rows),
            baseline_note=baseline_note(treatments),
            differences=data["differences"],
            differing_rows=sum(row.differs for row in rows.values()),
            same_rows=sum(not row.differs for row in rows.values()),
            focus=focus,
            focus_answers=list(zip(treatments, rows["focus"].cells, strict=True))
            if focus
            else [],
            matters=matters,
            matters_labels=[dict(PRIORITIES)[value] for value in matters],
            priority_choices=[
                (value, dict(PRIORITIES)[value], True) for value in matters
            ]
            + [
                (value, label, False)
                for value, label in PRIORITIES
                if value not in matters
            ],
            # Kept when the reader changes what matters, once they chose it.
            pair_slugs=[t.slug for t in pair]
            if len(treatments) > 2 and data["pair"]
            else [],
            summaries=summaries(treatments, groups) if matters else [],
            evidence=assess(
                [s for t in treatments for s in t.cited_sources()],
                treatments=treatments,
                reviewed=review_dates(treatments, comparison),
            ),
            areas=self.form.area_tree.ordered(),
            timeline=build_timeline(treatments),
            add_baselines=self.add_links(
                baselines if len(treatments) < MAX_TREATMENTS else []
            ),
            pair=pair,
            other_pairs=self.other_pairs(treatments, pair),
            links=self.links(treatments, pair),
            sources=list(
                dict.fromkeys(s for t in treatments for s in t.cited_sources())
            ),
            printed_from=absolute_url(
                self.request, self.request.path + (f"?{shown}" if shown else "")
            ),
            **kwargs,
        )

    @staticmethod
    def columns(treatments, pair):
        """(treatment, role) for each column: on a narrow screen the pair
        stand side by side, "left" and "right"; the others are set aside."""
        roles = {pair[0].pk: "left", pair[-1].pk: "right"}
        return [(t, roles.get(t.pk, "aside")) for t in treatments]

    def other_pairs(self, treatments, pair):
        """With three or four treatments, the other pairs a reader may set
        side by side, each a link."""
        if len(treatments) < 3:
            return []
        shown = {t.pk for t in pair}
        return [
            (called(first), called(second), self.url(pair=[first.slug, second.slug]))
            for index, first in enumerate(treatments)
            for second in treatments[index + 1 :]
            if {first.pk, second.pk} != shown
        ]

    def links(self, treatments, pair):
        """This page's addresses with one thing changed."""
        differences = self.form.cleaned_data["differences"]
        return {
            # The differences switch swaps these two (static/js/compare.js).
            "differences": self.url(differences=not differences),
            "other_differences": self.url(differences=differences),
            "swap": self.url(pair=[t.slug for t in reversed(pair)]),
            "share": absolute_url(self.request, self.url(pair=None)),
            "summary": reverse("comparisons:summary")
            + "?"
            + urlencode(self.state(treatments=True, pair=None, differences=False)),
        }

    def add_links(self, baselines):
        """(baseline, the address of this comparison with it added)."""
        return [
            (
                baseline,
                reverse("comparisons:compare")
                + "?"
                + urlencode(
                    self.state(treatments=True, pair=None)
                    + [("treatments", baseline.slug)]
                ),
            )
            for baseline in baselines
        ]

    def state(self, *, treatments=False, **changes):
        """The comparison's query string as (name, value) pairs, with
        `changes`: the treatments (for an ad-hoc comparison), the focus,
        what matters, the pair and "only the differences"."""
        data = {**self.form.cleaned_data, **changes}
        params = []
        if treatments:
            params += [("treatments", t.slug) for t in self.treatments]
        if data.get("body_area") is not None:
            params.append(("body_area", data["body_area"].slug))
        params += [("matters", value) for value in data.get("matters") or []]
        pair = data.get("pair")
        if pair and len(self.treatments) > 2:
            params += [("pair", slug) for slug in pair]
        if data.get("differences"):
            params.append(("differences", "1"))
        return params

    def url(self, **changes):
        """This page's address with `changes` to its state."""
        query = urlencode(self.state(treatments=self.comparison is None, **changes))
        return f"{self.request.path}?{query}" if query else self.request.path

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
            last_reviewed=review_dates(treatments, comparison).last_reviewed,
            site_name=settings.SITE_NAME,
        )


def title_for(treatments):
    names = [t.name for t in treatments]
    return f"{', '.join(names[:-1])} and {names[-1]} compared"


@cached_on(*ComparisonForm.base_fields, *PickerForm.base_fields)
class AdHocComparisonView(ComparisonView):
    """/compare/?treatments=a&treatments=b: the URL is the whole state."""

    def get(self, request):
        area_tree = AreaTree.load()
        visible = Treatment.objects.visible_to(reader(request))
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
            if form.has_error("treatments", "unknown") and (
                moved := form.renamed(request)
            ):
                return HttpResponsePermanentRedirect(moved)
            return picker(request, form, area_tree=area_tree)
        treatments = form.cleaned_data["treatments"]
        return self.show(
            form,
            treatments,
            title=title_for(treatments),
            baselines=form.baselines,
        )


class SummaryView(AdHocComparisonView):
    """/compare/summary/?treatments=a&treatments=b&matters=…: the comparison
    to take away, on at most two A4 pages."""

    template_name = "comparisons/summary.html"

    def get(self, request):
        if "treatments" not in request.GET:
            return redirect("comparisons:compare")
        return super().get(request)

    # Said elsewhere on the summary (its questions as boxes to tick, the
    # review dates and evidence under its title), or there for reference
    # rather than for deciding: left out of its table, to fit two pages.
    LEAVES_OUT = {
        "body-areas",
        "questions",
        "evidence",
        "sources",
        "last-reviewed",
        "next-review-due",
    }

    def get_context_data(self, **kwargs):
        back = (
            reverse("comparisons:compare")
            + "?"
            + urlencode(self.state(treatments=True))
        )
        context = super().get_context_data(back=back, **kwargs)
        for group in context["groups"]:
            group.rows = [row for row in group.rows if row.slug not in self.LEAVES_OUT]
        context["groups"] = [group for group in context["groups"] if group.rows]
        return context


@cached_on(*ComparisonOptionsForm.base_fields)
class CuratedComparisonView(ShowsWaitingVersion, ComparisonView):
    """A curated comparison; to staff, as a change waiting for a publisher
    would make it (editorial/previews.py)."""

    waiting_model = Comparison

    def get(self, request, slug):
        comparison = get_object_or_404(
            Comparison.objects.visible_to(reader(request)).for_page(), slug=slug
        )
        ids = [item.treatment_id for item in comparison.items.all()]
        found = {
            t.pk: t
            for t in Treatment.objects.visible_to(reader(request))
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
