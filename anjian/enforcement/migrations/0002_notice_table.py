# The moved Notice takes its own app's table name (its hazards link table follows).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0001_notice_from_hazards"),
        ("hazards", "0010_notices_to_enforcement"),
    ]

    operations = [
        migrations.AlterModelTable(name="notice", table=None),
    ]
