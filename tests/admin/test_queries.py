"""The admin's pages cost the same number of queries with few and with many
facts or records: exact counts, at two sizes.

Each count is for a signed-in editor; the first queries of every admin page
are the session, the user and the device that verified them (two-factor
sign-in: django-otp), then the user's groups' permissions.
"""

import datetime

import pytest
from django.urls import reverse

from comparisons.models import Comparison, ComparisonItem
from tests.factories import add_facts, make_area, make_source, make_treatment
from tests.support.content import made_once
from treatments.models import BodyArea, Source, Treatment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_types_known")]


@made_once(params=[2, 8], ids=lambda size: f"size {size}")
def content(size):
    """`size` treatments with `size` side effects and milestones each, all
    citing one source, in `size` body areas; and a comparison of up to four."""
    source = make_source()
    legs = make_area("Legs")
    areas = [legs] + [make_area(f"Area {n}", parent=legs) for n in range(size - 1)]
    treatments = [
        add_facts(
            make_treatment(
                f"Treatment {n:02}",
                areas=areas,
                source=source,
                plan={"kind": "course", "sessions_typical": 4},
            ),
            side_effects=size,
            milestones=size,
        )
        for n in range(size)
    ]
    comparison = Comparison.objects.create(
        title="A comparison",
        slug="a-comparison",
        introduction="Which?",
        status="published",
        last_reviewed=datetime.date(2026, 11, 21),
        focus_area=legs,
    )
    for position, treatment in enumerate(treatments[:4], start=1):
        ComparisonItem.objects.create(
            comparison=comparison, treatment=treatment, position=position
        )
    # Half the treatments read above the target, as stored for the lists
    # (editorial/prose.py restates it when a change commits).
    for n, treatment in enumerate(treatments):
        Treatment.objects.filter(pk=treatment.pk).update(
            reading_age=13.0 if n % 2 else 10.0
        )
    Comparison.objects.update(reading_age=10.0)
    return source


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


# Every page: the session, the user, the two-factor device, the
# permissions of the user and of the groups. A change page adds its
# record, what waits for a publisher (editorial/review.py), one query per
# inline, one per select list however many forms show it
# (core.admin.shared_choices), and the history's; a list adds its counts,
# its rows and its filters' choices. The index adds the review queue
# (editorial/queue.py). A treatment's or a comparison's change page adds
# its "About this information" (treatments/quality.py): the page's
# treatments loaded again with their facts (the treatment with its plan
# and source, side effects, milestones, areas, conditions), and the
# baselines it may offer (a comparison: its record and items first). The
# index reads the lines each page stores instead (treatments/
# attention.py): for treatments and for comparisons, the first few that
# fail one and how many.
PAGES = {
    # name: (url of the record or list, expected queries)
    "treatment change": (lambda: change_url(Treatment.objects.last()), 25),
    "treatment add": (lambda: reverse("admin:treatments_treatment_add"), 12),
    "treatment list": (lambda: reverse("admin:treatments_treatment_changelist"), 11),
    # Filtered on the reading each treatment stores (editorial/prose.py),
    # never on its texts, read row by row.
    "treatment list above the reading target": (
        lambda: reverse("admin:treatments_treatment_changelist") + "?reading=above",
        11,
    ),
    "comparison change": (lambda: change_url(Comparison.objects.get()), 19),
    "comparison list": (lambda: reverse("admin:comparisons_comparison_changelist"), 11),
    "comparison list on the reading target": (
        lambda: reverse("admin:comparisons_comparison_changelist") + "?reading=on",
        11,
    ),
    "source change": (lambda: change_url(Source.objects.get()), 9),
    "source list": (lambda: reverse("admin:treatments_source_changelist"), 10),
    "body area change": (lambda: change_url(BodyArea.objects.last()), 9),
    "body area list": (lambda: reverse("admin:treatments_bodyarea_changelist"), 11),
    "side-effect kind list": (
        lambda: reverse("admin:treatments_effect_changelist"),
        10,
    ),
    "index": (lambda: reverse("admin:index"), 21),
}


@pytest.mark.parametrize("page", PAGES)
def test_admin_page_queries(editor_client, django_assert_num_queries, content, page):
    url, expected = PAGES[page]
    url = url()
    editor_client.get(url)  # content types and the like, cached per process
    with django_assert_num_queries(expected):
        response = editor_client.get(url)
    assert response.status_code == 200
    if "reading" in url:
        # The filter found rows: the half of the treatments stored above the
        # target, or the comparison.
        above = Treatment.objects.filter(reading_age__gt=11).count()
        assert above and len(response.context["cl"].result_list) in (above, 1)
