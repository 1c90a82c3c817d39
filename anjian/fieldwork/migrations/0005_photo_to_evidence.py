# Photo now lives in evidence (evidence 0001): the links point there, and the model leaves
# fieldwork's state. No table changes here.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0004_engagement_to_accounts"),
        ("evidence", "0001_photo_from_fieldwork"),
        ("hazards", "0008_photos_from_evidence"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="visit",
                    name="photos",
                    field=models.ManyToManyField(blank=True, related_name="visits", to="evidence.photo"),
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="photos",
                    field=models.ManyToManyField(blank=True, related_name="answers", to="evidence.photo"),
                ),
                migrations.DeleteModel(name="Photo"),
            ],
        ),
    ]
