"""Questions of a questionnaire carry a version: an edit, a move or a removal names the version it read,
so two builders never silently overwrite each other (issue 13: every write to an existing record)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0003_response_void_and_correction"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
