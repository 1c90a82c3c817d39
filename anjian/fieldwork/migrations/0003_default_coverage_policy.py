"""Seed the default coverage policy rows (anjian.coverage.defaults)."""

from django.db import migrations


def seed(apps, schema_editor):
    from anjian.coverage import defaults as coverage_defaults

    coverage_defaults.load(apps)


def unseed(apps, schema_editor):
    from anjian.coverage import defaults as coverage_defaults

    coverage_defaults.unload(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("fieldwork", "0002_draws_and_coverage_policy"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
