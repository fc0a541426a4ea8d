"""What waits for a publisher when review arrives: each draft already "In
review" opens a new page waiting (editorial/pending.py); and public change
notes are published by publishers, so editors keep only reading them
(editorial/groups.py grants; this takes back what editors had)."""

from django.db import migrations
from django.utils import timezone

REVIEWED = [("treatments", "treatment"), ("comparisons", "comparison")]
NOTE_ACTIONS = ["add_changenote", "change_changenote", "delete_changenote"]


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    PendingVersion = apps.get_model("editorial", "PendingVersion")
    for app_label, model_name in REVIEWED:
        Model = apps.get_model(app_label, model_name)
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model_name
        )
        for record in Model.objects.filter(status="review"):
            PendingVersion.objects.get_or_create(
                content_type=content_type,
                object_id=record.pk,
                kind="new",
                state="waiting",
                defaults={
                    "object_repr": (
                        getattr(record, "name", None) or getattr(record, "title", "")
                    )[:200],
                    "submitted_at": timezone.now(),
                },
            )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Content editors"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="editorial", codename__in=NOTE_ACTIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("editorial", "0003_versions_waiting_and_preview_links"),
        ("treatments", "0018_review_of_changes_and_scheduling"),
        ("comparisons", "0006_reviewed_when_published_and_unpublish_at"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
