"""Load the State Council's notices for 2020–2026 (anjian.workdays.published)."""

from django.db import migrations


def seed(apps, schema_editor):
    from anjian.workdays import published

    published.load(apps)


def unseed(apps, schema_editor):
    from anjian.workdays import published

    published.unload(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("workdays", "0001_calendar"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
