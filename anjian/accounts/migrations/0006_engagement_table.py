# The moved Engagement takes its own app's table name (its two link tables follow).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_engagement_from_fieldwork"),
        ("fieldwork", "0004_engagement_to_accounts"),
    ]

    operations = [
        migrations.AlterModelTable(name="engagement", table=None),
    ]
