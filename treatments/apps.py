from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = "Treatment catalogue"

    def ready(self):
        from core.caching import watch
        from core.text import tidy_on_save

        watch(self)
        tidy_on_save(self)
