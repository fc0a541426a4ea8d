"""The picker: choose treatments to compare, from a search and one short
page of the catalogue at a time. It is also what an ad-hoc comparison
shows when its address names treatments it cannot compare."""

from django.shortcuts import render

from core.cache import LISTS, depends_on
from treatments.models import CatalogueCount, Treatment
from treatments.paging import CataloguePaginator
from treatments.search_input import NOT_UNDERSTOOD, read_page

from .forms import PickerForm
from .models import MAX_TREATMENTS, MIN_TREATMENTS

# How many treatments a page of the picker offers.
PICKER_PAGE = 20


def picker(request, form, *, area_tree, chosen, baselines, problems=True):
    """Choose treatments to compare: a search and one short page of the
    catalogue (never all of it), with `chosen` already ticked and the
    `baselines` to add. With `problems`, also why the address's choice
    (`form`, its ComparisonOptionsForm) could not be compared."""
    depends_on(request, LISTS)
    search = PickerForm(request.GET)
    catalogue = Treatment.objects.catalogue().only("name", "slug", "is_baseline")
    found = (
        catalogue.best_matches(search.text, whole_catalogue=True)
        if search.text
        else catalogue.order_by("name")
    )
    # The whole catalogue's count is stored (treatments/areas.py); a
    # search's matches are counted in the narrow table of words.
    stored = None if search.text else CatalogueCount.objects.current()
    page = read_page(
        CataloguePaginator(found, PICKER_PAGE, stored=stored),
        search.page_number,
        searching=bool(search.text),
    )
    if page is None:
        # The database refused the search: say so, and list the catalogue.
        search.add_error("q", NOT_UNDERSTOOD)
        whole = CatalogueCount.objects.current()
        page = CataloguePaginator(
            catalogue.order_by("name"), PICKER_PAGE, stored=whole
        ).get_page(1)
    offered = list(page.object_list)
    offered_slugs = {treatment.slug for treatment in offered}
    focus = form.cleaned_data.get("body_area") if form.is_bound else None
    return render(
        request,
        "comparisons/picker.html",
        {
            "problems": form.problems() if problems else [],
            "search": search,
            "page_obj": page,
            "offered": offered,
            # Chosen on another page, or before this search: kept, and shown
            # apart so that each can still be unticked.
            "chosen_elsewhere": [
                treatment
                for treatment in chosen
                if not treatment.is_baseline and treatment.slug not in offered_slugs
            ],
            "chosen": {treatment.slug for treatment in chosen},
            "baselines": sorted(
                [*baselines, *(t for t in chosen if t.is_baseline)],
                key=lambda treatment: treatment.name,
            ),
            "areas": area_tree.ordered(),
            "focus": focus,
            "min": MIN_TREATMENTS,
            "max": MAX_TREATMENTS,
            # Searches, later pages and choices in progress are not pages
            # for search engines to list.
            "noindex": problems or bool(request.GET),
        },
        status=form.status if problems else 200,
    )
