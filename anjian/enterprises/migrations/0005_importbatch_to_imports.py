# ImportBatch now lives in imports (imports 0001); its table stays and is renamed there.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_name_trigram_index"),
        ("imports", "0001_batch_from_enterprises"),
        ("hazards", "0011_events_point_at_imports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportBatch")],
        ),
    ]
