from django.contrib import admin
from django.urls import include, path

from core import views
from core.admin import LoginForm
from core.feeds import ChangesFeed

admin.site.site_header = "Side by Side: editors"
admin.site.site_title = "Side by Side editors"
admin.site.index_title = "Catalogue content"
admin.site.login_form = LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("robots.txt", views.robots_txt),
    path("changes/feed/", ChangesFeed(), name="changes-feed"),
    path("treatments/", include("treatments.urls")),
    path("compare/", include("comparisons.urls")),
    path("admin/", admin.site.urls),
]
