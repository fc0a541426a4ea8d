from pathlib import Path

import reversion
from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

# What others refer to comes first, and comparisons, which refer to
# treatments, last: a natural foreign key must name a record already loaded.
FIRST = ["sources", "body_areas", "effects", "conditions"]
LAST = ["comparisons"]


def fixture_names():
    """The shared fixtures, every treatment's fixture by name, comparisons."""
    treatments = sorted(
        {
            path.stem
            for directory in settings.FIXTURE_DIRS
            for path in Path(directory).glob("*.json")
        }
        - {*FIRST, *LAST}
    )
    return [*FIRST, *treatments, *LAST]


class Command(BaseCommand):
    help = (
        "Load the site's content from fixtures/ (every JSON file there). "
        "Records are matched by natural key, so running it again changes "
        "nothing; it does overwrite edits made since to the same records."
    )

    def handle(self, *args, **options):
        # loaddata runs in one transaction and raises on any broken fixture.
        # The load is one revision in the content's history, like an edit:
        # a snapshot of every record, added once each after the load (adding
        # on each save would walk each treatment's followed facts again and
        # again).
        with transaction.atomic(), reversion.create_revision(manage_manually=True):
            reversion.set_comment("Loaded from fixtures/ by manage.py seed")
            call_command("loaddata", *fixture_names(), verbosity=options["verbosity"])
            for model in reversion.get_registered_models():
                for record in model._default_manager.all():
                    reversion.add_to_revision(record)
