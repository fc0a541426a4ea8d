from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        from core.cache import watch
        from core.text import tidy_on_save

        watch(self)
        tidy_on_save(self)
