from dataclasses import dataclass
from functools import cached_property
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
from treatments import quality
from treatments.areas import AreaTree
from treatments.evidence import assess
from treatments.models import Treatment
from treatments.structured_data import medical_web_page, treatment_entity

from .differences import key_differences
from .forms import ComparisonForm, ComparisonOptionsForm, PickerForm
from .models import MAX_TREATMENTS, MIN_TREATMENTS, Comparison
from .naming import called, mid_sentence, title_for
from .picker import picker
from .priorities import summaries
from .quality import own_texts
from .table import PRIORITIES, Show, build_table
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


@dataclass
class Options:
    """What the reader can change about the comparison, and the links that
    change it."""

    matters: list  # the labels of what the reader said matters most
    priority_choices: list  # (value, label, ticked), ticked first, in order
    areas: list  # (area, depth), for the focus
    pair: list  # the two treatments side by side on a narrow screen
    pair_slugs: list  # kept when the reader changes what matters
    other_pairs: list  # (first name, second name, address)
    add_baselines: list  # (baseline, the address with it added)
    links: dict  # this page's address with one thing changed


class ComparisonView(TemplateView):
    """The comparison page: key differences, the table of short answers,
    the timeline, what matters to the reader, the evidence. Subclasses
    find the treatments; `show()` renders them. Each piece of the page is
    worked out once, by a method named for it."""

    template_name = "comparisons/compare.html"

    def show(self, form, treatments, *, title, comparison=None, baselines=()):
        self.form = form
        self.treatments = treatments
        self.comparison = comparison
        self.title = title
        self.baselines = baselines if len(treatments) < MAX_TREATMENTS else []
        shown = [*treatments, *([comparison] if comparison else [])]
        depends_on(self.request, NAMES, *(record(each) for each in shown))
        response = self.render_to_response(self.get_context_data())
        if not all(each.is_published for each in shown):
            # An editor's preview of a draft: no cache may keep it.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        matters = self.form.cleaned_data["matters"]
        return super().get_context_data(
            title=self.title,
            description=self.description(),
            canonical=self.canonical,
            structured_data=self.structured_data(),
            printed_from=self.printed_from(),
            comparison=self.comparison,
            treatments=self.treatments,
            reviewed=self.reviewed,
            focus=self.form.cleaned_data["body_area"],
            table=self.table,
            key_differences=key_differences(self.table, matters),
            summaries=summaries(self.table),
            timeline=build_timeline(self.treatments),
            evidence=assess(self.sources, reviewed=self.reviewed),
            sources=self.sources,
            options=self.options(),
            quality=self.quality(),
            **kwargs,
        )

    # The pieces, each worked out once.

    @cached_property
    def cited(self):
        """Each treatment's sources, {pk: [Source]}, in order of citation."""
        return {t.pk: t.cited_sources() for t in self.treatments}

    @cached_property
    def sources(self):
        """Every source the page cites, each once."""
        return list(dict.fromkeys(s for t in self.treatments for s in self.cited[t.pk]))

    @cached_property
    def pair(self):
        return self.form.side_by_side(self.treatments)

    @cached_property
    def table(self):
        data = self.form.cleaned_data
        return build_table(
            self.treatments,
            pair=self.pair,
            focus=data["body_area"],
            area_tree=self.form.area_tree,
            evidence={t.pk: assess(self.cited[t.pk]) for t in self.treatments},
            matters=data["matters"],
            show=self.form.show,
        )

    @cached_property
    def reviewed(self):
        return review_dates(self.treatments, self.comparison)

    @cached_property
    def canonical(self):
        """One address per set of treatments, whatever the reader's options."""
        if self.comparison:
            return absolute_url(self.request, self.request.path)
        slugs = urlencode([("treatments", t.slug) for t in self.treatments])
        return absolute_url(self.request, f"{self.request.path}?{slugs}")

    def quality(self):
        """About this information, for the treatments compared: from what
        the page loaded, no query."""
        return quality.for_treatments(
            self.treatments,
            sources=self.sources,
            reviewed=self.reviewed,
            offered=self.baselines,
            extra_texts=own_texts(self.comparison),
        )

    def description(self):
        if self.comparison:
            return self.comparison.introduction
        return (
            f"{self.title}, side by side: how they work, sessions, side effects, "
            "recovery and results, from their sources."
        )

    def printed_from(self):
        """What was printed: the page with the options it was shown with."""
        shown = page_query(self.request, self.page_cache_params)
        return absolute_url(
            self.request, self.request.path + (f"?{shown}" if shown else "")
        )

    def structured_data(self):
        return medical_web_page(
            name=self.title,
            url=self.canonical,
            description=None,
            about=[
                treatment_entity(t, absolute_url(self.request, t.get_absolute_url()))
                for t in self.treatments
            ],
            sources=self.sources,
            last_reviewed=self.reviewed.last_reviewed,
            site_name=settings.SITE_NAME,
        )

    def options(self):
        data = self.form.cleaned_data
        labels = dict(PRIORITIES)
        many = len(self.treatments) > 2
        return Options(
            matters=[labels[value] for value in data["matters"]],
            priority_choices=[(value, labels[value], True) for value in data["matters"]]
            + [
                (value, label, False)
                for value, label in PRIORITIES
                if value not in data["matters"]
            ],
            areas=self.form.area_tree.ordered(),
            pair=self.pair,
            pair_slugs=[t.slug for t in self.pair] if many and data["pair"] else [],
            other_pairs=self.other_pairs() if many else [],
            add_baselines=self.add_links(),
            links=self.links(),
        )

    def other_pairs(self):
        """With three or four treatments, the other pairs a reader may set
        side by side, each a link."""
        shown = {t.pk for t in self.pair}
        return [
            (
                called(first),
                mid_sentence(second),
                self.url(pair=[first.slug, second.slug]),
            )
            for index, first in enumerate(self.treatments)
            for second in self.treatments[index + 1 :]
            if {first.pk, second.pk} != shown
        ]

    def links(self):
        """This page's addresses with one thing changed."""
        return {
            # Which rows to show: static/js/compare.js switches them without
            # a reload.
            Show.ALL: self.url(differences=False, gaps=False),
            Show.DIFFERENCES: self.url(differences=True, gaps=False),
            Show.ONE_SIDED: self.url(differences=False, gaps=True),
            "swap": self.url(pair=[t.slug for t in reversed(self.pair)]),
            "share": absolute_url(self.request, self.url(pair=None)),
            "summary": reverse("comparisons:summary")
            + "?"
            + urlencode(
                self.state(treatments=True, pair=None, differences=False, gaps=False)
            ),
        }

    def add_links(self):
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
            for baseline in self.baselines
        ]

    def state(self, *, treatments=False, **changes):
        """The comparison's query string as (name, value) pairs, with
        `changes`: the treatments (for an ad-hoc comparison), the focus,
        what matters, the pair and which rows to show."""
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
        elif data.get("gaps"):
            params.append(("gaps", "1"))
        return params

    def url(self, **changes):
        """This page's address with `changes` to its state."""
        query = urlencode(self.state(treatments=self.comparison is None, **changes))
        return f"{self.request.path}?{query}" if query else self.request.path


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
        valid = form.is_valid()  # also finds what was chosen, and the baselines
        if (
            not (picking or valid)
            and form.has_error("treatments", "unknown")
            and (moved := form.renamed(request))
        ):
            return HttpResponsePermanentRedirect(moved)
        if picking or not valid:
            # While picking, what is not chosen yet is no problem to show.
            return picker(
                request,
                form,
                area_tree=area_tree,
                chosen=form.found,
                baselines=form.baselines,
                problems=not picking,
            )
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
    LEAVES_OUT = {"body-areas", "questions", "evidence"}

    @cached_property
    def table(self):
        return super().table.without(self.LEAVES_OUT)

    def get_context_data(self, **kwargs):
        back = (
            reverse("comparisons:compare")
            + "?"
            + urlencode(self.state(treatments=True))
        )
        return super().get_context_data(back=back, **kwargs)


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
        baselines = [t for t in found.values() if t.is_baseline and t.pk not in ids]
        if not form.is_valid():
            return picker(
                request,
                form,
                area_tree=area_tree,
                chosen=treatments,
                baselines=baselines,
            )
        return self.show(
            form,
            treatments,
            title=comparison.title,
            comparison=comparison,
            baselines=baselines,
        )
