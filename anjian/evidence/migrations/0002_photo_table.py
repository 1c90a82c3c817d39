# The moved Photo takes its own app's table name, once every reference points here
# (fieldwork 0005, hazards 0008).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_photo_from_fieldwork"),
        ("fieldwork", "0005_photo_to_evidence"),
        ("hazards", "0008_photos_from_evidence"),
    ]

    operations = [
        migrations.AlterModelTable(name="photo", table=None),
    ]
