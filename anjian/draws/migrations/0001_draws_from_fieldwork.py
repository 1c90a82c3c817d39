# Double-random draws move from fieldwork to draws, an app of their own. State only here (the
# tables are kept); 0002 gives them this app's table names.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("enterprises", "0005_importbatch_to_imports"),
        ("fieldwork", "0005_photo_to_evidence"),
        ("regions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Draw',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('seed', models.PositiveBigIntegerField(verbose_name='seed')),
                        ('criteria', models.JSONField(blank=True, default=dict, verbose_name='object list filter')),
                        ('enterprise_ids', models.JSONField(default=list, verbose_name='object list')),
                        ('officer_ids', models.JSONField(default=list, verbose_name='inspector list')),
                        ('size', models.PositiveIntegerField(verbose_name='enterprises drawn')),
                        ('per_enterprise', models.PositiveSmallIntegerField(default=2, verbose_name='officers per enterprise')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('office', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('zone', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region')),
                    ],
                    options={
                        'verbose_name': 'double-random draw',
                        'verbose_name_plural': 'double-random draws',
                        'ordering': ['-created_at', '-id'],
                        'db_table': 'fieldwork_draw',
                        'indexes': [models.Index(fields=['zone', 'created_at', 'id'], name='draw_zone_created'), models.Index(fields=['office', 'created_at', 'id'], name='draw_office_created')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('size__gte', 1)), name='draw_size_positive', violation_error_message='Draw at least one enterprise.'), models.CheckConstraint(condition=models.Q(models.Q(('published_at__isnull', True), ('published_by__isnull', True)), models.Q(('published_at__isnull', False), ('published_by__isnull', False)), _connector='OR'), name='draw_published_by_whom', violation_error_message='A published draw records who published it.')],
                    },
                ),
                migrations.CreateModel(
                    name='DrawItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveIntegerField()),
                        ('draw', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='draws.draw')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='draw_items', to='enterprises.enterprise')),
                        ('officers', models.ManyToManyField(related_name='draw_items', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'drawn enterprise',
                        'verbose_name_plural': 'drawn enterprises',
                        'ordering': ['draw', 'position'],
                        'db_table': 'fieldwork_drawitem',
                        'constraints': [models.UniqueConstraint(fields=('draw', 'enterprise'), name='draw_item_enterprise_once', violation_error_message='An enterprise is drawn once per draw.'), models.UniqueConstraint(fields=('draw', 'position'), name='draw_item_position_unique', violation_error_message='Each position holds one enterprise.')],
                    },
                ),
            ],
        ),
    ]
