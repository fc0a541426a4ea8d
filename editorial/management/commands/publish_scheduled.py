"""
Publish and unpublish what publishers scheduled, once it is due.

Run it every minute from cron (docs/editing.md):

    * * * * * cd /srv/site && .venv/bin/python manage.py publish_scheduled

Each publication is the one a publisher would make on the review page
(editorial/review.py): the version applied through the models' save, in a
transaction of its own, as a revision of the history with its change
note; the page cache hears of it as of any save. A page scheduled to be
unpublished goes back to draft the same way. What fails is reported and
the rest still runs; run again, it is tried again. Running it twice at
once is harmless: each publication locks its record, and what one run has
published the other finds done.
"""

import logging

from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone

from editorial import review
from editorial.changes import publishable_models
from editorial.pending import PendingVersion
from editorial.publishing import Status

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Publish and unpublish what is scheduled, once it is due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what is due without publishing anything.",
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        failed = 0
        for pending in PendingVersion.objects.due(now).select_related("content_type"):
            record = pending.record
            if record is None:
                continue
            if dry_run:
                self.stdout.write(
                    f"Due: {record} ({pending.publish_at:%Y-%m-%d %H:%M})"
                )
                continue
            try:
                review.publish(
                    record, user=None, pending=pending, reviewed=pending.mark_reviewed
                )
            except (DatabaseError, ValueError) as error:
                failed += 1
                logger.exception("Could not publish %s as scheduled", record)
                self.stderr.write(f"Not published: {record}: {error}")
                continue
            self.stdout.write(f"Published: {record}")
        for model in publishable_models():
            due = model.objects.filter(
                status=Status.PUBLISHED, unpublish_at__lte=now
            ).order_by("unpublish_at", "pk")
            for record in due:
                if dry_run:
                    self.stdout.write(
                        f"Due to be unpublished: {record} "
                        f"({record.unpublish_at:%Y-%m-%d %H:%M})"
                    )
                    continue
                try:
                    review.unpublish(record, user=None)
                except (DatabaseError, ValueError) as error:
                    failed += 1
                    logger.exception("Could not unpublish %s as scheduled", record)
                    self.stderr.write(f"Not unpublished: {record}: {error}")
                    continue
                self.stdout.write(f"Unpublished: {record}")
        if failed:
            raise SystemExit(1)
