"""Cut the ID-number masks of selection to the region prefix (see people 0005)."""

from django.db import migrations

from niangjia.core.migrations import _id_masks


def forward(apps, schema_editor):
    _id_masks.remask(apps.get_model("selection", "Candidate"), _id_masks.region_mask)


def backward(apps, schema_editor):
    _id_masks.remask(apps.get_model("selection", "Candidate"), _id_masks.old_mask)


class Migration(migrations.Migration):

    dependencies = [("selection", "0002_scores_append_only")]

    operations = [migrations.RunPython(forward, backward)]
