"""Public change notes, which editors and publishers may write."""


import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from editorial import groups


def grant(apps, schema_editor):
    # Editors write and correct change notes; publishers, who also edit,
    # as well.
    for group in (groups.GROUP, groups.PUBLISHERS):
        groups.grant(apps, "core", ["changenote"], group=group)


def revoke(apps, schema_editor):
    for group in (groups.GROUP, groups.PUBLISHERS):
        groups.revoke(apps, "core", group=group)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0002_content_version'),
        ('reversion', '0002_add_index_on_version_for_content_type_and_db'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChangeNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('text', models.CharField(help_text="Public: shown on the page and in the site's feed of changes.", max_length=300, verbose_name='what changed')),
                ('created', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                ('revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='change_notes', to='reversion.revision')),
            ],
            options={
                'verbose_name': 'public change note',
                'ordering': ['-created', '-pk'],
                'indexes': [models.Index(fields=['content_type', 'object_id', 'created'], name='changenote_record_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('text', ''), _negated=True), name='core_changenote_has_text', violation_error_message='A change note needs its text.')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
