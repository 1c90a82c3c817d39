# Numbers run per issuing body as well (documents.numbering): each notice records the zone
# whose office issued it — its enterprise's — and each (type, zone, year) gets a counter at
# the highest number given there so far.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max


def fill_bodies(apps, schema_editor):
    Notice = apps.get_model("enforcement", "Notice")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Counter = apps.get_model("documents", "Counter")
    zones = dict(
        Enterprise.objects.filter(
            pk__in=Notice.objects.values("enterprise_id")
        ).values_list("id", "zone_id")
    )
    for enterprise_id, zone_id in zones.items():
        Notice.objects.filter(enterprise_id=enterprise_id).update(body_id=zone_id)
    last = Notice.objects.values("type", "body_id", "year").annotate(last=Max("seq"))
    Counter.objects.bulk_create(
        Counter(kind=r["type"], body_id=r["body_id"], year=r["year"], last=r["last"]) for r in last
    )


def drop_counters(apps, schema_editor):
    apps.get_model("documents", "Counter").objects.filter(kind__in=["order", "notice"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("enforcement", "0002_notice_table"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="body",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region", verbose_name="issuing body"),
        ),
        migrations.RunPython(fill_bodies, drop_counters),
        migrations.AlterField(
            model_name="notice",
            name="body",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region", verbose_name="issuing body"),
        ),
        migrations.RemoveConstraint(model_name="notice", name="notice_number_once"),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.UniqueConstraint(fields=("type", "body", "year", "seq"), name="notice_number_once", violation_error_message="This number has been given to another notice."),
        ),
    ]
