"""Cut the ID-number masks of cases to the region prefix (see people 0005)."""

from django.db import migrations

from niangjia.core.migrations import _id_masks


def forward(apps, schema_editor):
    _id_masks.remask(apps.get_model("cases", "Case"), _id_masks.region_mask)


def backward(apps, schema_editor):
    _id_masks.remask(apps.get_model("cases", "Case"), _id_masks.old_mask)


class Migration(migrations.Migration):

    dependencies = [("cases", "0005_seal_reasons_and_referral_notes")]

    operations = [migrations.RunPython(forward, backward)]
