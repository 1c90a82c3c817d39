# What a visit carries out becomes a reference any planning app can make (content type + id)
# instead of a foreign key to the drawn enterprise: each visit's draw item is copied over,
# then the column goes.

import django.db.models.deletion
from django.db import migrations, models


def copy_draw_items(apps, schema_editor):
    Visit = apps.get_model("fieldwork", "Visit")
    if not Visit.objects.filter(draw_item__isnull=False).exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    drawn, _created = ContentType.objects.get_or_create(app_label="draws", model="drawitem")
    Visit.objects.filter(draw_item__isnull=False).update(
        purpose_type=drawn, purpose_id=models.F("draw_item_id")
    )


def copy_back(apps, schema_editor):
    Visit = apps.get_model("fieldwork", "Visit")
    ContentType = apps.get_model("contenttypes", "ContentType")
    drawn = ContentType.objects.filter(app_label="draws", model="drawitem").first()
    if drawn is not None:
        Visit.objects.filter(purpose_type=drawn).update(draw_item_id=models.F("purpose_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("fieldwork", "0005_photo_to_evidence"),
        ("draws", "0001_draws_from_fieldwork"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="purpose_type",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.AddField(
            model_name="visit",
            name="purpose_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(copy_draw_items, copy_back),
        migrations.RemoveField(model_name="visit", name="draw_item"),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(fields=["purpose_type", "purpose_id"], name="visit_purpose"),
        ),
    ]
