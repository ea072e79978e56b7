"""Birth year (clear) and birth date (sealed) columns beside the clear birth date, filled by the next migration.

Three migrations, not one: PostgreSQL refuses to ALTER a table with pending trigger events, which a data
update in the same transaction leaves behind."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("people", "0003_person_case_party")]

    operations = [
        migrations.AddField("person", "birth_year",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="出生年份")),
        migrations.AddField("person", "birth_date_enc", models.TextField(blank=True, editable=False)),
    ]
