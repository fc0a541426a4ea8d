from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    # What the editors' groups may do with these records (editorial/groups.py).
    editors_may_edit = ["comparison", "comparisonitem"]
    publishers_may = ["publish_comparison"]
    # Each fixture record's natural key, as the fixture writes it
    # (core/seeding.py).
    natural_key_fields = {
        "comparison": ["slug"],
        "comparisonitem": ["comparison", "position"],
    }

    def ready(self):
        from core.caching import watch
        from core.text import tidy_on_save

        watch(self)
        tidy_on_save(self)
