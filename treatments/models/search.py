"""
The catalogue's text search.

On PostgreSQL: full-text search of a treatment's name, summary and how it
works (stemmed, so "injections" finds "injection"), ranked with the name
counting most, then trigram similarity on names for misspellings and
half-typed words ("mesotherpy" and "meso" find mesotherapy).

The words live in a narrow table of their own, SearchEntry, so that
counting and ranking thousands of matches reads a few hundred small pages,
not the wide treatment rows: at 10,000 treatments, a word found in most
descriptions took 20 to 50 ms per pass over the treatment table, 4 ms over
this one. Only the page shown is read from the treatments.

On SQLite (the quick start) the table stays empty: a search is a plain
substring match, listed by name.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordDistance,
    TrigramWordSimilarity,
)
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Lookup, Q, When

from ..search_input import fold
from .base import NotContent

# Also written in migration 0015, which builds the words with it.
SEARCH_CONFIG = "english"


def search_query(text):
    # websearch: what people type into a search box ("laser -surgery",
    # quoted phrases), folded first so that PostgreSQL never refuses it
    # (treatments/search_input.py).
    return SearchQuery(fold(text), config=SEARCH_CONFIG, search_type="websearch")


def ranking(text, prefix=""):
    """Annotations that order matches best first (from a treatment, with
    `prefix` "search_entry__"): full-text matches first, by rank (name, then
    summary, then how it works), then names that `text` looks like a
    misspelling of, by likeness."""
    query = search_query(text)
    full_text = Q(**{f"{prefix}vector": query})
    return {
        "full_text": ExpressionWrapper(full_text, output_field=models.BooleanField()),
        "rank": Case(
            When(full_text, then=SearchRank(F(f"{prefix}vector"), query)),
            default=TrigramWordSimilarity(text, f"{prefix}name"),
            output_field=models.FloatField(),
        ),
    }


BEST_FIRST = ("-full_text", "-rank", "name")


class AnyOf(Lookup):
    """`lhs = ANY(array)`: PostgreSQL looks each value of the array up in an
    index, where `IN (subquery)` may compare every row with the subquery."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


# Of the names `text` may be a misspelling of, the closest this many: a
# search costs the same however many names look alike (two letters typed
# are like a thousand names).
SIMILAR_NAMES = 50


class SearchEntryQuerySet(models.QuerySet):
    def matching(self, text):
        """Entries whose words match `text`, or whose name `text` looks like
        a misspelling of.

        Both are answered by an index: the words by a GIN index, the names
        by a GiST trigram index read nearest first (one subquery, turned
        into an array, so that its few rows are looked up by primary key
        rather than every name compared: that cost 10 to 150 ms at 10,000
        treatments).
        """
        similar = (
            self.model.objects.filter(name__trigram_word_similar=text)
            .order_by(TrigramWordDistance(text, "name"))
            .values("pk")[:SIMILAR_NAMES]
        )
        return self.filter(
            Q(vector=search_query(text)) | Q(AnyOf(F("pk"), ArraySubquery(similar)))
        )

    def best_first(self, text):
        return self.annotate(**ranking(text)).order_by(*BEST_FIRST)


class SearchEntry(models.Model):
    """The words of one treatment the catalogue lists (published, not a
    baseline), for the text search. PostgreSQL only.

    Kept by triggers on the treatment table (migration 0015): any insert,
    update or delete of a treatment, from the admin, a fixture, a bulk
    create or update, or plain SQL, adds, refreshes or removes its entry in
    the same transaction. Django never writes here. The table is derived,
    not content: not managed (migration 0015 makes it, and adds the
    triggers on PostgreSQL), and its default manager is empty, so that
    backups (dumpdata) leave it out and a restore rebuilds it. Query it
    through `objects`.
    """

    treatment = models.OneToOneField(
        "treatments.Treatment",
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the triggers remove the entry
        db_constraint=False,
        related_name="search_entry",
    )
    name = models.CharField(max_length=120)  # for misspellings, and ties
    vector = SearchVectorField()  # name (A), summary (B), how it works (C)

    not_content = NotContent()
    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "treatments_searchentry"
        default_manager_name = "not_content"

    def __str__(self):
        return self.name


class SearchResults:
    """The treatments of `treatments` that match `text`, best first, in a
    form Django's Paginator pages: counting and ranking read only the
    search entries; each page's treatments are then loaded with
    `treatments`' own joins and prefetches.

    `within`: a narrowed queryset the matches must also be in (other
    filters); None when `treatments` is the whole catalogue, which is what
    the entries hold, so that the treatments need not be read at all.
    """

    ordered = True  # tells the Paginator that pages are stable

    def __init__(self, treatments, text, *, within=None):
        self.treatments = treatments
        self.text = text
        self.entries = SearchEntry.objects.matching(text)
        if within is not None:
            self.entries = self.entries.filter(treatment_id__in=within.values("pk"))

    def count(self):
        return self.entries.count()

    def count_at_most(self, limit):
        return self.entries[:limit].count()

    def __len__(self):
        return self.count()

    def __getitem__(self, page):
        if not isinstance(page, slice):
            raise TypeError("SearchResults are read a page (a slice) at a time")
        shown = self.entries.best_first(self.text).values("treatment_id")[page]
        return (
            self.treatments.filter(pk__in=shown)
            .annotate(**ranking(self.text, prefix="search_entry__"))
            .order_by(*BEST_FIRST)
        )
