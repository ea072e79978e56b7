"""Import jobs keep their upload and checked rows as sealed files on disk (core.sealed_files) instead of
encrypted blobs in the row; jobs still open when this runs (their blobs go) are discarded: upload again."""

from django.db import migrations, models


def discard_open_jobs(apps, schema_editor):
    ImportJob = apps.get_model("people", "ImportJob")
    ImportJob.objects.filter(status__in=["validating", "valid"]).update(status="discarded")


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0006_remove_person_clear_birth_date'),
    ]

    operations = [
        migrations.RunPython(discard_open_jobs, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='importjob',
            name='content_enc',
        ),
        migrations.RemoveField(
            model_name='importjob',
            name='rows_enc',
        ),
        migrations.AddField(
            model_name='importjob',
            name='checked_file',
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name='importjob',
            name='rows_written',
            field=models.PositiveIntegerField(default=0, verbose_name='已写入行数'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='upload_file',
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AlterField(
            model_name='importjob',
            name='status',
            field=models.CharField(choices=[('validating', '校验中'), ('invalid', '有错误'), ('valid', '校验通过'), ('committing', '导入中'), ('committed', '已导入'), ('discarded', '已放弃')], default='validating', max_length=12, verbose_name='状态'),
        ),
    ]
