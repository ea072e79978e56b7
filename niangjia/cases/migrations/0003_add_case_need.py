from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0002_complainants_become_case_parties"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="need_id",
            field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name="转自需求"),
        ),
    ]
