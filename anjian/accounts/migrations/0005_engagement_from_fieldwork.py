# Engagement moves from fieldwork to accounts, next to Agency: an engagement is what an
# expert's scope is made of. The table is kept (state only here); 0006 renames it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_person_labels"),
        ("enterprises", "0004_name_trigram_index"),
        ("fieldwork", "0003_default_coverage_policy"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Engagement",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("starts_on", models.DateField(verbose_name="starts on")),
                        ("ends_on", models.DateField(verbose_name="ends on")),
                        ("agency", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="engagements", to="accounts.agency")),
                        ("enterprises", models.ManyToManyField(related_name="engagements", to="enterprises.enterprise")),
                        ("experts", models.ManyToManyField(related_name="engagements", to=settings.AUTH_USER_MODEL)),
                        ("zone", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region")),
                    ],
                    options={
                        "verbose_name": "engagement",
                        "verbose_name_plural": "engagements",
                        "db_table": "fieldwork_engagement",
                        "constraints": [models.CheckConstraint(condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="engagement_ends_after_start", violation_error_message="It cannot end before it starts.")],
                    },
                ),
            ],
        ),
    ]
