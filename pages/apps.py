from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The site's own pages that belong to no content app: the home page,
    which leads into the catalogue and the comparisons, and robots.txt."""

    name = "pages"
    verbose_name = "Pages"
