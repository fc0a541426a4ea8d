"""
The catalogue in and out as CSV or XLSX (django-import-export).

Records are keyed by their natural keys, never by primary keys: a source, a
body area, a side-effect kind, a condition or a treatment by its slug; a
fact by its treatment's slug and what it is about (the body area, the kind
of side effect, the milestone's position). A file exported from one site
imports into another, or into an empty database, as the same content.

Every import is all or nothing: a row that fails is reported with its line,
its column and the value, in plain words, and nothing of the file is
written (a transaction rolled back on any error, validation errors
included). The model's own rules (`clean()`) are checked on every row.
Columns are headed in the forms' words, and each kind of file has a template
(editorial/importing.py). Import a file after the files it refers to
(`CATALOGUE`, shown on every import page): sources, body areas, side-effect
kinds and conditions, then treatments, then their facts.
"""

from diff_match_patch import diff_match_patch
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import mark_safe
from import_export import resources

from editorial import review
from editorial.importing import EditorResource
from editorial.publishing import Status

from .models import (
    BodyArea,
    Condition,
    ConditionFact,
    Effect,
    Milestone,
    SessionPlan,
    SideEffect,
    Source,
    TreatedArea,
    Treatment,
)

BY_SLUG = {"field": "slug"}


class PlainDiff(resources.Diff):
    """The preview's changes as <ins> and <del>: the library's diff carries
    inline styles, which the site's Content-Security-Policy refuses (the
    admin's stylesheet colours them instead)."""

    def as_html(self):
        marks = {
            diff_match_patch.DIFF_INSERT: "ins",
            diff_match_patch.DIFF_DELETE: "del",
        }
        dmp = diff_match_patch()
        cells = []
        for before, after in zip(self.left, self.right, strict=True):
            if before != after and self.new:
                before = ""
            diff = dmp.diff_main(force_str(before), force_str(after))
            dmp.diff_cleanupSemantic(diff)
            cells.append(
                mark_safe(
                    "".join(
                        f"<{marks[op]}>{escape(text)}</{marks[op]}>"
                        if op in marks
                        else escape(text)
                        for op, text in diff
                    )
                )
            )
        return cells


class CatalogueResource(EditorResource):
    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_diff_class(self):
        return PlainDiff

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        # Nothing reaches the public without a publisher (editorial/
        # review.py): a file may add drafts and new records, but a change
        # to what the public sees is made in the admin, where it waits.
        user = kwargs.get("user")
        record = self.reviewed_record(instance)
        if (
            user is not None
            and record is not None
            and record.pk is not None
            and not review.may_publish(user, type(record))
            and review.changes_wait(record, review.open_versions(record))
        ):
            raise ValidationError(
                f"“{record}” is published: only a publisher may import changes "
                "to it. Make the change in its page in the admin, where it "
                "waits for a publisher."
            )

    def reviewed_record(self, instance):
        """The record a change to `instance` changes, for review: itself,
        unless it is new."""
        return None if instance._state.adding else instance

    def import_data(self, dataset, **kwargs):
        # All or nothing, whoever calls it (the admin, a script, a test).
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)


class OwnedResource(CatalogueResource):
    """Records that belong to another (`owner`), exported from the owner's
    list in the admin: the records of the owners listed there."""

    owner = None

    def reviewed_record(self, instance):
        # A fact, new or not, changes its owner's page.
        return getattr(instance, self.owner, None)

    def filter_export(self, queryset, **kwargs):
        model = self._meta.model
        if queryset.model is not model:
            queryset = model.objects.filter(
                **{f"{self.owner}__in": queryset.values("pk")}
            )
        # Each row names its foreign keys by slug: load them with it.
        related = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and field.name in self._meta.fields
        ]
        return queryset.select_related(*related).order_by(*self._meta.import_id_fields)


class SourceResource(CatalogueResource):
    class Meta(CatalogueResource.Meta):
        model = Source
        name = "Sources"
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "kind",
            "cites_studies",
            "funded_by_advertising",
            "publisher",
            "author",
            "url",
            "date_updated",
            "notes",
        ]


class BodyAreaResource(CatalogueResource):
    class Meta(CatalogueResource.Meta):
        model = BodyArea
        name = "Body areas"
        import_id_fields = ["slug"]
        fields = ["slug", "name", "parent"]
        widgets = {"parent": BY_SLUG}

    def filter_export(self, queryset, **kwargs):
        # Larger areas before the areas inside them, so that each row's
        # parent is already there when the file is imported.
        depth = Case(
            When(parent__isnull=True, then=Value(0)),
            When(parent__parent__isnull=True, then=Value(1)),
            When(parent__parent__parent__isnull=True, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return queryset.order_by(depth, "name")


class EffectResource(CatalogueResource):
    class Meta(CatalogueResource.Meta):
        model = Effect
        name = "Side-effect kinds"
        import_id_fields = ["slug"]
        fields = ["slug", "name"]


class ConditionResource(CatalogueResource):
    class Meta(CatalogueResource.Meta):
        model = Condition
        name = "Conditions"
        import_id_fields = ["slug"]
        fields = ["slug", "name", "summary"]


class ConditionFactResource(OwnedResource):
    owner = "condition"
    column_notes = {
        "order": "Its place among the condition's facts: 1 for the first.",
        "source": "Its slug.",
    }

    class Meta(CatalogueResource.Meta):
        model = ConditionFact
        name = "Conditions' facts"
        import_id_fields = ["condition", "order"]
        fields = ["condition", "order", "text", "source", "source_location"]
        widgets = {"condition": BY_SLUG, "source": BY_SLUG}


# Its own fields, in the model's order but with the name first and the
# publishing fields last; the body areas are facts (TreatedAreaResource).
PUBLISHING = ["status", "last_reviewed", "next_review_due"]
TREATMENT_FIELDS = [
    "slug",
    "name",
    *(
        field.name
        for field in Treatment._meta.get_fields()
        if field.concrete
        and not field.primary_key
        # Derived, not content (serialize=False): the stored reading age,
        # the first day back to daily activities.
        and field.serialize
        # A time to unpublish is a publisher's, set on the review page.
        and field.name
        not in {"slug", "name", "body_areas", "unpublish_at", *PUBLISHING}
    ),
    *PUBLISHING,
]


class TreatmentResource(CatalogueResource):
    """A treatment's own fields; its facts are in their own files."""

    class Meta(CatalogueResource.Meta):
        model = Treatment
        name = "Treatments"
        import_id_fields = ["slug"]
        fields = TREATMENT_FIELDS
        widgets = {
            "source": BY_SLUG,
            "conditions": {"field": "slug", "separator": "|"},
        }

    def import_instance(self, instance, row, **kwargs):
        before = instance.status
        super().import_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        changed = instance.status != before
        if (
            changed
            and Status.PUBLISHED in (before, instance.status)
            and not (user and user.has_perm("treatments.publish_treatment"))
        ):
            raise ValidationError(
                {
                    "status": "Only publishers may publish or unpublish; import "
                    "it as draft or review."
                }
            )


class FactResource(OwnedResource):
    """A fact of a treatment. A blank source is the treatment's."""

    owner = "treatment"
    optional_columns = ("source",)
    column_notes = {"source": "Blank: the treatment's source."}

    class Meta(CatalogueResource.Meta):
        widgets = {
            "treatment": BY_SLUG,
            "source": BY_SLUG,
            "body_area": BY_SLUG,
            "effect": BY_SLUG,
        }


def fact_fields(model, first):
    names = [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and not field.primary_key and field.name not in first
    ]
    return [*first, *names]


class SessionPlanResource(FactResource):
    class Meta(FactResource.Meta):
        model = SessionPlan
        name = "Treatments' sessions"
        import_id_fields = ["treatment"]
        fields = fact_fields(SessionPlan, ["treatment"])


class TreatedAreaResource(FactResource):
    class Meta(FactResource.Meta):
        model = TreatedArea
        name = "Treatments' body areas"
        import_id_fields = ["treatment", "body_area"]
        fields = fact_fields(TreatedArea, ["treatment", "body_area"])


class SideEffectResource(FactResource):
    class Meta(FactResource.Meta):
        model = SideEffect
        name = "Treatments' side effects"
        import_id_fields = ["treatment", "effect"]
        fields = fact_fields(SideEffect, ["treatment", "effect"])


class MilestoneResource(FactResource):
    optional_columns = ("source", "order")
    column_notes = {
        **FactResource.column_notes,
        "order": "Blank for a new milestone, which takes the next number; the "
        "number of one of the treatment's milestones changes that milestone.",
    }

    class Meta(FactResource.Meta):
        model = Milestone
        name = "Treatments' milestones"
        import_id_fields = ["treatment", "order"]
        fields = fact_fields(Milestone, ["treatment", "order"])


# In the order a whole catalogue is imported.
CATALOGUE = [
    SourceResource,
    BodyAreaResource,
    EffectResource,
    ConditionResource,
    ConditionFactResource,
    TreatmentResource,
    SessionPlanResource,
    TreatedAreaResource,
    SideEffectResource,
    MilestoneResource,
]
