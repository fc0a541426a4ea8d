"""Public change notes and former addresses moved to the editorial app.

Only Django's record of the models moves here; their tables stay until
editorial's 0002 renames them, so no data is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_former_addresses"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ChangeNote"),
                migrations.DeleteModel(name="FormerAddress"),
            ],
        ),
    ]
