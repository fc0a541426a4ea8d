"""The lines of "About this information" each page stores for "Needs
attention" (treatments/attention.py, comparisons/attention.py): always the
lines its report fails, after every kind of edit; the review line from the
dates, with no save; the queue and the changelists' filter read them, and
the admin's home page costs the same however large the catalogue."""

import datetime
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from comparisons import quality as comparison_quality
from comparisons.models import Comparison, ComparisonItem
from editorial.queue import queue_for
from tests.factories import add_facts, make_treatment
from tests.support.admin import change_form_data
from treatments import attention, quality
from treatments.models import SideEffect, Source, Treatment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_types_known")]

SECTION = "Published pages that fail a line of “About this information”"
PLAIN = "You lie down. The nurse puts a cold gel on your skin."


def computed(record, today=None):
    """The keys of the lines its report fails, worked out from its data as
    its change form works them out."""
    if isinstance(record, Treatment):
        report = quality.report_of_saved(record, today)
    else:
        report = comparison_quality.report_of_saved(record, today)
    return [line.key for line in report.failing]


def assert_stored_as_computed(today=None):
    """Every treatment's and comparison's stored lines, with the review line
    from its dates, are the lines its report fails."""
    today = today or datetime.date.today()
    records = [*Treatment.objects.all(), *Comparison.objects.all()]
    assert records
    for record in records:
        assert record.failing_lines is not None, f"{record}: not worked out"
        assert attention.keys_of(record, today) == computed(record, today), record


def section(page):
    match = re.search(rf"<h3>{re.escape(SECTION)}</h3>(.*?)</ul>", page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()) if match else None


def stored(record):
    record.refresh_from_db()
    return set((record.failing_lines or "").split())


# Kept as the reports say, after every kind of edit.


def test_the_seeded_pages_store_what_their_reports_fail(seeded):
    assert_stored_as_computed()


def test_an_inline_edit_in_the_admin(seeded, publisher_client, committed):
    meso = Treatment.objects.get(slug="mesotherapy")
    comparison = Comparison.objects.get(slug="laser-vs-mesotherapy")
    assert quality.CITED not in stored(meso) | stored(comparison)
    url = reverse("admin:treatments_treatment_change", args=[meso.pk])
    data = change_form_data(publisher_client, url)
    # A side effect that no longer says where in its source it sits.
    data["side_effects-0-source_location"] = ""
    with committed():
        response = publisher_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert quality.CITED in stored(meso)
    # The comparison that shows it, too.
    assert quality.CITED in stored(comparison)
    assert_stored_as_computed()


def test_a_fact_saved_or_deleted(seeded, committed):
    laser = Treatment.objects.get(slug="laser-cellulite-reduction")
    with committed():
        SideEffect.objects.filter(treatment=laser).delete()
    assert quality.HARMS in stored(laser)
    assert_stored_as_computed()
    with committed():
        add_facts(laser, side_effects=1, milestones=0)
    assert quality.HARMS not in stored(laser)
    assert_stored_as_computed()


def test_a_source_changed_then_confirmed(seeded, editor_client, committed):
    source = Source.objects.get(slug="wisegeek-mesotherapy-for-cellulite")
    meso = Treatment.objects.get(slug="mesotherapy")
    laser = Treatment.objects.get(slug="laser-cellulite-reduction")
    comparison = Comparison.objects.get(slug="laser-vs-mesotherapy")
    with committed():
        source.text_changed_at = timezone.now()
        source.save()
    assert quality.EVIDENCE in stored(meso) and quality.EVIDENCE in stored(comparison)
    assert quality.EVIDENCE not in stored(laser)  # it cites only its own
    assert_stored_as_computed()
    # An editor confirms the facts (the sources' admin action, which writes
    # with QuerySet.update()).
    with committed():
        editor_client.post(
            "/admin/treatments/source/",
            {"action": "confirm_facts", "_selected_action": [source.pk]},
        )
    assert quality.EVIDENCE not in stored(meso) | stored(comparison)
    assert_stored_as_computed()
    # An address found broken counts as well.
    with committed():
        source.link_checked_at, source.link_status = timezone.now(), 404
        source.save()
    assert quality.EVIDENCE in stored(meso)
    assert_stored_as_computed()


def test_the_baseline_unpublished_and_published_again(seeded, committed):
    baseline = Treatment.objects.get(slug="no-treatment")
    others = [
        *Treatment.objects.filter(is_baseline=False),
        *Comparison.objects.all(),
    ]
    assert all(quality.NO_TREATMENT not in stored(record) for record in others)
    with committed():
        baseline.status = "draft"
        baseline.save()
    assert all(quality.NO_TREATMENT in stored(record) for record in others)
    assert quality.NO_TREATMENT not in stored(baseline)  # it is the option
    assert_stored_as_computed()
    with committed():
        baseline.status = "published"
        baseline.save()
    assert all(quality.NO_TREATMENT not in stored(record) for record in others)
    assert_stored_as_computed()


def test_a_treatment_taken_out_of_a_comparison(seeded, committed):
    """What a comparison shows makes its report: a treatment unpublished, or
    another put in its place."""
    comparison = Comparison.objects.get(slug="laser-vs-mesotherapy")
    with committed():
        bare = make_treatment("Bare", summary=PLAIN)  # no side effects
        item = comparison.items.get(position=2)
        item.treatment = bare
        item.save()
    assert quality.HARMS in stored(comparison)
    assert_stored_as_computed()
    with committed():
        bare.status = "draft"
        bare.save()
    # It shows one treatment now, with its side effects.
    assert quality.HARMS not in stored(comparison)
    assert_stored_as_computed()


def test_many_changes_in_one_transaction_are_worked_out_once(seeded, committed):
    laser = Treatment.objects.get(slug="laser-cellulite-reduction")
    with mock.patch.object(attention, "restate", wraps=attention.restate) as restate:
        with committed():
            for effect in SideEffect.objects.filter(treatment=laser):
                effect.source_location = ""
                effect.save()
            laser.cautions = "N/A"
            laser.save()
    assert restate.call_count == 1
    assert {quality.CITED, quality.SILENCES} <= stored(laser)


def test_a_change_rolled_back_stores_nothing(seeded, committed):
    laser = Treatment.objects.get(slug="laser-cellulite-reduction")
    before = laser.failing_lines
    with committed():
        with transaction.atomic():
            Treatment.objects.filter(pk=laser.pk).update(cautions="N/A")
            laser.refresh_from_db()
            laser.save()
            transaction.set_rollback(True)
    laser.refresh_from_db()
    assert laser.cautions != "N/A" and laser.failing_lines == before


def test_the_review_line_goes_overdue_with_no_save(seeded, editor):
    """REVIEWED is not stored: worked out from the dates on the day asked."""
    meso = Treatment.objects.get(slug="mesotherapy")
    due = meso.next_review_due
    assert quality.REVIEWED not in attention.keys_of(meso, due)
    later = due + datetime.timedelta(days=1)
    assert quality.REVIEWED in attention.keys_of(meso, later)
    assert_stored_as_computed(later)
    sections = {s.title: s for s in queue_for(editor, today=later).sections}
    assert any(
        item.record == meso and "reviewed, and not overdue" in item.detail
        for item in sections[SECTION].items
    )
    assert all(
        "reviewed" not in item.detail
        for item in {s.title: s for s in queue_for(editor, today=due).sections}[
            SECTION
        ].items
    )


def test_keys_added_and_taken_away_in_bulk_stay_words(db):
    treatment = make_treatment("One")
    for stored_before, condition, after in [
        ("", True, "evidence"),
        ("cited harms", True, "cited harms evidence"),
        ("cited evidence harms", False, "cited harms"),
        ("evidence", False, ""),
        ("cited evidence", False, "cited"),
        ("cited", False, "cited"),
    ]:
        Treatment.objects.filter(pk=treatment.pk).update(failing_lines=stored_before)
        attention.set_key(
            Treatment.objects.filter(pk=treatment.pk),
            quality.EVIDENCE,
            Q(pk__isnull=not condition),
        )
        treatment.refresh_from_db()
        assert treatment.failing_lines == after, stored_before
    # Not worked out yet: left for the restating.
    Treatment.objects.filter(pk=treatment.pk).update(failing_lines=None)
    attention.set_key(Treatment.objects.all(), quality.EVIDENCE, Q(pk__isnull=False))
    treatment.refresh_from_db()
    assert treatment.failing_lines is None


# Worked out for what saves did not reach.


def test_migrate_works_out_those_not_worked_out(seeded):
    Treatment.objects.update(failing_lines=None)
    Comparison.objects.update(failing_lines=None)
    call_command("migrate", verbosity=0)
    assert_stored_as_computed()


def test_restate_quality_puts_every_page_right(seeded):
    Treatment.objects.filter(slug="mesotherapy").update(failing_lines="harms")
    Comparison.objects.update(failing_lines=None)
    out = []
    with mock.patch("sys.stdout.write", out.append):
        call_command("restate_quality")
    assert_stored_as_computed()
    assert "Treatments: 1 changed." in "".join(out)
    assert "Comparisons: 1 changed." in "".join(out)


# Where editors see them.


def test_the_changelist_filter(seeded, editor_client, committed):
    meso = Treatment.objects.get(slug="mesotherapy")
    with committed():
        meso.cautions = "N/A"
        meso.save()
    url = reverse("admin:treatments_treatment_changelist")

    def listed(query):
        response = editor_client.get(url, query)
        assert response.status_code == 200
        return {t.slug for t in response.context["cl"].result_list}

    assert listed({"fails": "silences"}) == {"mesotherapy"}
    assert "mesotherapy" in listed({"fails": "any"})
    assert listed({"fails": "reviewed"}) == set()
    # Not a line: filters nothing, as the other filters do.
    assert listed({"fails": "nonsense"}) == listed({})
    page = editor_client.get(url).content.decode()
    assert "line not met (About this information)" in page
    assert "Silences stated" in page
    comparisons = editor_client.get(
        reverse("admin:comparisons_comparison_changelist"), {"fails": "silences"}
    )
    assert [c.slug for c in comparisons.context["cl"].result_list] == [
        "laser-vs-mesotherapy"
    ]


def test_needs_attention_lists_the_first_and_links_to_the_rest(
    editor_client, committed
):
    with committed():
        for n in range(12):
            make_treatment(f"Failing {n:02}", cautions="N/A")
        make_treatment("Failing draft", status="draft", last_reviewed=None)
    page = editor_client.get("/admin/").content.decode()
    listed = section(page)
    assert "Failing 00 : not met: harms given for every option; silences stated" in (
        listed
    )
    assert "Failing 09" in listed and "Failing 10" not in listed
    assert "Failing draft" not in listed
    assert "And 2 more treatments" in listed
    assert (
        'href="/admin/treatments/treatment/?fails=any&amp;status__exact=published"'
        in page
    )
    # And that list is the rest of them.
    response = editor_client.get(
        "/admin/treatments/treatment/", {"fails": "any", "status__exact": "published"}
    )
    assert len(response.context["cl"].result_list) == 12


# What the admin's home page costs: the session, the user, the two-factor
# device, the permissions of the user and of the groups; the review queue
# (tests/editorial/test_queue.py), in which each kind of page that stores
# its failing lines costs two queries (the first few, and how many),
# however many there are. No report is worked out. 24 is enough for more
# failing (12) than the queue shows (10), so its "more" link is counted too.
@pytest.mark.parametrize("size", [2, 24])
def test_the_admin_home_page_costs_the_same_however_large_the_catalogue(
    editor_client, django_assert_num_queries, committed, size
):
    with committed():
        make_treatment("No procedure", is_baseline=True, summary=PLAIN)
        for n in range(size):
            treatment = add_facts(
                make_treatment(f"Treatment {n:02}", summary=PLAIN), side_effects=1
            )
            if n % 2:
                treatment.cautions = "N/A"
                treatment.save()
        comparison = Comparison.objects.create(
            title="A comparison",
            slug="a-comparison",
            introduction="Which?",
            status="published",
            last_reviewed=datetime.date(2026, 11, 21),
        )
        for position, treatment in enumerate(Treatment.objects.all()[:2], start=1):
            ComparisonItem.objects.create(
                comparison=comparison, treatment=treatment, position=position
            )
    failing = Treatment.objects.failing_a_line(datetime.date.today()).published()
    assert failing.count() == size // 2
    editor_client.get("/admin/")
    with mock.patch.object(
        quality, "for_treatments", wraps=quality.for_treatments
    ) as reports:
        with django_assert_num_queries(21):
            page = editor_client.get("/admin/").content.decode()
    assert reports.call_count == 0
    listed = section(page)
    assert "Treatment 01 : not met: silences stated" in listed
    assert ("more treatments" in listed) == (size // 2 > 10)
