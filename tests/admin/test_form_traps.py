"""The forms without their traps (issue 21): what must be filled says so,
a text told in prose has its few words beside it, a milestone takes its
place from its days, a source's kind is chosen, no command line is shown,
and the labels are the public page's words."""

import html
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.factories import make_area, make_source, make_treatment
from tests.support.admin import change_form_data
from treatments.models import Effect, Milestone, Source, Treatment

pytestmark = pytest.mark.django_db

ADD = "/admin/treatments/treatment/add/"
SOURCE_ADD = "/admin/treatments/source/add/"


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def label(page, field_id):
    """The text of the label for `field_id`, as a screen reader reads it."""
    found = re.search(
        rf'<label[^>]*for="{re.escape(field_id)}"[^>]*>(.*?)</label>', page
    )
    assert found, f"no label for {field_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def form_errors(response):
    return {
        "form": response.context["adminform"].form.errors,
        **{
            inline.formset.prefix: inline.formset.errors
            for inline in response.context["inline_admin_formsets"]
        },
    }


def new_treatment_data(client, **typed):
    source = make_source(title="An article")
    data = change_form_data(client, ADD)
    data.update(
        {
            "name": "Radiofrequency",
            "slug": "radiofrequency",
            "summary": "Heat from radio waves.",
            "invasiveness": "non-invasive",
            "source": source.pk,
            **typed,
        }
    )
    return data


class TestRequiredFieldsAreMarked:
    def test_what_must_be_filled_says_so(self, editor_client):
        page = editor_client.get(ADD).content.decode()
        for field_id in ("id_name", "id_summary", "id_invasiveness", "id_source"):
            assert label(page, field_id).endswith("(required):"), field_id
        # A fact's list that starts blank, on its blank form.
        assert label(page, "id_side_effects-0-effect") == "Side effect (required):"

    def test_what_may_be_left_alone_does_not(self, editor_client):
        page = editor_client.get(ADD).content.decode()
        for field_id in (
            "id_how_it_works",  # optional text
            "id_anaesthesia",  # a list whose every choice is an answer
            "id_source_location",
            "id_side_effects-0-source",  # blank: the treatment's source
        ):
            assert "(required)" not in label(page, field_id), field_id

    def test_a_source_kind_is_marked(self, editor_client):
        page = editor_client.get(SOURCE_ADD).content.decode()
        assert label(page, "id_kind") == "What kind of publication (required):"
        assert label(page, "id_title") == "Title (required):"
        assert "(required)" not in label(page, "id_publisher")


class TestTheFewWordsForComparisons:
    def test_they_sit_after_the_text_they_sum_up(self, editor_client):
        page = editor_client.get(ADD).content.decode()
        rows = re.findall(r'<div class="form-row[^"]*\bfield-(\w+)', page)
        for name in Treatment.PROSE_WITH_BRIEF:
            assert rows[rows.index(name) + 1] == f"{name}_brief", name
        assert "In a few words, for comparisons" not in page

    def test_they_are_needed_when_the_text_has_any(self, editor_client):
        data = new_treatment_data(editor_client, how_it_feels="Warm, then hot.")
        response = editor_client.post(ADD, data)
        assert response.status_code == 200
        assert form_errors(response)["form"] == {
            "how_it_feels_brief": [
                "Sum up “How it feels” in a few words too: a comparison shows "
                "them first."
            ]
        }
        assert not Treatment.objects.exists()

        data["how_it_feels_brief"] = "Warm, then hot"
        assert editor_client.post(ADD, data).status_code == 302
        assert Treatment.objects.get().how_it_feels_brief == "Warm, then hot"

    def test_an_edit_elsewhere_asks_for_them_too(self, editor_client):
        treatment = make_treatment("Laser", cautions="Mind the sun.")
        data = change_form_data(editor_client, change_url(treatment))
        data["summary"] = "A new summary."
        response = editor_client.post(change_url(treatment), data)
        assert response.status_code == 200
        assert set(form_errors(response)["form"]) == {"cautions_brief"}

    def test_without_them_a_comparison_shows_the_texts_opening_words(self, client):
        source = make_source()
        long_text = (
            "Check that the people who will carry out your procedure are "
            "professionals who will do it properly. Ask to see their training."
        )
        alpha = make_treatment("Alpha", source=source, cautions=long_text)
        beta = make_treatment("Beta", source=source, how_it_feels="Warm.")
        page = client.get(
            f"/compare/?treatments={alpha.slug}&treatments={beta.slug}"
        ).content.decode()
        assert "Stated in its source" not in page
        # The short answer opens the details, where the prose is whole.
        assert re.search(r'<summary class="short">\s*Warm\s*<', page)
        # Cut at a word, within 80 characters; the whole text in the details.
        assert re.search(
            r'<summary class="short">\s*Check that the people who will carry out '
            r"your procedure are professionals who…\s*<",
            page,
        )
        assert "Ask to see their training." in page


class TestMilestones:
    def test_their_order_follows_the_days_and_no_number_is_asked(self, editor_client):
        area = make_area("Thighs")
        data = new_treatment_data(
            editor_client, **{"treated_areas-0-body_area": area.pk}
        )
        assert not any(key.endswith("-order") for key in data)
        data.update(
            {
                "milestones-TOTAL_FORMS": "2",
                # The later one first, as an editor may add them.
                "milestones-0-kind": "exercise",
                "milestones-0-wording": "After a couple of weeks",
                "milestones-0-days_min": "14",
                "milestones-0-days_max": "21",
                "milestones-1-kind": "daily-activities",
                "milestones-1-wording": "After a couple of days",
                "milestones-1-days_min": "2",
                "milestones-1-days_max": "3",
            }
        )
        response = editor_client.post(ADD, data)
        assert response.status_code == 302, form_errors(response)
        treatment = Treatment.objects.get()
        assert [(m.kind, m.order) for m in treatment.milestones.all()] == [
            ("daily-activities", 2),
            ("exercise", 1),
        ]

        page = editor_client.get(change_url(treatment)).content.decode()
        assert "milestones-0-order" not in page
        timeline = editor_client.get(treatment.get_absolute_url()).content.decode()
        assert timeline.index("After a couple of days") < timeline.index(
            "After a couple of weeks"
        )

    def test_a_span_comes_before_the_day_it_ends_on(self):
        treatment = make_treatment()
        for kind, days in (("final-result", (365, 365)), ("progress", (0, 365))):
            Milestone.objects.create(
                treatment=treatment,
                kind=kind,
                days_min=days[0],
                days_max=days[1],
                wording=kind,
                source=treatment.source,
            )
        assert [m.kind for m in treatment.milestones.all()] == [
            "progress",
            "final-result",
        ]
        assert [m.order for m in treatment.milestones.all()] == [2, 1]


class TestSourceKind:
    def test_a_new_source_has_no_kind_until_the_editor_chooses(self, editor_client):
        assert not Source._meta.get_field("kind").has_default()
        form = editor_client.get(SOURCE_ADD).context["adminform"].form
        assert form["kind"].value() is None
        page = editor_client.get(SOURCE_ADD).content.decode()
        assert re.search(r'<option value="" selected>', page)

        data = change_form_data(editor_client, SOURCE_ADD)
        data.update(title="An article", slug="an-article")
        response = editor_client.post(SOURCE_ADD, data)
        assert response.status_code == 200
        assert form_errors(response)["form"] == {"kind": ["This field is required."]}
        assert not Source.objects.exists()

        data["kind"] = "peer-reviewed-study"
        assert editor_client.post(SOURCE_ADD, data).status_code == 302
        assert Source.objects.get().kind == "peer-reviewed-study"

    def test_the_database_refuses_a_source_without_one(self):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            Source.objects.create(slug="no-kind", title="No kind")

    def test_no_command_line_on_the_source_form(self, editor_client):
        source = make_source()
        page = editor_client.get(change_url(source)).content.decode()
        assert "manage.py" not in page
        assert "check_sources" not in page
        assert "Not checked yet. The site checks every source" in page


@pytest.mark.django_db(transaction=True)
def test_existing_sources_keep_their_kind_through_the_migration():
    """The kind lost its default and gained a rule: existing rows stay."""
    before = [("treatments", "0016_catalogue_indexes_cover_counts")]
    after = [("treatments", "0017_labels_as_the_public_page_words_them")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("treatments", "Source")
    old.objects.create(slug="kept", title="Kept")  # the old default kind
    old.objects.create(slug="study", title="Study", kind="peer-reviewed-study")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("treatments", "Source")
    assert dict(new.objects.values_list("slug", "kind")) == {
        "kept": "general-interest-article",
        "study": "peer-reviewed-study",
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


class TestLabelsAsThePublicPageWordsThem:
    def test_the_treatment_form(self, seeded, editor_client):
        meso = Treatment.objects.get(slug="mesotherapy")
        page = editor_client.get(change_url(meso)).content.decode()
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
        for public in (
            "How invasive",
            "Is it normal?",
            "How long it lasts",
            "How many sessions",
            "Time between sessions",
            "When results usually show",
            "Body areas it is used on",
            "Not a treatment: what happens without one",
            "How we read it",
        ):
            assert public in text, public
        for jargon in (
            "What is normal:",
            "Session plan: #1",
            "Session plan for Mesotherapy",
            "Invasiveness",
            "Baseline",
            "Shortest interval",
            ": #",
        ):
            assert jargon not in text, jargon
        # Examples in the help.
        assert "E.g. “Expected after the procedure.”" in text

    def test_a_new_fact_is_headed_in_words(self, editor_client):
        page = editor_client.get(ADD).content.decode()
        assert "<b>New side effect</b>" in page
        assert "<b>New milestone</b>" in page  # the form "Add another" copies
        assert "#1" not in page

    def test_a_saved_fact_is_headed_by_what_it_is(self, editor_client):
        treatment = make_treatment()
        treatment.side_effects.create(
            effect=Effect.objects.create(name="Bruising", slug="bruising"),
            frequency="common",
        )
        page = editor_client.get(change_url(treatment)).content.decode()
        assert (
            '<b>Side effect:</b> <span class="inline_label">Bruising (common)</span>'
            in page
        )
