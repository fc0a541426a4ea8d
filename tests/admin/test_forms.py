"""The treatment's form as editors use it: a short add form that saves on
the first try, no phantom changes, review dates found, history readable."""

import datetime
import html
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from reversion.models import Version

from editorial.pending import PendingVersion
from tests.factories import make_area, make_source, make_treatment
from tests.support.admin import change_form_data
from treatments.models import Effect, Treatment

pytestmark = pytest.mark.django_db

ADD = "/admin/treatments/treatment/add/"


def change_url(record):
    return reverse("admin:treatments_treatment_change", args=[record.pk])


def as_browser_posts(data):
    """Text boxes as a browser posts them: CRLF line endings."""
    return {
        key: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for key, value in data.items()
    }


class TestANewTreatment:
    def minimal(self, client):
        """Name, summary, invasiveness, source, one body area, one side
        effect: what an editor types or picks; the rest is the form's own."""
        source = make_source(title="An article")
        area = make_area("Thighs")
        effect = Effect.objects.create(name="Bruising", slug="bruising")
        data = change_form_data(client, ADD)
        typed = {
            "name": "Radiofrequency",
            "slug": "radiofrequency",  # the browser fills it from the name
            "summary": "Heat from radio waves.",
            "invasiveness": "non-invasive",
            "source": source.pk,
            "treated_areas-0-body_area": area.pk,
            "side_effects-0-effect": effect.pk,
            "side_effects-0-frequency": "common",
        }
        data.update(typed)
        return data, typed, source

    def test_saves_on_the_first_try_with_a_few_inputs(self, editor_client):
        data, typed, source = self.minimal(editor_client)
        assert len(typed) <= 12
        response = editor_client.post(ADD, data)
        assert response.status_code == 302, response.context and [
            response.context["adminform"].form.errors,
            *[i.formset.errors for i in response.context["inline_admin_formsets"]],
        ]
        treatment = Treatment.objects.get(slug="radiofrequency")
        assert treatment.status == "draft"
        # Not reviewed until a publisher publishes it.
        assert treatment.last_reviewed is None
        # The facts cite the treatment's source, with no place given.
        (area,) = treatment.treated_areas.all()
        (side_effect,) = treatment.side_effects.all()
        assert area.source == side_effect.source == source
        assert area.source_location == side_effect.source_location == ""
        # The blank session plan form was left alone.
        assert not hasattr(treatment, "session_plan")

    def test_a_fact_may_name_another_source(self, editor_client):
        data, _, _ = self.minimal(editor_client)
        other = make_source(title="Another article")
        data["side_effects-0-source"] = other.pk
        data["side_effects-0-source_location"] = "table 2"
        assert editor_client.post(ADD, data).status_code == 302
        side_effect = Treatment.objects.get().side_effects.get()
        assert (side_effect.source, side_effect.source_location) == (other, "table 2")

    def test_the_public_page_cites_the_source_alone(self, editor_client):
        data, _, _ = self.minimal(editor_client)
        data["status"] = "review"
        editor_client.post(ADD, data)
        page = editor_client.get("/treatments/radiofrequency/").content.decode()
        assert '<a href="#source-' in page
        assert "An article</a>, </p>" not in page
        assert re.search(r"An article</a></p>", page)


class TestNoPhantomChanges:
    def test_saving_unchanged_records_no_fields_changed(self, seeded, publisher_client):
        meso = Treatment.objects.get(slug="mesotherapy")
        data = as_browser_posts(change_form_data(publisher_client, change_url(meso)))
        assert any("\r\n" in str(value) for value in data.values())
        assert publisher_client.post(change_url(meso), data).status_code == 302
        entry = LogEntry.objects.latest("action_time")
        assert entry.get_change_message() == "No fields changed."
        latest = Version.objects.get_for_object(meso).first()
        assert latest.revision.comment == "No fields changed."

    def test_an_editors_unchanged_save_leaves_nothing_waiting(
        self, seeded, editor_client
    ):
        meso = Treatment.objects.get(slug="mesotherapy")
        data = as_browser_posts(change_form_data(editor_client, change_url(meso)))
        assert editor_client.post(change_url(meso), data).status_code == 302
        assert not PendingVersion.objects.exists()

    def test_only_the_summary_is_recorded_when_only_it_changed(
        self, seeded, editor_client
    ):
        meso = Treatment.objects.get(slug="mesotherapy")
        data = as_browser_posts(change_form_data(editor_client, change_url(meso)))
        data["summary"] = "  A new summary.  "
        editor_client.post(change_url(meso), data)
        # Published: the change waits for a publisher, described as the
        # history would describe it.
        pending = PendingVersion.objects.get()
        assert pending.summary == "Changed One-line summary."
        assert pending.data["record"]["fields"]["summary"] == "A new summary."

    def test_text_is_stored_tidy_whatever_saves_it(self):
        treatment = make_treatment(cautions="  One.\r\nTwo.\rThree.\n\n")
        treatment.refresh_from_db()
        assert treatment.cautions == "One.\nTwo.\nThree."


class TestReviewDates:
    @pytest.fixture
    def treatments(self):
        today = datetime.date.today()
        return {
            "overdue": make_treatment(
                "Overdue",
                last_reviewed=today - datetime.timedelta(days=400),
            ),
            "soon": make_treatment(
                "Soon",
                last_reviewed=today - datetime.timedelta(days=350),
            ),
            "later": make_treatment("Later", last_reviewed=today),
        }

    @pytest.mark.parametrize(
        ("choice", "expected"), [("overdue", {"Overdue"}), ("soon", {"Soon"})]
    )
    def test_the_list_filters(self, editor_client, treatments, choice, expected):
        response = editor_client.get("/admin/treatments/treatment/", {"review": choice})
        listed = {t.name for t in response.context["cl"].result_list}
        assert listed == expected

    def test_the_index_shows_what_is_overdue(self, editor_client, treatments):
        page = editor_client.get("/admin/").content.decode()
        overdue = treatments["overdue"]
        assert f'<a href="{change_url(overdue)}">Overdue</a>' in page
        assert "review was due" in page
        overdue_section = page.split("<h3>Reviews overdue</h3>")[1].split("</ul>")[0]
        assert "Overdue" in overdue_section and ">Later</a>" not in overdue_section

    def test_the_index_shows_what_waits_for_a_publisher(self, publisher_client):
        waiting = make_treatment("Waiting", status="review")
        page = publisher_client.get("/admin/").content.decode()
        review = reverse("admin:treatments_treatment_review", args=[waiting.pk])
        assert f'<a href="{review}">Waiting</a>' in page


class TestHistoryCompare:
    def test_breadcrumb_and_wrapping(self, seeded, editor_client, publisher_client):
        meso = Treatment.objects.get(slug="mesotherapy")
        data = change_form_data(publisher_client, change_url(meso))
        data["how_it_works"] = data["how_it_works"] + " And one more sentence."
        publisher_client.post(change_url(meso), data)
        latest, first = Version.objects.get_for_object(meso)[:2]
        response = editor_client.get(
            reverse("admin:treatments_treatment_compare", args=[meso.pk]),
            {"version_id1": first.pk, "version_id2": latest.pk},
        )
        page = response.content.decode()
        crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S)
        words = " ".join(
            html.unescape(re.sub(r"<[^>]+>", " ", crumbs.group(1))).split()
        )
        assert words == (
            "Home › Treatment catalogue › Treatments › Mesotherapy › History › "
            "Compare versions"
        )
        assert "<h1>Compare versions of Mesotherapy</h1>" in page
        assert "⏎" not in page
        assert "css/admin.css" in page  # where the diffs are made to wrap
