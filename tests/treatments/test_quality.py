"""About this information (treatments/quality.py): each line, for a page
that meets it and a page that fails it; the report on the public pages,
the change form and in Needs attention; and the seeded pages, which must
go on meeting the lines they meet today."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import add_facts, make_source, make_treatment
from tests.support.content import published_reports
from treatments import quality
from treatments.models import SideEffect, Treatment

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
PLAIN = "You lie down. The nurse puts a cold gel on your skin."
HARD = (
    "Pharmacologically heterogeneous formulations, administered intradermally "
    "throughout multiple consecutive appointments, purportedly facilitate "
    "lipolysis notwithstanding considerable interindividual variability."
)


def report(treatment, *, offered=None, today=TODAY):
    loaded = Treatment.objects.for_comparison().get(pk=treatment.pk)
    if offered is None:
        offered = list(Treatment.objects.published().baselines())
    return quality.for_treatment(loaded, offered=offered, today=today)


def met(treatment, key, **options):
    return report(treatment, **options).line(key).met


@pytest.fixture
def baseline():
    return make_treatment("No procedure", is_baseline=True, summary=PLAIN)


@pytest.fixture
def good(baseline):
    """A treatment that meets every line."""
    return add_facts(make_treatment("Good", summary=PLAIN, how_it_works=PLAIN))


def test_a_page_can_meet_every_line(good):
    found = report(good)
    assert [line.key for line in found.lines] == list(quality.LINES)
    assert found.failing == [], [line.detail for line in found.failing]
    assert found.summary == "7 of 7 met."


def test_every_fact_cited(good):
    assert (
        report(good)
        .line(quality.CITED)
        .detail.startswith("8 of 8 facts say which source")
    )
    SideEffect.objects.filter(treatment=good).update(source_location="")
    line = report(good).line(quality.CITED)
    assert not line.met
    assert (
        line.detail.startswith("5 of 8 facts") and "3 name their source" in line.detail
    )


def test_reviewed_and_not_overdue(good):
    assert met(good, quality.REVIEWED)
    line = report(good, today=datetime.date(2028, 1, 1)).line(quality.REVIEWED)
    assert not line.met and "it is overdue" in line.detail
    draft = make_treatment("Draft", status="draft", last_reviewed=None)
    assert report(draft).line(quality.REVIEWED).detail == "Not reviewed yet."


def test_evidence_from_sources_as_checked(good):
    line = report(good).line(quality.EVIDENCE)
    assert line.met and line.detail.startswith("Evidence: low.")
    good.source.text_changed_at = timezone.now()
    good.source.save()
    line = report(good).line(quality.EVIDENCE)
    assert not line.met and "has been updated since the last review" in line.detail
    good.source.text_changed_at = None
    good.source.link_checked_at, good.source.link_status = timezone.now(), 404
    good.source.save()
    line = report(good).line(quality.EVIDENCE)
    assert not line.met and "no longer works" in line.detail


def test_side_effects_for_every_option(good, baseline):
    line = report(good).line(quality.HARMS)
    assert line.met and line.detail == "3 side effects, each with how common it is."
    SideEffect.objects.filter(treatment=good).update(
        frequency=SideEffect.Frequency.NOT_STATED
    )
    assert "or, for 3, that the source does not say." in (
        report(good).line(quality.HARMS).detail
    )
    bare = make_treatment("Bare")
    line = report(bare).line(quality.HARMS)
    assert not line.met and line.detail == "None given for Bare: its source names none."
    # No procedure, no side effects of one.
    assert met(baseline, quality.HARMS)


@pytest.mark.parametrize("silence", ["N/A", "Unknown", "none", "Not stated.", "-"])
def test_silences_said_one_way(good, silence):
    assert met(good, quality.SILENCES)
    Treatment.objects.filter(pk=good.pk).update(cautions=silence)
    line = report(good).line(quality.SILENCES)
    assert not line.met
    assert f"“{silence}” for “Cautions”" in line.detail


def test_a_no_treatment_option_offered(good, baseline):
    assert met(good, quality.NO_TREATMENT)
    assert not met(good, quality.NO_TREATMENT, offered=[])
    assert report(baseline).line(quality.NO_TREATMENT).detail == (
        "This page is the “no treatment” option."
    )


def test_plain_words(good):
    line = report(good).line(quality.READING)
    assert line.met and "the aim is 11 or under" in line.detail
    Treatment.objects.filter(pk=good.pk).update(how_it_works=HARD, cautions=HARD)
    line = report(good).line(quality.READING)
    assert not line.met
    assert "“How it works” and “Cautions”" in line.detail


# The report where people read it.


def text(response):
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(page.split())


def test_the_public_page_shows_it(good, client):
    Treatment.objects.filter(pk=good.pk).update(cautions="N/A")
    page = text(client.get(good.get_absolute_url()))
    assert "About this information" in page
    assert "6 of 7 met; not met: silences stated." in page
    assert "✗ Silences stated: not met." in page
    assert "✓ Every fact is cited: met." in page


def test_a_comparison_shows_it(good, baseline, client):
    other = add_facts(make_treatment("Other", summary=PLAIN))
    page = text(client.get(f"/compare/?treatments={good.slug}&treatments={other.slug}"))
    assert "About this information" in page
    assert "✓ Harms given for every option: met." in page
    # The baseline is offered to add.
    assert "The page offers to set it beside “No procedure”." in page
    bare = make_treatment("Bare", summary=PLAIN)
    page = text(client.get(f"/compare/?treatments={good.slug}&treatments={bare.slug}"))
    assert "✗ Harms given for every option: not met." in page
    assert "None given for Bare" in page


def test_the_change_form_shows_it(good, editor_client):
    Treatment.objects.filter(pk=good.pk).update(cautions="Unknown")
    page = text(editor_client.get(f"/admin/treatments/treatment/{good.pk}/change/"))
    assert "About this information, as the public page shows it" in page
    assert "Silences stated: not met." in page


def test_needs_attention_lists_published_pages_that_fail(good, editor_client):
    Treatment.objects.filter(pk=good.pk).update(cautions="N/A")
    draft = make_treatment("Failing draft", status="draft", last_reviewed=None)
    Treatment.objects.filter(pk=draft.pk).update(cautions="N/A")
    # As stored for the admin (treatments/attention.py): a bulk change sends
    # no signals, so works them out again itself.
    Treatment.objects.all().restate_quality()
    page = editor_client.get("/admin/").content.decode()
    section = re.search(
        r"<h3>Published pages that fail a line of “About this information”</h3>"
        r"(.*?)</ul>",
        page,
        re.S,
    )
    assert section, "no section"
    listed = " ".join(re.sub(r"<[^>]+>", " ", section.group(1)).split())
    assert "Good : not met: silences stated" in listed
    assert "Failing draft" not in listed and "No procedure" not in listed


# The seeded content: a regression guard.


def test_every_published_page_meets_every_line(seeded, client):
    """Every published page of the seeded content (found in the database,
    tests/support/content.py) meets each of the seven lines today, so a
    change to the content or the code that makes one fail, fails here. The
    review is judged the day after the seeded review, not by the
    calendar."""
    found = published_reports(client)
    assert len(found) >= 6
    failing = {}
    for path, (report, reviewed) in found.items():
        lines = {line.key: line for line in report.lines}
        assert list(lines) == list(quality.LINES), path
        today = reviewed.last_reviewed + datetime.timedelta(days=1)
        lines[quality.REVIEWED] = quality.reviewed_line(reviewed, today)
        failing.update(
            {(path, key): line.detail for key, line in lines.items() if not line.met}
        )
    assert failing == {}


def test_the_seeded_sources_count_as_checked(seeded):
    # Every seeded fact says where in its source it sits.
    for treatment in Treatment.objects.for_comparison():
        facts = quality.facts_of(treatment)
        assert all(fact.source_location for fact in facts), treatment


def test_a_source_never_fetched_is_as_checked():
    source = make_source()
    assert not source.text_changed and not source.link_broken
