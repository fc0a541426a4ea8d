from django.contrib import admin
from django.urls import include, path

from core.admin import LoginForm
from core.views import healthz
from editorial.feeds import ChangesFeed
from pages import views as pages

admin.site.site_header = "Side by Side: editors"
admin.site.site_title = "Side by Side editors"
admin.site.index_title = "Catalogue content"
admin.site.login_form = LoginForm

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", pages.favicon),
    path("robots.txt", pages.robots_txt),
    path("changes/feed/", ChangesFeed(), name="changes-feed"),
    path("treatments/", include("treatments.urls")),
    path("compare/", include("comparisons.urls")),
    path("admin/", admin.site.urls),
]
