"""The moved models' tables, content types and constraint under this app's
name. The content types keep their ids, so the editors' permissions on
change notes, and the admin's log, follow them."""

from django.db import migrations, models

MOVED = ["changenote", "formeraddress"]


def move_content_types(apps, schema_editor, source="core", target="editorial"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue  # a new database: made under the new name later
        # One made already under the new name (by a permission check) gives
        # way to the old one, which permissions and logs point to.
        ContentType.objects.filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="editorial", target="core")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.AlterModelTable(name="changenote", table=None),
        migrations.AlterModelTable(name="formeraddress", table=None),
        migrations.RemoveConstraint(
            model_name="changenote", name="core_changenote_has_text"
        ),
        migrations.AddConstraint(
            model_name="changenote",
            constraint=models.CheckConstraint(
                condition=models.Q(("text", ""), _negated=True),
                name="editorial_changenote_has_text",
                violation_error_message="A change note needs its text.",
            ),
        ),
    ]
