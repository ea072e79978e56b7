"""机构编制核定: a federation's quotas (staffing, internal departments, affiliated institutions) kept as dated
rows. Each federation that already has a quota gets its first row, dated the day it was created (the
only day known), so the history and the federation's current figures agree from the start."""

import django.db.models.deletion
from django.db import migrations, models


def first_rows(apps, schema_editor):
    Federation = apps.get_model("org", "Federation")
    Quota = apps.get_model("org", "EstablishmentQuota")
    cols = [f"l{n}" for n in range(1, 7)]
    batch = []
    feds = (Federation.objects.filter(models.Q(staffing_quota__gt=0) | models.Q(departments_quota__gt=0))
            .only("id", "staffing_quota", "departments_quota", "created_at", *cols).order_by("id"))
    for fed in feds.iterator(chunk_size=2000):
        batch.append(Quota(unit_id=fed.id, effective_on=fed.created_at.date(), staff=fed.staffing_quota,
                           departments=fed.departments_quota, institutions=0, note="启用核定记录时的编制",
                           **{c: getattr(fed, c) for c in cols}))
        if len(batch) >= 2000:
            Quota.objects.bulk_create(batch)
            batch = []
    Quota.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_township_regionalised_once'),
    ]

    operations = [
        migrations.CreateModel(
            name='EstablishmentQuota',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('l1', models.BigIntegerField(blank=True, editable=False, null=True)),
                ('l2', models.BigIntegerField(blank=True, editable=False, null=True)),
                ('l3', models.BigIntegerField(blank=True, editable=False, null=True)),
                ('l4', models.BigIntegerField(blank=True, editable=False, null=True)),
                ('l5', models.BigIntegerField(blank=True, editable=False, null=True)),
                ('l6', models.BigIntegerField(blank=True, editable=False, null=True)),
                ('effective_on', models.DateField(help_text='核定文件规定的执行日期', verbose_name='起始日期')),
                ('staff', models.PositiveIntegerField(verbose_name='编制数')),
                ('departments', models.PositiveIntegerField(verbose_name='内设机构数')),
                ('institutions', models.PositiveIntegerField(verbose_name='直属事业单位数')),
                ('document', models.CharField(blank=True, help_text='如编办批复的文号', max_length=200, verbose_name='核定依据')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.federation', verbose_name='所属组织')),
            ],
            options={
                'verbose_name': '机构编制核定',
                'verbose_name_plural': '机构编制核定',
                'ordering': ['unit', '-effective_on', '-id'],
                'indexes': [models.Index(fields=['l2', 'effective_on'], name='quota_l2_date'), models.Index(fields=['l3', 'effective_on'], name='quota_l3_date')],
                'constraints': [models.UniqueConstraint(fields=('unit', 'effective_on'), name='one_quota_per_unit_day')],
            },
        ),
        migrations.RunPython(first_rows, migrations.RunPython.noop),
    ]
