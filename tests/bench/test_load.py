import pytest
from django.contrib.auth.models import User

from bench.databases import scratch_database
from bench.editor import AdminError, AdminSession, form_fields
from bench.loadgen import LoadResult
from bench.loadtest import Edit, check_edits, render
from tests.factories import add_facts, make_area, make_treatment
from treatments.models import Treatment

FORM = """
<input name="outside" value="not sent">
<form id="thing_form" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="token">
  <input name="title" value="A &amp; B">
  <input type="number" name="count" value="3">
  <input type="checkbox" name="ticked" checked>
  <input type="checkbox" name="unticked" value="x">
  <input type="radio" name="choice" value="a">
  <input type="radio" name="choice" value="b" checked>
  <input name="locked" value="1" disabled>
  <input type="submit" name="_save" value="Save">
  <select name="one">
    <option value="">---</option><option value="2" selected>Two</option>
  </select>
  <select name="first"><option value="a">A</option><option value="b">B</option></select>
  <select name="many" multiple>
    <option value="1" selected>1</option><option value="2">2</option>
    <option value="3" selected>3</option>
  </select>
  <select name="bare"><option selected>Text only</option></select>
  <textarea name="notes">
Line one
Line two</textarea>
  <ul class="errorlist"><li>Wrong</li></ul>
</form>
<form id="other"><input name="elsewhere" value="no"></form>
"""


def test_form_fields_are_what_a_browser_sends():
    fields, errors = form_fields(FORM, "thing_form")
    assert fields == [
        ("csrfmiddlewaretoken", "token"),
        ("title", "A & B"),
        ("count", "3"),
        ("ticked", "on"),
        ("choice", "b"),
        ("one", "2"),
        ("first", "a"),
        ("many", "1"),
        ("many", "3"),
        ("bare", "Text only"),
        ("notes", "Line one\nLine two"),
    ]
    assert errors == 1


def test_check_edits():
    edits = [
        Edit(1, pk=1, value="a", seconds=0.1, showed="original"),
        Edit(2, pk=2, value="b", seconds=0.1, showed="original"),
        Edit(3, pk=1, value="c", seconds=0.1, showed="a"),
        Edit(4, pk=2, value="d", seconds=0.1, showed="stale"),
        Edit(5, pk=1, value="e", seconds=0.1, error="POST answered 500"),
    ]
    problems, last = check_edits(edits)
    assert last == {1: "c", 2: "d"}
    assert len(problems) == 2
    assert "edit 4" in problems[0] and "stale" in problems[0]
    assert "edit 5 failed" in problems[1]


def test_render_reports_errors_and_lost_edits():
    result = LoadResult(seconds=2.0, latencies=[0.1, 0.2, 0.3, 0.4])
    result.statuses.update({200: 3, 502: 1})
    result.unexpected["502 /treatments/"] = 1
    result.errors["ConnectionResetError: reset"] = 1
    edits = [Edit(1, 1, "a", 0.5, showed="x"), Edit(2, 1, "b", 0.7, showed="a")]
    database = scratch_database("postgres://h/db", "load")
    report = render(result, edits, [], 60, database, load_before=0.1)
    assert "- requests: 5 in 2.0 s (2.0 req/s)" in report
    assert "- errors: 2 (1× ConnectionResetError: reset; 1× 502 /treatments/)" in report
    assert "p50 250, p95 385, p99 397, max 400" in report
    assert "2 saved, 0 failed; each took p50 600 ms, max 700 ms" in report
    assert "- every edit kept: yes" in report
    report = render(result, edits, ["edit 2 lost"], 60, database, load_before=0.1)
    assert "- every edit kept: NO\n  - edit 2 lost" in report


@pytest.mark.django_db(transaction=True)
def test_an_edit_through_the_admin_keeps_everything_else(live_server):
    User.objects.create_superuser("boss", password="a-long-password-for-tests")
    treatment = add_facts(
        make_treatment("Laser", areas=[make_area("Legs")], plan={"kind": "single"})
    )
    before = {
        "side_effects": treatment.side_effects.count(),
        "milestones": treatment.milestones.count(),
        "areas": treatment.treated_areas.count(),
    }
    host, port = live_server.url.removeprefix("http://").split(":")
    session = AdminSession(int(port), host=host)
    session.login("boss", "a-long-password-for-tests")
    shown = session.edit("treatments/treatment", treatment.pk, {"summary": "New & é"})
    assert shown == {"summary": "What Laser is."}
    treatment = Treatment.objects.get(pk=treatment.pk)
    assert treatment.summary == "New & é"
    assert treatment.session_plan.kind == "single"
    assert before == {
        "side_effects": treatment.side_effects.count(),
        "milestones": treatment.milestones.count(),
        "areas": treatment.treated_areas.count(),
    }
    with pytest.raises(AdminError):
        session.edit("treatments/treatment", treatment.pk, {"summary": ""})
    session.close()
