"""Saved pivot views (数据透视), one owner each: a name and the settings to open the view again."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('stats', '0004_activity_province_grain_summaries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SavedPivot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='名称')),
                ('config', models.JSONField(blank=True, default=dict, help_text='figure, rows, columns, unit, pilot, months', verbose_name='设置')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='保存人')),
            ],
            options={
                'verbose_name': '保存的透视表',
                'verbose_name_plural': '保存的透视表',
                'ordering': ['owner', 'name', 'id'],
                'constraints': [models.UniqueConstraint(fields=('owner', 'name'), name='one_pivot_name_per_owner')],
            },
        ),
    ]
