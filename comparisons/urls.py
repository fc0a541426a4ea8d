from django.urls import path

from . import views

app_name = "comparisons"
urlpatterns = [
    path("", views.AdHocComparisonView.as_view(), name="compare"),
    # Before the curated comparisons, whose slugs may not be "summary" or
    # "ready-made" (models.RESERVED_SLUGS).
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("ready-made/", views.ready_made, name="ready-made"),
    path("<slug:slug>/", views.CuratedComparisonView.as_view(), name="curated"),
]
