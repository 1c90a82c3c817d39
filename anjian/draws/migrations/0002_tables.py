# The moved draws take their own app's table names (the officers' link table follows).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("draws", "0001_draws_from_fieldwork"),
        ("fieldwork", "0007_draws_and_coverage_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="draw", table=None),
        migrations.AlterModelTable(name="drawitem", table=None),
    ]
