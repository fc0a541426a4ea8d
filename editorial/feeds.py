"""The Atom feed of public changes: every change note on published content,
newest first (editorial/changes.py). Public, and cached like any public page."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from core.cachekeys import cached_on
from core.scopes import LISTS, depends_on
from core.text import without_controls

from .changes import ChangeNote

FEED_ITEMS = 50


def on_site(path):
    """On DJANGO_SITE_URL when set. Otherwise the path, which the framework
    puts on the request's host; the page cache then keys the feed by host
    too (core/cachekeys.py), so no request plants an address for others."""
    return settings.SITE_URL + path if settings.SITE_URL else path


@cached_on()
class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: what changed"
    subtitle = (
        "Changes to the treatments and comparisons on "
        f"{settings.SITE_NAME}, as its editors describe them."
    )
    # Atom wants an author: the site, never an editor's name.
    author_name = settings.SITE_NAME

    def link(self):
        return on_site(reverse("home"))

    def feed_url(self):
        return on_site(reverse("changes-feed"))

    def get_object(self, request, *args, **kwargs):
        depends_on(request, LISTS)  # the page cache: core/scopes.py

    def items(self):
        return ChangeNote.objects.for_feed()[:FEED_ITEMS]

    # Notes are plain text. Atom's summary is HTML (Django's feed says
    # type="html"), so it is escaped: a note holding a link or an image
    # reaches feed readers as the words typed, not as markup. Control
    # characters, which XML cannot carry, are dropped (saving drops them
    # too, core/text.py; this covers anything stored before).

    def item_title(self, note):
        return without_controls(f"{note.record}: {note.text}")

    def item_description(self, note):
        return escape(without_controls(note.text))

    def item_link(self, note):
        return on_site(note.get_absolute_url())

    def item_pubdate(self, note):
        return note.created

    def item_updateddate(self, note):
        return note.created
