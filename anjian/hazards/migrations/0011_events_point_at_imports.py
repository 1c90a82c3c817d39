# ImportBatch moved to imports (imports 0001): imported events point there. State only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0010_notices_to_enforcement"),
        ("imports", "0001_batch_from_enterprises"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="hazardevent",
                    name="batch",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="imports.importbatch"),
                ),
            ],
        ),
    ]
