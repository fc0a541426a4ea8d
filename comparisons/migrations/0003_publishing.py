"""Published or not becomes a status (draft, in review, published), only
publishers may publish, and each comparison gets a next-review date."""

from django.db import migrations, models

from editorial import groups
from editorial.publishing import a_year_after


def forwards(apps, schema_editor):
    Model = apps.get_model("comparisons", "comparison")
    for record in Model.objects.all():
        record.status = "published" if record.is_published else "draft"
        record.next_review_due = a_year_after(record.last_reviewed)
        record.save(update_fields=["status", "next_review_due"])
    groups.grant(
        apps, "comparisons", group=groups.PUBLISHERS, codenames=["publish_comparison"]
    )


def backwards(apps, schema_editor):
    Model = apps.get_model("comparisons", "comparison")
    Model.objects.filter(status="published").update(is_published=True)
    groups.revoke(apps, "comparisons", group=groups.PUBLISHERS)


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0002_content_editors_may_edit_comparisons"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="comparison",
            options={
                "ordering": ["title"],
                "permissions": [
                    ("publish_comparison", "Can publish and unpublish comparisons")
                ],
            },
        ),
        migrations.AddField(
            model_name="comparison",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("review", "In review"),
                    ("published", "Published"),
                ],
                default="draft",
                help_text="Only published content is public. Publishers publish "
                "what editors submit for review.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="comparison",
            name="next_review_due",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="comparison",
            name="next_review_due",
            field=models.DateField(
                blank=True, help_text="Leave blank for 12 months after the last review."
            ),
        ),
        migrations.AlterField(
            model_name="comparison",
            name="last_reviewed",
            field=models.DateField(
                help_text="When an editor last checked this against its sources."
            ),
        ),
        migrations.RemoveField(model_name="comparison", name="is_published"),
        migrations.AddConstraint(
            model_name="comparison",
            constraint=models.CheckConstraint(
                condition=models.Q(("next_review_due__gte", models.F("last_reviewed"))),
                name="comparisons_comparison_review_due_after_review",
                violation_error_message="The next review cannot be due before the "
                "last review.",
            ),
        ),
    ]
