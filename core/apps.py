from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The site's machinery, beside the content apps: what seeds the content
    from fixtures/ and remembers what it loaded."""

    name = "core"
    verbose_name = "Site"
