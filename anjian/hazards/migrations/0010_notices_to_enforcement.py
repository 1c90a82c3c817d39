# Notices now live in enforcement (enforcement 0001), their numbers in documents.Counter
# (filled from the notices by enforcement 0003): the notice leaves hazards' state, and the
# old per-(type, year) counter table goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0009_hazard_origin"),
        ("enforcement", "0001_notice_from_hazards"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notice")],
        ),
        migrations.DeleteModel(name="NoticeCounter"),
    ]
