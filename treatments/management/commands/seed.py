from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

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
        call_command("loaddata", *fixture_names(), verbosity=options["verbosity"])
