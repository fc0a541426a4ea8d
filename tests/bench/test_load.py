"""The load test's editor, its checks and its report."""

import pytest
from django.contrib.auth.models import User

from bench.catalogue import build
from bench.load import (
    AdminError,
    AdminSession,
    Edit,
    add_recovery_code,
    check_edits,
    form_fields,
    render,
)
from treatments.models import Treatment

FORM = """
<input name="outside" value="not sent">
<form id="thing_form" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="token">
  <input type="text" name="title" value="A &amp; B">
  <input type="number" name="count" value="3">
  <input type="checkbox" name="ticked" checked>
  <input type="checkbox" name="unticked" value="x">
  <input type="radio" name="choice" value="a">
  <input type="radio" name="choice" value="b" checked>
  <input name="locked" value="1" disabled>
  <input type="submit" name="_save" value="Save">
  <select name="one" id="id_one">
    <option value="">---</option><option value="2" selected>Two</option>
  </select>
  <select name="first"><option value="a">A</option><option value="b">B</option></select>
  <select name="many" multiple>
    <option value="1" selected>1</option><option value="2">2</option>
    <option value="3" selected>3</option>
  </select>
  <select name="bare"><option selected>Text &amp; only</option></select>
  <textarea name="notes" cols="40">
Line one &lt;b&gt;
Line two</textarea>
  <ul class="errorlist"><li>Wrong</li></ul>
</form>
<form id="other"><input name="elsewhere" value="no"></form>
"""


def test_form_fields_are_what_a_browser_sends():
    fields, errors = form_fields(FORM, "thing_form")
    assert sorted(fields) == sorted(
        [
            ("csrfmiddlewaretoken", "token"),
            ("title", "A & B"),
            ("count", "3"),
            ("ticked", "on"),
            ("choice", "b"),
            ("one", "2"),
            ("first", "a"),
            ("many", "1"),
            ("many", "3"),
            ("bare", "Text & only"),
            ("notes", "Line one <b>\nLine two"),
        ]
    )
    assert errors == 1
    assert form_fields(FORM, "missing") == ([], 0)


def test_check_edits():
    edits = [
        Edit(pk=1, value="a", showed="original"),
        Edit(pk=2, value="b", showed="original"),
        Edit(pk=1, value="c", showed="a"),
        Edit(pk=2, value="d", showed="stale"),
        Edit(pk=1, value="e", error="POST answered 500"),
    ]
    problems, last = check_edits(edits)
    assert last == {1: "c", 2: "d"}
    assert len(problems) == 2
    assert "edit 4" in problems[0] and "stale" in problems[0]
    assert problems[1] == "edit 5 failed: POST answered 500"


def test_the_report_gives_the_hit_rate_and_what_went_wrong():
    result = {"requests": 1000, "seconds": 10.0, "rate": 100.0, "errors": 2}
    result |= {"hits": 750, "misses": 248, "p50": 5, "p95": 50, "p99": 90, "max": 120}
    edits = [Edit(1, "a", 0.5), Edit(1, "b", 0.7), Edit(1, "c", 0.9, error="500")]
    report = render(result, edits, ["edit 3 failed: 500"], seconds=10)
    assert "- requests: 1,000 in 10.0 s (100/s); errors (sockets," in report
    assert "statuses other than 200): 2" in report
    assert "- page cache: 750 hits, 248 misses: hit rate 75.2%, 124.0 misses" in report
    assert (
        "- edits: 2 saved (0.2/s), 1 failed; a save (form and post) took 600 ms"
        in report
    )
    assert "- every edit kept and shown: NO" in report
    assert report.endswith("\n  - edit 3 failed: 500")
    report = render(result, edits[:2], [], seconds=10)
    assert "- every edit kept and shown: yes" in report


@pytest.mark.django_db(transaction=True)
def test_an_edit_through_the_admin_changes_that_field_alone(live_server):
    User.objects.create_superuser("boss", password="a-long-password-for-tests")
    catalogue = build(1, drafts=0, areas=4, comparisons=0)
    pk = next(iter(catalogue.treatments.values()))

    def everything():
        """(model, field, value) of the treatment and every fact of it: its
        content, not what is derived from it (serialize=False, such as the
        reading age stored for the admin's list, restated after a save)."""
        treatment = Treatment.objects.get(pk=pk)
        records = [treatment, treatment.session_plan, *treatment.treated_areas.all()]
        records += [*treatment.side_effects.all(), *treatment.milestones.all()]
        found = [
            (record._meta.label, field.name, getattr(record, field.attname))
            for record in records
            for field in record._meta.concrete_fields
            if field.serialize or field.primary_key
        ]
        return sorted(found, key=str)

    before = everything()
    summary = Treatment.objects.get(pk=pk).summary
    session = AdminSession(live_server.url)
    session.login("boss", "a-long-password-for-tests", add_recovery_code("boss"))
    shown = session.edit("treatments/treatment", pk, {"summary": "New & é"})
    assert shown == {"summary": summary}
    changed = ("treatments.Treatment", "summary", "New & é")
    assert everything() == sorted(
        [changed if fact[:2] == changed[:2] else fact for fact in before], key=str
    )
    with pytest.raises(AdminError):
        session.edit("treatments/treatment", pk, {"summary": ""})
