"""
Pages of treatments that never count more than they must (issue 20).

A page of the catalogue says how many treatments it lists. Counting them
reads every match, and on PostgreSQL the wide treatment rows themselves
wherever the visibility map is not up to date (after a catalogue has grown
or been edited, until autovacuum has been by): 10 to 25 ms at 10,000
treatments, when one body area holds most of them. So:

- the whole catalogue's count, and each body area's, are stored
  (CatalogueCount, BodyArea.treatment_count: treatments/areas.py) and read
  as they are, exact;
- any other count (filters combined, a search) is counted only up to
  COUNT_UP_TO matches, or to the end of the page asked for: past that,
  the page says "more than 100", which costs the same however many
  treatments match.
"""

from functools import cached_property

from django.core.paginator import Paginator

# Past this many matches, a page says "more than" this many.
COUNT_UP_TO = 100
# A page number past this is taken as this one: the count it asks for
# stays a number the database can take.
LAST_PAGE_COUNTED = 10_000


def asked_page(number):
    """The page number a visitor asked for, as a whole number from 1."""
    try:
        return min(max(1, int(number)), LAST_PAGE_COUNTED)
    except (TypeError, ValueError):
        return 1


class CataloguePaginator(Paginator):
    """A Paginator that reads a stored count, or counts only what it must.

    stored: how many there are (a stored count); else, given the page
    number `asked`, it counts the matches up to COUNT_UP_TO or to the end of
    that page, and one more: if that one is there, `more_than` is the
    figure counted up to and `count` is one more (a lower bound). Without
    either it counts them all, as Django's Paginator does.
    """

    def __init__(self, object_list, per_page, *, stored=None, asked=None):
        super().__init__(object_list, per_page)
        self.stored = stored
        self.up_to = None if asked is None else max(COUNT_UP_TO, asked * per_page)
        self.more_than = None

    @cached_property
    def count(self):
        if self.stored is not None:
            return self.stored
        if self.up_to is None:
            return super().count
        counted = self.object_list.count_at_most(self.up_to + 1)
        if counted > self.up_to:
            self.more_than = self.up_to
        return counted

    def page(self, number):
        """The page, as many as it holds: a stored count that lags a
        moment behind an edit shortens no page."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(
            self.object_list[bottom : bottom + self.per_page], number, self
        )
