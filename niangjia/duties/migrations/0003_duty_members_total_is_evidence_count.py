"""0002_progress_summaries filled the duty_members summary rows with total = 0, but their total is
the assignments' evidence count (记录佐证; duties/standing.py, the rollup source in apps.py): a
database migrated through 0002 showed 0 until someone ran `rollup --rebuild`. This recomputes the
duty_members rows from the assignments, as the rebuild would (historical models only)."""

from django.db import migrations
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce


def rebuild_duty_members(apps, schema_editor):
    Assignment = apps.get_model("duties", "Assignment")
    Summary = apps.get_model("core", "SummaryCount")
    Summary.objects.filter(metric="duty_members").delete()
    groups = (Assignment.objects.values("year_start", "status", "standing", "l1", "l2", "l3")
              .annotate(n=Count("id"), evidence=Coalesce(Sum("evidence_count"), 0)).order_by())
    Summary.objects.bulk_create(
        [Summary(metric="duty_members", period=g["year_start"], category=g["status"] or "", status=g["standing"] or "",
                 l1=g["l1"] or 0, l2=g["l2"] or 0, l3=g["l3"] or 0, count=g["n"], total=g["evidence"])
         for g in groups],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("duties", "0002_progress_summaries"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(rebuild_duty_members, migrations.RunPython.noop)]
