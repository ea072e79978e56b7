"""A township is regionalised once: earlier duplicate records of a township give way to its latest one
(their summary counts taken back, so the township counts once), then one record per township is enforced."""

from django.db import migrations, models


def merge_duplicates(apps, schema_editor):
    Reg = apps.get_model("org", "TownshipRegionalisation")
    Summary = apps.get_model("core", "SummaryCount")
    seen = set()
    for rec in Reg.objects.order_by("unit_id", "-created_at", "-id"):
        if rec.unit_id not in seen:  # the latest record of the township stays
            seen.add(rec.unit_id)
            continue
        Summary.objects.filter(metric="township_regionalisation", period=rec.completed_on.replace(day=1), category="",
                               status="", l1=rec.l1 or 0, l2=rec.l2 or 0, l3=rec.l3 or 0).update(
            count=models.F("count") - 1, total=models.F("total") - (rec.members_after - rec.members_before))
        rec.delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0002_tree_import_full_name_and_history"), ("core", "0001_initial")]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="townshipregionalisation",
            constraint=models.UniqueConstraint(fields=("unit",), name="one_regionalisation_per_township"),
        ),
    ]
