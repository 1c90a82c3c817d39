# Engagement now lives in accounts (accounts 0005); the table stays and is renamed there.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0003_default_coverage_policy"),
        ("accounts", "0005_engagement_from_fieldwork"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Engagement")],
        ),
    ]
