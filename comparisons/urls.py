from django.urls import path

from . import views

app_name = "comparisons"
urlpatterns = [
    path("", views.AdHocComparisonView.as_view(), name="compare"),
    path("<slug:slug>/", views.CuratedComparisonView.as_view(), name="curated"),
]
