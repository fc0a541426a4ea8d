from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

# Shared records first, so a reader of the fixtures meets them in that order;
# loaddata resolves natural keys across the whole call either way.
SHARED = ["sources", "body_areas", "effects", "conditions"]


def fixture_names():
    """The shared fixtures, then every other JSON fixture, by name."""
    others = sorted(
        {
            path.stem
            for directory in settings.FIXTURE_DIRS
            for path in Path(directory).glob("*.json")
        }
        - set(SHARED)
    )
    return [*SHARED, *others]


class Command(BaseCommand):
    help = (
        "Load the site's content from fixtures/ (every JSON file there). "
        "Records are matched by natural key, so running it again changes "
        "nothing; it does overwrite edits made since to the same records."
    )

    def handle(self, *args, **options):
        # loaddata runs in one transaction and raises on any broken fixture.
        call_command("loaddata", *fixture_names(), verbosity=options["verbosity"])
