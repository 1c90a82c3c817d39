"""Audit entries name the object they are about by its model's label. Issue 8 moved models to
apps of their own; entries written before the move get the new label, so one object's trail
is read (and filtered on the audit page) under one name. Only the label changes: who, when,
what and the changes stay as they were written."""

from django.db import migrations

# old label -> new label, for every model that moved app
MOVED = {
    "hazards.notice": "enforcement.notice",
    "fieldwork.photo": "evidence.photo",
    "enterprises.importbatch": "imports.importbatch",
    "fieldwork.draw": "draws.draw",
    "fieldwork.drawitem": "draws.drawitem",
    "fieldwork.coveragepolicy": "coverage.coveragepolicy",
    "fieldwork.engagement": "accounts.engagement",
}


def relabel(mapping):
    def run(apps, schema_editor):
        Entry = apps.get_model("audit", "Entry")
        for old, new in mapping.items():
            Entry.objects.filter(object_type=old).update(object_type=new)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            relabel(MOVED), relabel({new: old for old, new in MOVED.items()}), elidable=False
        )
    ]
