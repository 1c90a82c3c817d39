# Draws and the coverage policy now live in their own apps (draws 0001, coverage 0001): they
# leave fieldwork's state. Their tables are renamed there.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0006_visit_purpose"),
        ("draws", "0001_draws_from_fieldwork"),
        ("coverage", "0001_policy_from_fieldwork"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DrawItem"),
                migrations.DeleteModel(name="Draw"),
                migrations.DeleteModel(name="CoveragePolicy"),
            ],
        ),
    ]
