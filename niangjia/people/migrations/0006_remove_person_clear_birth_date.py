"""Drop the clear birth date (sealed by 0005)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("people", "0005_seal_birth_dates_and_mask_ids_to_region")]

    operations = [migrations.RemoveField("person", "birth_date")]
