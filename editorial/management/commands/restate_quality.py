"""
Work out again the lines of "About this information" that each treatment
and comparison fails, as stored for "Needs attention" (treatments/
attention.py, editorial/attention.py):

    python manage.py restate_quality            # every page
    python manage.py restate_quality --unknown  # those not worked out yet

Saves keep them up to date; run it after a release that changes how a
report is worked out (a new line, another reading-age target), or from
cron to be sure. About 200 pages a batch, in a fixed number of queries
each; pages are not changed, only their stored lines.
"""

from django.core.management.base import BaseCommand

from editorial.attention import restate, restating_models


class Command(BaseCommand):
    help = "Work out again the lines of “About this information” pages fail."

    def add_arguments(self, parser):
        parser.add_argument(
            "--unknown",
            action="store_true",
            help="Only the pages whose lines are not worked out yet.",
        )

    def handle(self, *args, unknown, **options):
        for model in restating_models():
            changed = restate(model, unknown_only=unknown)
            self.stdout.write(
                f"{model._meta.verbose_name_plural.capitalize()}: {changed} changed."
            )
