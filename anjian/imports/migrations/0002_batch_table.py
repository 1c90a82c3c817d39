# The moved ImportBatch takes its own app's table name.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_batch_from_enterprises"),
        ("enterprises", "0005_importbatch_to_imports"),
    ]

    operations = [
        migrations.AlterModelTable(name="importbatch", table=None),
    ]
