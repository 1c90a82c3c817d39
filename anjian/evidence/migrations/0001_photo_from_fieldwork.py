# Photo moves from fieldwork to evidence, the one home of what records attach as proof.
# State only here (the table is kept); 0002 gives it this app's table name.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("fieldwork", "0004_engagement_to_accounts"),
        ("regions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Photo",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("client_uuid", models.UUIDField(default=uuid.uuid4, unique=True)),
                        ("file", models.FileField(upload_to="photos/%Y/%m/")),
                        ("content_type", models.CharField(max_length=50)),
                        ("size", models.PositiveIntegerField()),
                        ("sha256", models.CharField(max_length=64)),
                        ("taken_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("latitude", models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True)),
                        ("longitude", models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True)),
                        ("uploaded_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("zone", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region")),
                    ],
                    options={
                        "verbose_name": "photo",
                        "verbose_name_plural": "photos",
                        "db_table": "fieldwork_photo",
                    },
                ),
            ],
        ),
    ]
