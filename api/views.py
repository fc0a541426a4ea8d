"""
The content API's views: read-only, open to anyone, published content only.

Each is cached as a page is (core/cache/): it says which query
parameters it reads (`cached_on`) and what content it shows
(`depends_on`), so it gets an ETag, is served from the page cache while
nothing it shows has changed, and goes cold when an edit touches it.
Every response may be read from any origin (`Access-Control-Allow-Origin:
*`) and says under which licence the content is offered.
"""

from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView
from django_filters.filters import BaseCSVFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, generics
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from comparisons.forms import ComparisonForm
from comparisons.models import MIN_TREATMENTS, Comparison
from comparisons.views import review_dates, title_for
from core.cache import LISTS, absolute_url, cached_on, depends_on, record
from editorial.changes import ChangeNote
from treatments.areas import AreaTree
from treatments.evidence import assess
from treatments.filters import TreatmentFilter
from treatments.models import Source, Treatment

from . import comparing
from .pagination import PAGE_PARAMS, Pages
from .problems import licence, open_to_all
from .reference import reference
from .serializers import (
    BodyAreaSerializer,
    BodyAreaTreeSerializer,
    ChangeNoteSerializer,
    ComparisonSerializer,
    ComparisonSummarySerializer,
    SourceSerializer,
    TreatmentSerializer,
    TreatmentSummarySerializer,
)


def shows(request, *scopes):
    """`depends_on` for a DRF view: the page cache reads what a page shows
    from Django's request, which DRF's Request wraps."""
    depends_on(getattr(request, "_request", request), *scopes)


class JsonOnly(BaseContentNegotiation):
    """JSON whatever the Accept header says: the page cache keeps one copy
    of each response, served to every client."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiView(APIView):
    content_negotiation_class = JsonOnly
    http_method_names = ["get", "head", "options"]

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and isinstance(response.data, dict):
            response.data = {**response.data, **licence()}
        return open_to_all(
            super().finalize_response(request, response, *args, **kwargs)
        )

    def options(self, request, *args, **kwargs):
        """A browser's preflight: GET from anywhere, with conditional
        headers."""
        response = Response(status=204)
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response["Access-Control-Max-Age"] = "86400"
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response


class CatalogueFilterBackend(DjangoFilterBackend):
    """The catalogue page's own FilterSet: a filter it cannot use is a 400
    that names it (api/problems.py). An empty value is no value (?q=&body_area=
    is the whole catalogue), as the schema says."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        for name in list(data):
            data.setlist(name, [value for value in data.getlist(name) if value])
        kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request, queryset, view):
        """A comma-separated value with an empty item in it (?sort=name,) is
        refused; the FilterSet would drop the empty item."""
        filterset_class = self.get_filterset_class(view, queryset)
        for name, field in filterset_class.base_filters.items():
            if not isinstance(field, BaseCSVFilter):
                continue
            for value in request.query_params.getlist(name):
                if value and "" in value.split(","):
                    raise exceptions.ValidationError(
                        {name: [f"“{value}” has an empty item between its commas."]}
                    )
        return super().filter_queryset(request, queryset, view)


# Treatments


@cached_on(*TreatmentFilter.base_filters, *PAGE_PARAMS)
class TreatmentList(ApiView, generics.ListAPIView):
    """The catalogue: published treatments, filtered as the catalogue page
    filters them (the same FilterSet: body area with the body-area rule,
    search, invasiveness, anaesthesia, most sessions, sort), a page at a
    time."""

    serializer_class = TreatmentSummarySerializer
    filter_backends = [CatalogueFilterBackend]
    filterset_class = TreatmentFilter
    pagination_class = Pages

    def get_queryset(self):
        shows(self.request, LISTS)
        return Treatment.objects.catalogue().for_list()


@cached_on()
class TreatmentDetail(ApiView):
    """A published treatment with every fact its page shows, each with its
    citation; its evidence, sources, review dates and public change notes."""

    @extend_schema(responses=TreatmentSerializer)
    def get(self, request, slug):
        treatment = Treatment.objects.published().for_detail().filter(slug=slug).first()
        if treatment is None:
            raise Http404(f"We have no published treatment called “{slug}”.")
        shows(request, record(treatment))
        evidence = assess(treatment.cited_sources(), reviewed=treatment)
        context = {"request": request, "evidence": evidence}
        return Response(TreatmentSerializer(treatment, context=context).data)


# Body areas and sources


@cached_on()
class BodyAreaTree(ApiView):
    """Every body area, as a tree: the areas inside each, and how many
    catalogue treatments a filter on it finds (the body-area rule)."""

    @extend_schema(responses=BodyAreaTreeSerializer)
    def get(self, request):
        shows(request, LISTS)  # the counts
        tree = AreaTree.load()
        context = {"request": request, "tree": tree}
        roots = tree.children.get(None, [])
        return Response(
            {"results": BodyAreaSerializer(roots, many=True, context=context).data}
        )


@cached_on(*PAGE_PARAMS)
class SourceList(ApiView, generics.ListAPIView):
    """The sources that published content cites, by title."""

    serializer_class = SourceSerializer
    pagination_class = Pages

    def get_queryset(self):
        shows(self.request, LISTS)  # which are cited follows publishing
        return Source.objects.cited_by_published()


# Comparisons


@cached_on(*PAGE_PARAMS)
class ComparisonList(ApiView, generics.ListAPIView):
    """The curated comparisons, by title."""

    serializer_class = ComparisonSummarySerializer
    pagination_class = Pages

    def get_queryset(self):
        shows(self.request, LISTS)
        return Comparison.objects.published().for_page()


def shown(request, comparison, treatments, *, url, title, area_tree=None):
    """The comparison's data, and what its cached copy shows."""
    shows(request, *(record(shown) for shown in [*treatments, comparison] if shown))
    data = comparing.compare(
        treatments,
        area_tree or AreaTree.load(),
        reviewed=review_dates(treatments, comparison),
    )
    return Response(
        ComparisonSerializer(
            {"comparison": comparison, "title": title, "url": url, **data},
            context={"request": request},
        ).data
    )


@cached_on()
class ComparisonDetail(ApiView):
    """A curated comparison: its treatments and their key differences."""

    @extend_schema(responses=ComparisonSerializer)
    def get(self, request, slug):
        comparison = Comparison.objects.published().for_page().filter(slug=slug).first()
        if comparison is None:
            raise Http404(f"We have no published comparison called “{slug}”.")
        ids = [item.treatment_id for item in comparison.items.all()]
        found = {
            t.pk: t
            for t in Treatment.objects.published().for_comparison().filter(pk__in=ids)
        }
        treatments = [found[pk] for pk in ids if pk in found]
        if len(treatments) < MIN_TREATMENTS:
            raise Http404("This comparison has too few treatments to show.")
        return shown(
            request,
            comparison,
            treatments,
            url=absolute_url(request, comparison.get_absolute_url()),
            title=comparison.title,
        )


@cached_on("treatments")
class AdHocComparison(ApiView):
    """Any 2 to 4 published treatments, side by side: their key
    differences, as the comparison page words them."""

    @extend_schema(parameters=[comparing.TREATMENTS], responses=ComparisonSerializer)
    def get(self, request):
        data = QueryDict(mutable=True)
        data.setlist("treatments", request.query_params.getlist("treatments"))
        area_tree = AreaTree.load()
        form = ComparisonForm(
            data,
            treatments=Treatment.objects.published().for_comparison(),
            area_tree=area_tree,
        )
        if not form.is_valid():
            errors = {"treatments": form.errors["treatments"]}
            if form.status == 404:
                raise comparing.UnknownTreatment(errors)
            raise exceptions.ValidationError(errors)
        treatments = form.cleaned_data["treatments"]
        slugs = urlencode([("treatments", t.slug) for t in treatments])
        return shown(
            request,
            None,
            treatments,
            url=absolute_url(request, f"{reverse('comparisons:compare')}?{slugs}"),
            title=title_for(treatments),
            area_tree=area_tree,
        )


# What changed


@cached_on(*PAGE_PARAMS)
class ChangeList(ApiView, generics.ListAPIView):
    """Public notes of what changed on published treatments and
    comparisons, newest first (the Atom feed's notes)."""

    serializer_class = ChangeNoteSerializer
    pagination_class = Pages

    def get_queryset(self):
        shows(self.request, LISTS)
        return ChangeNote.objects.for_feed()


# The schema and its docs page


@cached_on()
class Schema(SpectacularAPIView):
    """The OpenAPI 3 schema of this API (its licence is in `info`)."""

    renderer_classes = [OpenApiJsonRenderer]
    content_negotiation_class = JsonOnly
    http_method_names = ["get", "head"]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        shows(request)  # the body areas, which the filters list
        return self._get_schema_response(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Disposition"] = 'inline; filename="openapi.json"'
        return open_to_all(response)


@cached_on()
class Docs(TemplateView):
    """The API's reference for people, from its schema (api/reference.py)."""

    template_name = "api/docs.html"

    def get(self, request, *args, **kwargs):
        depends_on(request)  # the body areas, which the filters list
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            schema_url=reverse("api:schema"),
            licence=licence(),
            **reference(),
            **kwargs,
        )
