"""Province-grain summary rows for activities (metric `activity@l2`, l3 = 0), summed from the city rows:
a national dashboard reads a few thousand rows instead of tens of thousands (issue 16)."""

from django.db import migrations

SQL = """INSERT INTO core_summarycount (metric, period, category, status, l1, l2, l3, count, total)
SELECT 'activity@l2', period, category, status, l1, l2, 0, SUM(count), SUM(total) FROM core_summarycount
WHERE metric = 'activity' GROUP BY period, category, status, l1, l2"""


def forwards(apps, schema_editor):
    SummaryCount = apps.get_model("core", "SummaryCount")
    SummaryCount.objects.filter(metric="activity@l2").delete()
    schema_editor.execute(SQL)


def backwards(apps, schema_editor):
    apps.get_model("core", "SummaryCount").objects.filter(metric="activity@l2").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("stats", "0003_activitylog_partitioned_by_year"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
