import time

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from core.cache import purge
from core.cache.keys import checked


class Command(BaseCommand):
    help = (
        "Purge the front caches in FRONT_CACHE_URLS of what content changes "
        "still owe them (run it from cron: a purge that failed is sent again), "
        "of every page (--all, after a deploy), or of the keys given."
    )

    def add_arguments(self, parser):
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--all", action="store_true", help="every page of the site")
        what.add_argument(
            "--key",
            action="append",
            default=[],
            metavar="KEY",
            help="a surrogate key, such as treatments.treatment:12 (repeatable)",
        )

    def handle(self, *args, all=False, key=(), **options):
        if not settings.FRONT_CACHE_URLS:
            self.stdout.write(
                "No front caches (FRONT_CACHE_URLS is empty): nothing to do."
            )
            return
        caches = purge.front_caches()
        if all or key:
            try:
                keys = [purge.ALL] if all else [checked(k) for k in key]
            except ValueError as error:
                raise CommandError(error) from None
            errors = purge.purge(caches, keys)
        else:
            keys, errors = self.owed()
        if errors:
            raise CommandError("Purges failed: " + "; ".join(errors))
        self.stdout.write(
            f"Purged {len(keys)} keys from {len(caches)} front caches."
            if keys
            else "Nothing owed to the front caches."
        )

    def owed(self):
        """What is owed, tried again as the background sender does."""
        for delay in (*settings.FRONT_CACHE_RETRY_SECONDS, None):
            keys, errors = purge.send_owed()
            if not errors or delay is None:
                return keys, errors
            time.sleep(delay)
