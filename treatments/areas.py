"""
Body areas as a tree: which areas sit inside which, and so which areas a
filter on one area takes in.

The body-area rule, used wherever the site asks "is this treatment for that
area?" (the catalogue's filter and its counts, a comparison's focus, "compare
with", the home page's area links): see AreaTree.matching_ids().

Each area's count of catalogue treatments follows the same rule. It is
stored on the area (BodyArea.treatment_count), with the catalogue's total
(CatalogueCount), and recounted once per transaction that changes the
catalogue or its areas (recount_after_commit(), called from
treatments/apps.py), so that pages read these numbers instead of counting
the catalogue on every request.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction

from core.cache import LISTS, ContentVersion
from core.text import and_list

from .models import BodyArea, CatalogueCount, TreatedArea, Treatment


@dataclass
class AreaMatch:
    """How a treatment's own areas answer a search for some areas.

    `named` are the searched areas its source names; `inner`, areas inside
    them that it names (the legs include the thighs); `wider`, areas they
    sit inside (a source that names the legs speaks of the thighs too):
    pages mark a treatment found only that way "its source says: legs".
    """

    named: list = field(default_factory=list)
    inner: list = field(default_factory=list)
    wider: list = field(default_factory=list)

    @property
    def found(self):
        return bool(self.named or self.inner or self.wider)

    @property
    def only_through_wider(self):
        return bool(self.wider) and not (self.named or self.inner)

    @property
    def source_says(self):
        """ "legs", or "legs and back": the wider areas its source names."""
        return and_list(area.name.lower() for area in self.wider)


class AreaTree:
    """Body areas as a tree, built from one query."""

    @classmethod
    def load(cls):
        """Every area, with its stored treatment count, in one query."""
        return cls(BodyArea.objects.order_by("name"))

    def __init__(self, areas):
        self.areas = list(areas)
        self.by_id = {area.pk: area for area in self.areas}
        self.children = {}
        for area in self.areas:
            self.children.setdefault(area.parent_id, []).append(area)

    def ordered(self):
        """(area, depth) pairs, depth first, each level by name."""
        result, seen = [], set()

        def walk(parent_id, depth):
            for area in self.children.get(parent_id, []):
                if area.pk not in seen:
                    seen.add(area.pk)
                    result.append((area, depth))
                    walk(area.pk, depth + 1)

        walk(None, 0)
        return result

    def count_treatments(self, links):
        """{area id: how many distinct treatments match the area}, from
        (area id, treatment id) pairs."""
        by_area = {}
        for area_id, treatment_id in links:
            by_area.setdefault(area_id, set()).add(treatment_id)
        counts = {}
        for area in self.areas:
            treatments = set()
            for area_id in self.matching_ids([area.pk]):
                treatments |= by_area.get(area_id, set())
            counts[area.pk] = len(treatments)
        return counts

    def matching_ids(self, area_ids):
        """The areas whose treatments a search for `area_ids` finds: each
        area, the areas inside it (the legs include the thighs), and the
        areas it sits inside (a source that names the legs speaks of the
        thighs too; pages mark such a treatment "its source says: legs")."""
        found = self.descendant_ids(area_ids)
        for area_id in area_ids:
            if area_id in self.by_id:
                found.update(area.pk for area in self.ancestors(self.by_id[area_id]))
        return found

    def match(self, treated_ids, chosen_ids):
        """How a treatment of the areas `treated_ids` is found by a search
        for `chosen_ids`, by the one rule above (`matching_ids()`)."""
        treated = set(treated_ids) & self.matching_ids(chosen_ids)
        inside = self.descendant_ids(chosen_ids)
        return AreaMatch(
            named=self.by_name(treated & set(chosen_ids)),
            inner=self.by_name((treated & inside) - set(chosen_ids)),
            wider=self.by_name(treated - inside),
        )

    def by_name(self, area_ids):
        return sorted(
            (self.by_id[pk] for pk in area_ids if pk in self.by_id),
            key=lambda area: area.name,
        )

    def ancestors(self, area):
        """The areas `area` sits inside, nearest first."""
        result, seen = [], {area.pk}
        parent = self.by_id.get(area.parent_id)
        while parent is not None and parent.pk not in seen:
            result.append(parent)
            seen.add(parent.pk)
            parent = self.by_id.get(parent.parent_id)
        return result

    def descendant_ids(self, area_ids):
        """The given areas and every area inside them, at any depth."""
        found, stack = set(), list(area_ids)
        while stack:
            area_id = stack.pop()
            if area_id not in found:
                found.add(area_id)
                stack.extend(child.pk for child in self.children.get(area_id, []))
        return found


def recount_areas():
    """Store on each body area how many catalogue treatments it takes in,
    and how many the catalogue lists in all (CatalogueCount). Returns
    whether any count changed.

    One pass over the catalogue's area links: run once per transaction
    that changes them (recount_after_commit()), never on a page.
    """
    with transaction.atomic():
        # Locked first (PostgreSQL), so that of two recounts at once the
        # later one counts after the other has committed, and sees it.
        # SQLite runs one writer at a time anyway.
        areas = list(BodyArea.objects.select_for_update().order_by("pk"))
        counts = AreaTree(areas).count_treatments(
            TreatedArea.objects.filter(
                treatment__in=Treatment.objects.catalogue()
            ).values_list("body_area_id", "treatment_id")
        )
        changed = [area for area in areas if area.treatment_count != counts[area.pk]]
        for area in changed:
            area.treatment_count = counts[area.pk]
        BodyArea.objects.bulk_update(changed, ["treatment_count"])
        total = CatalogueCount.objects.store(Treatment.objects.catalogue().count())
    return bool(changed) or total


def recount_after_commit():
    """Recount once when the current transaction commits (at once outside
    one), however many changes it holds: an admin save with its inlines, an
    import, loaddata or the seed each cost one pass. treatments/apps.py
    calls it on every change that can alter a count; call it after a bulk
    change that sends no signals (QuerySet.update(), bulk_create()).
    """
    # Each change registers a callback and marks the connection; the first
    # callback to run after the commit recounts, the others find nothing
    # to do. (Registering only once would lose the recount if that
    # transaction rolled back.)
    connection.areas_to_recount = True
    # robust: the edit is committed already; a failed recount is logged,
    # and the next change counts again.
    transaction.on_commit(_recount_and_bump, robust=True)


def _recount_and_bump():
    if not getattr(connection, "areas_to_recount", False):
        return
    connection.areas_to_recount = False
    # Pages rendered between the commit and this recount may be cached
    # with the old counts under the edit's content version: new counts
    # make a new version.
    if recount_areas():
        ContentVersion.bump({LISTS})
