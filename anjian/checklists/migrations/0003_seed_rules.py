"""Seed the standards and checklists of RULES.md §5 (anjian.checklists.seed_data)."""

from django.db import migrations


def seed(apps, schema_editor):
    from anjian.checklists import seed_data

    seed_data.load(apps)


def unseed(apps, schema_editor):
    from anjian.checklists import seed_data

    seed_data.unload(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("checklists", "0002_version_publisher_one_draft"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
