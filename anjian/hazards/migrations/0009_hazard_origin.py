# Where a hazard came from becomes a reference any capability can make (content type + id)
# instead of a foreign key to fieldwork's visits: the visit of each hazard is copied over,
# then the visit column goes.

import django.db.models.deletion
from django.db import migrations, models


def copy_visits(apps, schema_editor):
    Hazard = apps.get_model("hazards", "Hazard")
    if not Hazard.objects.filter(visit__isnull=False).exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    visit_type, _created = ContentType.objects.get_or_create(app_label="fieldwork", model="visit")
    Hazard.objects.filter(visit__isnull=False).update(
        origin_type=visit_type, origin_id=models.F("visit_id")
    )


def copy_back(apps, schema_editor):
    Hazard = apps.get_model("hazards", "Hazard")
    ContentType = apps.get_model("contenttypes", "ContentType")
    visit_type = ContentType.objects.filter(app_label="fieldwork", model="visit").first()
    if visit_type is not None:
        Hazard.objects.filter(origin_type=visit_type).update(visit_id=models.F("origin_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("hazards", "0008_photos_from_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="hazard",
            name="origin_type",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.AddField(
            model_name="hazard",
            name="origin_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(copy_visits, copy_back),
        migrations.RemoveField(model_name="hazard", name="visit"),
        migrations.AddIndex(
            model_name="hazard",
            index=models.Index(fields=["origin_type", "origin_id"], name="hazard_origin"),
        ),
    ]
