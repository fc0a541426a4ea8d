"""The seeded content reads at the target (issue 24): measured over every
public text the registry of public prose names (editorial/prose.py), by
the formula of editorial/readability.py, as `manage.py reading_levels`
prints it; and every published page's "plain words" line is met."""

import io
import re
import statistics

import pytest
from django.core.management import call_command

from comparisons.models import Comparison
from editorial import prose, readability
from tests.support.content import published_reports
from treatments import quality
from treatments.models import Treatment

pytestmark = pytest.mark.django_db


def measured():
    """(what, Reading) of every public text long enough to measure."""
    found = []
    for record, field, text in prose.public_texts():
        reading = readability.measure(text)
        if reading is not None:
            found.append((f"{record._meta.label} “{record}” {field}", reading))
    return found


def test_every_kind_of_public_text_is_measured(seeded):
    """The registry reaches every kind of text the seeded pages show."""
    kinds = {what.split(" ")[0] for what, _reading in measured()}
    assert kinds == {
        "treatments.Treatment",
        "treatments.SessionPlan",
        "treatments.SideEffect",
        "treatments.Milestone",
        "treatments.TreatedArea",
        "treatments.Condition",
        "treatments.ConditionFact",
        "treatments.Source",
        "comparisons.Comparison",
    }


def test_the_median_text_reads_at_the_target(seeded):
    ages = [reading.age for _what, reading in measured()]
    assert len(ages) > 40
    assert statistics.median(ages) <= readability.TARGET_AGE


def test_no_text_reads_above_the_ceiling(seeded):
    too_hard = {
        what: reading.age
        for what, reading in measured()
        if reading.age > readability.CEILING_AGE
    }
    assert too_hard == {}


def test_no_sentence_is_too_long(seeded):
    too_long = {
        what: reading.hardest
        for what, reading in measured()
        if reading.longest > readability.LONGEST_SENTENCE
    }
    assert too_long == {}


def test_every_published_page_is_in_plain_words(seeded, client):
    found = published_reports(client)
    assert len(found) >= 6
    failing = {
        path: report.line(quality.READING).detail
        for path, (report, _reviewed) in found.items()
        if not report.line(quality.READING).met
    }
    assert failing == {}


def test_the_stored_reading_is_the_pages(seeded, client):
    """What the admin's lists show and filter on is what the page says."""
    for record in [*Treatment.objects.published(), *Comparison.objects.published()]:
        report = client.get(record.get_absolute_url()).context["quality"]
        detail = report.line(quality.READING).detail
        assert record.reading().met == report.line(quality.READING).met
        assert f"Reading age about {record.reading_age:.0f} " in detail, record


def test_the_command_prints_the_figures(seeded):
    out = io.StringIO()
    call_command("reading_levels", stdout=out)
    printed = out.getvalue()
    found = measured()
    median = readability.median_age(reading for _what, reading in found)
    assert f"Public texts of 8 words or more: {len(found)}." in printed
    assert f"Median reading age: {median} (the target: 11 or under)." in printed
    assert "Above 14: 0." in printed
    assert "Sentences of more than 25 words: 0." in printed
    longest = max(reading.longest for _what, reading in found)
    assert re.search(rf"Longest sentence: {longest} words, in ", printed)
    out = io.StringIO()
    call_command("reading_levels", "--texts", stdout=out)
    assert out.getvalue().count(" words  ") == len(found)
