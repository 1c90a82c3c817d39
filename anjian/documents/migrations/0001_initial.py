import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=40)),
                ("year", models.PositiveSmallIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
                ("body", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("kind", "body", "year"), name="document_counter_once", violation_error_message="This kind already has a counter for this year.")],
            },
        ),
    ]
