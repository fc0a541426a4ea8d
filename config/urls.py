from django.contrib import admin
from django.urls import include, path

from comparisons.sitemaps import ComparisonSitemap
from core.admin import LoginForm
from core.views import healthz
from editorial.admin import reading_age_view
from editorial.feeds import ChangesFeed
from editorial.previews import preview_link
from pages import views as pages
from pages.sitemaps import HomeSitemap
from treatments.sitemaps import CatalogueSitemap, TreatmentSitemap

admin.site.site_header = "Side by Side: editors"
admin.site.site_title = "Side by Side editors"
admin.site.index_title = "Catalogue content"
admin.site.login_form = LoginForm

# /sitemap.xml: each app's own sitemaps.py.
SITEMAPS = {
    "home": HomeSitemap,
    "catalogue": CatalogueSitemap,
    "treatments": TreatmentSitemap,
    "comparisons": ComparisonSitemap,
}

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", pages.favicon),
    path("robots.txt", pages.robots_txt),
    path("sitemap.xml", pages.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("changes/feed/", ChangesFeed(), name="changes-feed"),
    path("preview/<str:token>/", preview_link, name="preview-link"),
    path("treatments/", include("treatments.urls")),
    path("compare/", include("comparisons.urls")),
    path("api/v1/", include("api.urls")),
    # The reading age of a text as an editor types it (editorial/admin.py).
    path(
        "admin/reading-age/",
        admin.site.admin_view(reading_age_view),
        name="reading-age",
    ),
    path("admin/", admin.site.urls),
]
