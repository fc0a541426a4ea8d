from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Content API"

    def ready(self):
        # drf-spectacular finds the schema's extensions once imported.
        from . import schema  # noqa: F401
