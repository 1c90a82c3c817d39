# Rectification notices move from hazards to enforcement, the app the escalation ladder
# grows in. State only here (the table is kept); 0002 renames it, 0003 adds the issuing body.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("enterprises", "0004_name_trigram_index"),
        ("fieldwork", "0005_photo_to_evidence"),
        ("hazards", "0009_hazard_origin"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notice",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("type", models.CharField(choices=[("order", "Order to rectify within a time limit"), ("notice", "Rectification notice")], max_length=10, verbose_name="type")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("seq", models.PositiveIntegerField(verbose_name="sequence number")),
                        ("number", models.CharField(max_length=50, verbose_name="number")),
                        ("issued_on", models.DateField(verbose_name="issued on")),
                        ("deadline", models.DateField(verbose_name="rectify by")),
                        ("requirements", models.TextField(blank=True, verbose_name="requirements")),
                        ("served_on", models.DateField(blank=True, null=True, verbose_name="served on")),
                        ("received_by", models.CharField(blank=True, max_length=50, verbose_name="received by")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("enterprise", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="notices", to="enterprises.enterprise", verbose_name="enterprise")),
                        ("hazards", models.ManyToManyField(related_name="notices", to="hazards.hazard", verbose_name="hazards")),
                        ("issued_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="issued by")),
                        ("visit", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="notices", to="fieldwork.visit", verbose_name="visit")),
                    ],
                    options={
                        "verbose_name": "rectification notice",
                        "verbose_name_plural": "rectification notices",
                        "ordering": ["-issued_on", "-id"],
                        "db_table": "hazards_notice",
                        "indexes": [models.Index(fields=["enterprise", "issued_on", "id"], name="notice_ent_issued"), models.Index(fields=["issued_on", "id"], name="notice_issued")],
                        "constraints": [models.UniqueConstraint(fields=("type", "year", "seq"), name="notice_number_once", violation_error_message="This number has been given to another notice."), models.CheckConstraint(condition=models.Q(("deadline__gte", models.F("issued_on"))), name="notice_deadline_after_issue", violation_error_message="The deadline cannot be before the notice is issued."), models.CheckConstraint(condition=models.Q(("served_on__isnull", True), ("served_on__gte", models.F("issued_on")), _connector="OR"), name="notice_served_after_issue", violation_error_message="A notice cannot be served before it is issued.")],
                    },
                ),
            ],
        ),
    ]
