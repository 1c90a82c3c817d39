# Photo moved to evidence (evidence 0001): the hazard's and its events' photo links point
# there. State only: the link tables stay as they are.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0007_ledger_text_search_indexes"),
        ("evidence", "0001_photo_from_fieldwork"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="hazard",
                    name="before_photos",
                    field=models.ManyToManyField(blank=True, related_name="+", to="evidence.photo"),
                ),
                migrations.AlterField(
                    model_name="hazard",
                    name="after_photos",
                    field=models.ManyToManyField(blank=True, related_name="+", to="evidence.photo"),
                ),
                migrations.AlterField(
                    model_name="hazardevent",
                    name="photos",
                    field=models.ManyToManyField(blank=True, related_name="+", to="evidence.photo"),
                ),
            ],
        ),
    ]
