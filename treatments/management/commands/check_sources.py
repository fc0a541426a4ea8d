"""
Check that each source's address still answers.

One GET per source (no HEAD first: some servers refuse HEAD), redirects
followed, a timeout on each; the final status, or why there was none, and
when, are recorded on the source. The admin's list of sources flags the
broken ones. Run it from cron, daily or weekly:

    python manage.py check_sources

The results are written with QuerySet.update(): a check is not an edit, so
it neither enters the history nor changes the content version (no page
shows it).
"""

import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from treatments.models import Source

USER_AGENT = f"{settings.SITE_NAME} source checker (python urllib)"


def check(url, timeout):
    """(status, error): the final HTTP status after redirects, or None and
    why there was none."""
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        error.close()
        if error.code < 400:  # urllib gave up following redirects
            return None, f"too many redirects ({error.code})"
        return error.code, str(error.reason)[:300]
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return None, f"no answer within {timeout:g} seconds"
        return None, str(reason)[:300]
    except TimeoutError:
        return None, f"no answer within {timeout:g} seconds"
    except (OSError, ValueError) as error:
        return None, str(error)[:300]


class Command(BaseCommand):
    help = "Fetch each source's address and record whether it answers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=15,
            help="Seconds to wait for each address (default 15).",
        )

    def handle(self, *args, timeout, **options):
        broken = 0
        sources = Source.objects.exclude(url="").order_by("title")
        for source in sources:
            status, error = check(source.url, timeout)
            Source.objects.filter(pk=source.pk).update(
                link_status=status, link_error=error, link_checked_at=timezone.now()
            )
            works = status is not None and status < 400
            broken += not works
            self.stdout.write(
                f"{'ok' if works else 'BROKEN'} {status or '-'} {source.title} "
                f"<{source.url}>{'' if works else f': {error}'}"
            )
        self.stdout.write(f"{len(sources)} sources checked, {broken} broken.")
