from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.generic import View

from treatments.models import BodyArea, Treatment
from treatments.structured_data import medical_web_page, treatment_entity

from .models import MAX_TREATMENTS, MIN_TREATMENTS, Comparison
from .table import build_groups
from .timeline import build_timeline

TRUE_VALUES = {"1", "true", "yes", "on"}


def visible_treatments(request):
    """What this visitor may compare: published treatments, or all for staff."""
    treatments = Treatment.objects.all()
    return treatments if request.user.is_staff else treatments.published()


class ComparisonPageMixin:
    """Shared by the ad-hoc and the curated comparison pages."""

    template_name = "comparisons/compare.html"

    def render_comparison(self, request, treatments, focus_slug, *, title, comparison):
        """The comparison page; `comparison` is the curated one, or None."""
        area_tree = BodyArea.objects.tree()
        focus = None
        if focus_slug:
            focus = next((a for a in area_tree.areas if a.slug == focus_slug), None)
            if focus is None:
                return self.problem(
                    request,
                    [f"We have no body area called “{focus_slug}”."],
                    status=404,
                    chosen=[t.slug for t in treatments],
                )
        groups = build_groups(treatments, focus, area_tree)
        rows = [row for group in groups for row in group.rows]
        focus_row = next((row for row in rows if row.kind == "focus"), None)
        slugs = [t.slug for t in treatments]
        canonical = request.build_absolute_uri(
            request.path + ("" if comparison else "?" + self.adhoc_query(slugs, None))
        )
        return render(
            request,
            self.template_name,
            {
                "title": title,
                "comparison": comparison,
                "canonical": canonical,
                "description": (
                    comparison.introduction
                    if comparison
                    else f"{title}, side by side: how they work, sessions, side "
                    "effects, recovery and results, from their sources."
                ),
                "structured_data": self.structured_data(
                    request, treatments, title, canonical, comparison
                ),
                "treatments": treatments,
                "groups": groups,
                "differences": request.GET.get("differences", "").lower()
                in TRUE_VALUES,
                "differing_rows": sum(row.differs for row in rows),
                "same_rows": sum(not row.differs for row in rows),
                "focus": focus,
                "focus_answers": (
                    list(zip(treatments, focus_row.cells, strict=True))
                    if focus_row
                    else []
                ),
                "areas": area_tree.ordered(),
                "timeline": build_timeline(treatments),
                "baselines": self.baselines_to_add(request, slugs),
                "adhoc_query": self.adhoc_query(slugs, focus),
            },
        )

    @staticmethod
    def baselines_to_add(request, slugs):
        """The "no treatment" baselines not yet compared, while there is room.

        Queried even when there is no room, so that comparing four costs
        what comparing two does.
        """
        baselines = visible_treatments(request).filter(is_baseline=True)
        addable = [b for b in baselines.only("name", "slug") if b.slug not in slugs]
        return addable if len(slugs) < MAX_TREATMENTS else []

    @staticmethod
    def structured_data(request, treatments, title, canonical, comparison):
        return medical_web_page(
            name=title,
            url=canonical,
            description=None,
            about=[
                treatment_entity(t, request.build_absolute_uri(t.get_absolute_url()))
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
    def adhoc_query(slugs, focus):
        params = [("treatments", slug) for slug in slugs]
        if focus is not None:
            params.append(("body_area", focus.slug))
        return urlencode(params)

    def problem(self, request, problems, status, chosen=()):
        return render(
            request,
            "comparisons/compare_problem.html",
            {
                "problems": problems,
                "choices": Treatment.objects.published()
                .order_by("is_baseline", "name")
                .only("name", "slug", "is_baseline"),
                "chosen": set(chosen),
                "areas": BodyArea.objects.tree().ordered(),
                "min": MIN_TREATMENTS,
                "max": MAX_TREATMENTS,
            },
            status=status,
        )


class AdHocComparisonView(ComparisonPageMixin, View):
    """/compare/?treatments=a&treatments=b: the URL is the whole state."""

    def get(self, request):
        if "treatments" not in request.GET:
            # The bare address is where a visitor starts: the picker, no error.
            return self.problem(request, [], status=200)
        # A repeated slug is simply dropped; order is kept.
        slugs = list(
            dict.fromkeys(
                s.strip() for s in request.GET.getlist("treatments") if s.strip()
            )
        )
        # No slug holds a NUL byte, and PostgreSQL refuses one in a query.
        searchable = [slug for slug in slugs if "\x00" not in slug]
        found = {
            t.slug: t
            for t in visible_treatments(request)
            .for_comparison()
            .filter(slug__in=searchable)
        }
        problems = []
        unknown = [slug for slug in slugs if slug not in found]
        for slug in unknown:
            problems.append(f"We have no treatment called “{slug}”.")
        if len(slugs) < MIN_TREATMENTS:
            problems.append(
                f"Choose at least {MIN_TREATMENTS} treatments to compare; "
                f"you chose {len(slugs)}."
            )
        elif len(slugs) > MAX_TREATMENTS:
            problems.append(
                f"Choose at most {MAX_TREATMENTS} treatments to compare; "
                f"you chose {len(slugs)}."
            )
        if problems:
            return self.problem(
                request,
                problems,
                status=404 if unknown else 400,
                chosen=[slug for slug in slugs if slug in found],
            )
        treatments = [found[slug] for slug in slugs]
        names = [t.name for t in treatments]
        title = f"{', '.join(names[:-1])} and {names[-1]} compared"
        return self.render_comparison(
            request,
            treatments,
            request.GET.get("body_area", "").strip(),
            title=title,
            comparison=None,
        )


class CuratedComparisonView(ComparisonPageMixin, View):
    def get(self, request, slug):
        comparisons = Comparison.objects.for_page()
        if not request.user.is_staff:
            comparisons = comparisons.published()
        comparison = get_object_or_404(comparisons, slug=slug)
        ids = [item.treatment_id for item in comparison.items.all()]
        by_id = {t.pk: t for t in Treatment.objects.for_comparison().filter(pk__in=ids)}
        treatments = [by_id[pk] for pk in ids if pk in by_id]
        if len(treatments) < MIN_TREATMENTS:
            raise Http404("This comparison has too few treatments to show.")
        focus = comparison.focus_area.slug if comparison.focus_area_id else ""
        return self.render_comparison(
            request,
            treatments,
            request.GET.get("body_area", "").strip() or focus,
            title=comparison.title,
            comparison=comparison,
        )
