# ImportBatch moves from enterprises to imports, the one home of every import's batch and
# its life cycle. State only here (the table is kept); 0002 renames it.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("enterprises", "0004_name_trigram_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("registry", "Enterprise registry"), ("hazards", "Hazard ledger")], default="registry", max_length=10)),
                        ("filename", models.CharField(max_length=255)),
                        ("rows", models.PositiveIntegerField(default=0)),
                        ("content", models.BinaryField()),
                        ("report", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("committed_at", models.DateTimeField(blank=True, null=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "import batch",
                        "verbose_name_plural": "import batches",
                        "db_table": "enterprises_importbatch",
                    },
                ),
            ],
        ),
    ]
