"""/api/v1/: the read-only content API (docs/api.md). A later version that
changes what a field means gets /api/v2/; this one stays as it is."""

from django.urls import path, re_path

from . import problems, views

app_name = "api"
urlpatterns = [
    path("treatments/", views.TreatmentList.as_view(), name="treatments"),
    path("treatments/<slug:slug>/", views.TreatmentDetail.as_view(), name="treatment"),
    path("body-areas/", views.BodyAreaTree.as_view(), name="body-areas"),
    path("sources/", views.SourceList.as_view(), name="sources"),
    path("comparisons/", views.ComparisonList.as_view(), name="comparisons"),
    path(
        "comparisons/<slug:slug>/",
        views.ComparisonDetail.as_view(),
        name="comparison",
    ),
    path("compare/", views.AdHocComparison.as_view(), name="compare"),
    path("changes/", views.ChangeList.as_view(), name="changes"),
    path("openapi.json", views.Schema.as_view(), name="schema"),
    path("docs/", views.Docs.as_view(), name="docs"),
    # Anything else under /api/v1/: a problem, not the site's HTML 404.
    re_path(r"^(?P<rest>[\s\S]*)$", problems.not_found),
]
