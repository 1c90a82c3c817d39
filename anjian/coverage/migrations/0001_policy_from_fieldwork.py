# The coverage policy moves from fieldwork to coverage, an app of its own. State only here
# (the table is kept, with the default rows fieldwork 0003 seeded); 0002 renames it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("fieldwork", "0005_photo_to_evidence"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CoveragePolicy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sector', models.CharField(blank=True, choices=[('metallurgy', 'Metallurgy'), ('nonferrous', 'Non-ferrous metals'), ('building_materials', 'Building materials'), ('machinery', 'Machinery'), ('light_industry', 'Light industry'), ('textile', 'Textiles'), ('tobacco', 'Tobacco'), ('commerce', 'Commerce and trade'), ('hazardous_chemicals', 'Hazardous chemicals'), ('fireworks', 'Fireworks'), ('construction', 'Construction'), ('transport', 'Transport'), ('gas', 'Urban gas'), ('crowded_places', 'Crowded places'), ('other', 'Other')], max_length=30, verbose_name='sector')),
                        ('risk_class', models.CharField(blank=True, choices=[('red', 'Red (major risk)'), ('orange', 'Orange (higher risk)'), ('yellow', 'Yellow (general risk)'), ('blue', 'Blue (low risk)')], max_length=10, verbose_name='risk class')),
                        ('standardization_grade', models.CharField(blank=True, choices=[('1', 'Grade 1'), ('2', 'Grade 2'), ('3', 'Grade 3'), ('small', 'Small and micro')], max_length=10, verbose_name='standardization grade')),
                        ('visits', models.PositiveSmallIntegerField(verbose_name='visits required')),
                        ('period', models.CharField(choices=[('month', 'Month'), ('quarter', 'Quarter'), ('year', 'Year')], max_length=10, verbose_name='per')),
                        ('source_tag', models.CharField(choices=[('V', 'Verified against the official text'), ('S', 'Supported by secondary copies'), ('M', 'Unverified'), ('L', 'Local practice')], default='L', max_length=1, verbose_name='source tag')),
                        ('source', models.CharField(blank=True, max_length=200, verbose_name='source')),
                        ('zone', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region')),
                    ],
                    options={
                        'verbose_name': 'coverage policy',
                        'verbose_name_plural': 'coverage policies',
                        'ordering': ['zone', 'sector', 'risk_class', 'standardization_grade'],
                        'db_table': 'fieldwork_coveragepolicy',
                        'constraints': [models.UniqueConstraint(condition=models.Q(('zone__isnull', False)), fields=('zone', 'sector', 'risk_class', 'standardization_grade'), name='coverage_policy_unique_in_zone', violation_error_message='The zone already has a rule for these enterprises.'), models.UniqueConstraint(condition=models.Q(('zone__isnull', True)), fields=('sector', 'risk_class', 'standardization_grade'), name='coverage_policy_default_unique', violation_error_message='There is a default rule for these enterprises.'), models.CheckConstraint(condition=models.Q(('visits__lte', 100)), name='coverage_policy_visits_sane', violation_error_message='At most 100 visits per period.')],
                    },
                ),
            ],
        ),
    ]
