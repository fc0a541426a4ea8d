"""
The history in plain words (django-reversion with django-reversion-compare,
in the admin).

Every save of a record is kept as a version: when, who, what the save
recorded ("Changed One-line summary."), the record's status then, and the
public change note written with it (editorial/changes.py). Two versions
compare under the form's own labels: a field as before and after, the
record's facts (a treatment's side effects, milestones...) as added,
removed or changed, with what changed in each. What did not change is left
out. The library's own words ("Revert to a previous version of this
object", "not under reversion control") are the templates' in
templates/reversion/ and templates/reversion-compare/.
"""

import json
import re

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.loader import render_to_string
from django.utils.text import capfirst
from reversion.models import Version
from reversion_compare.forms import SelectDiffForm

from core.seeding import LOADED_COMMENT, UPDATED_COMMENT

from .changes import ChangeNote

BLANK = "(blank)"

# What machinery wrote as a revision's comment, as an editor would say it.
COMMENTS = {
    LOADED_COMMENT: "First version: the site's starting content",
    UPDATED_COMMENT: "Updated from the site's starting content",
    "Initial version.": "Added",
    "": "Saved",
}
RESTORED = re.compile(r"^Reverted to previous version, saved on (?P<when>.+)$")


def plain_comment(comment):
    """A revision's comment, in an editor's words."""
    comment = (comment or "").strip()
    if comment in COMMENTS:
        return COMMENTS[comment]
    restored = RESTORED.match(comment)
    if restored:
        return f"Restored the version saved on {restored['when']}"
    return comment


def stored_fields(version):
    """The fields a version holds, as stored (no database query)."""
    try:
        return json.loads(version.serialized_data)[0]["fields"]
    except (ValueError, LookupError, TypeError):
        return {}


def notes_by_revision(revision_ids):
    notes = {}
    for note in ChangeNote.objects.filter(revision_id__in=revision_ids).order_by("pk"):
        notes.setdefault(note.revision_id, []).append(note.text)
    return notes


def shown(field, value):
    """A stored value as the form shows it: a choice by its label, a
    record by its name, yes or no."""
    if value is None or value == "":
        return BLANK
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if field.is_relation and field.many_to_one:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else "(deleted)"
    return str(value)


def fact_changes(model, before, after, owner_field):
    """[(label, before, after)] for each field of a fact (a version of
    `model`) whose value differs, leaving out its key and its owner."""
    first, second = before.field_dict, after.field_dict
    changes = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name == owner_field:
            continue
        old = first.get(field.attname)
        new = second.get(field.attname)
        if old != new:
            label = capfirst(field.verbose_name)
            changes.append((label, shown(field, old), shown(field, new)))
    return changes


class PlainHistoryMixin:
    """For a CompareVersionAdmin: the history list and the compare view in
    plain words (see the module's docstring)."""

    def history_label(self, field):
        """A field's label in the compare view: the form's for the record's
        own fields, the inline's heading for its facts."""
        if not field.is_relation or field.concrete:
            return capfirst(field.verbose_name)
        related = field.related_model
        for inline in getattr(self, "inlines", ()):
            if inline.model is related:
                if field.one_to_one:
                    name = inline.verbose_name or related._meta.verbose_name
                else:
                    name = (
                        inline.verbose_name_plural or related._meta.verbose_name_plural
                    )
                return capfirst(name)
        return capfirst(related._meta.verbose_name_plural)

    # The history list.

    def _get_action_list(self, request, object_id, extra_context=None):
        actions = super()._get_action_list(request, object_id, extra_context)
        notes = notes_by_revision([action["revision"].pk for action in actions])
        try:
            status = self.model._meta.get_field("status")
        except FieldDoesNotExist:
            status = None
        for action in actions:
            action["comment"] = plain_comment(action["revision"].comment)
            action["notes"] = notes.get(action["revision"].pk, [])
            if status is not None:
                value = stored_fields(action["version"]).get("status")
                action["status"] = shown(status, value) if value else ""
        return actions

    def history_view(self, request, object_id, extra_context=None):
        extra = {"has_status": any(f.name == "status" for f in self.opts.fields)}
        return super().history_view(
            request, object_id, {**extra, **(extra_context or {})}
        )

    # The compare view.

    def compare(self, obj, version1, version2):
        diff, _unfollowed = super().compare(obj, version1, version2)
        for item in diff:
            item["label"] = self.history_label(item["field"])
        # Every related record is shown by its name, from the versions or
        # the database: nothing is "not under reversion control".
        return diff, False

    def compare_view(self, request, object_id, extra_context=None):
        """Also what each save between the two versions recorded, and the
        public notes written with them."""
        extra = {}
        form = SelectDiffForm(request.GET)
        if form.is_valid():
            low, high = sorted(
                [form.cleaned_data["version_id1"], form.cleaned_data["version_id2"]]
            )
            versions = list(
                Version.objects.get_for_object_reference(self.model, unquote(object_id))
                .filter(pk__gt=low, pk__lte=high)
                .select_related("revision__user")
                .order_by("pk")
            )
            notes = notes_by_revision([version.revision_id for version in versions])
            extra["saves"] = [
                {
                    "revision": version.revision,
                    "comment": plain_comment(version.revision.comment),
                    "notes": notes.get(version.revision_id, []),
                }
                for version in versions
            ]
        return super().compare_view(
            request, object_id, {**extra, **(extra_context or {})}
        )

    def fallback_compare(self, obj_compare):
        field = obj_compare.field
        if getattr(field, "choices", None):
            # "Draft → Published", not a diff of the letters.
            return render_to_string(
                "reversion-compare/compare_before_after.html",
                {
                    "before": shown(field, obj_compare.value1),
                    "after": shown(field, obj_compare.value2),
                },
            )
        return super().fallback_compare(obj_compare)

    def compare_ForeignKey(self, obj_compare):
        related1, related2 = obj_compare.get_related()
        return render_to_string(
            "reversion-compare/compare_before_after.html",
            {
                "before": BLANK if related1 is None else str(related1),
                "after": BLANK if related2 is None else str(related2),
            },
        )

    def compare_BooleanField(self, obj_compare):
        return render_to_string(
            "reversion-compare/compare_before_after.html",
            {
                "before": shown(obj_compare.field, obj_compare.value1),
                "after": shown(obj_compare.field, obj_compare.value2),
            },
        )

    def compare_ManyToOneRel(self, obj_compare):
        """A record's facts: those added, removed, and changed (with what
        changed in each); not those that stayed the same."""
        info = obj_compare.get_m2o_change_info()
        model = obj_compare.field.related_model
        owner = obj_compare.field.field.name
        return self._render_facts(info, model, owner)

    def compare_ManyToManyField(self, obj_compare):
        return self._render_facts(obj_compare.get_m2m_change_info(), None, None)

    def _render_facts(self, info, model, owner):
        changed = []
        for before, after in info["changed_items"]:
            changes = fact_changes(model, before, after, owner) if model else []
            changed.append({"name": str(after), "changes": changes})
        added = [str(item) for item in info["added_items"]]
        added += [str(item) for item in info["added_missing_objects"]]
        removed = [str(item) for item in info["removed_items"]]
        removed += [str(item) for item in info["removed_missing_objects"]]
        removed += [str(item) for item in info["deleted_items"]]
        return render_to_string(
            "reversion-compare/compare_facts.html",
            {"added": added, "removed": removed, "changed": changed},
        )
