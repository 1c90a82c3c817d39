# The moved coverage policy takes its own app's table name.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0001_policy_from_fieldwork"),
        ("fieldwork", "0007_draws_and_coverage_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="coveragepolicy", table=None),
    ]
