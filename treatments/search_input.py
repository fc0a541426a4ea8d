"""
What people type into a search box, made safe for PostgreSQL's full-text
search (treatments/models/search.py).

websearch_to_tsquery reads `-word` as "not", quotes as a phrase and `or`
as either; it is meant never to fail, but a run of 33 or more minus signs
("tsquery stack too small") did, and the search box was a 500. `fold()`
keeps what the syntax means and drops what it cannot use: runs of minus
signs become one, a minus before no word is dropped, unmatched quotes and
any other punctuation become spaces. Should the database still refuse a
search (not an outage: those stay 503s), the page says it could not
understand it (`read_page`), and shows what it can without it.
"""

import logging
import re

from django.db import DatabaseError

from core.outages import DATABASE_DOWN

logger = logging.getLogger(__name__)

NOT_UNDERSTOOD = (
    "We could not understand that search. Try a word or two from a "
    "treatment’s name or description."
)


def fold(text):
    """`text` as websearch_to_tsquery can always read it."""
    text = re.sub(r'[^\w\s"-]', " ", text)
    text = re.sub(r"-+", "-", text)
    text = re.sub(r"-(?!\w)", " ", text)
    if text.count('"') % 2:
        text = text.replace('"', " ")
    return " ".join(text.split())


def read_page(paginator, number, *, searching):
    """paginator.get_page(number), with its objects read now; None if the
    database refused the search."""
    try:
        page = paginator.get_page(number)
        page.object_list = list(page.object_list)
    except DATABASE_DOWN:
        raise
    except DatabaseError:
        if not searching:
            raise
        logger.warning("A search the database refused", exc_info=True)
        return None
    return page
