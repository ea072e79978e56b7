"""Closure reasons, risk-override reasons, referral notes and agencies' answers are sealed at rest
(core.sensitive, as narratives are): new `<field>_enc` columns, existing rows encrypted, the clear
columns dropped. Reversible: the reverse decrypts back into the clear columns. Timeline entries that
copied a closure or override reason in clear lose that copy (the reverse cannot bring it back).
"""

from django.db import migrations, models

SEALED = {"case": ("closure_reason", "risk_override_reason"), "referral": ("note", "response")}
BATCH = 500


def _each(model, fields):
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def seal(apps, schema_editor):
    from niangjia.core import sensitive

    for name, fields in SEALED.items():
        model = apps.get_model("cases", name)
        for rows in _each(model, fields):
            for row in rows:
                for f in fields:
                    setattr(row, f"{f}_enc", sensitive.encrypt(getattr(row, f) or ""))
            model.objects.bulk_update(rows, [f"{f}_enc" for f in fields])
    event = apps.get_model("cases", "CaseEvent")
    for e in event.objects.filter(kind="status", text__contains="已结案（"):
        e.text = e.text.split("（", 1)[0] + "（" + e.text.split("（", 1)[1].split("：", 1)[0] + "）"
        e.save(update_fields=["text"])
    for e in event.objects.filter(kind="assess", text__contains="（人工调整，理由："):
        e.text = e.text.split("（人工调整，理由：", 1)[0] + "（人工调整）"
        e.save(update_fields=["text"])


def unseal(apps, schema_editor):
    from niangjia.core import sensitive

    for name, fields in SEALED.items():
        model = apps.get_model("cases", name)
        for rows in _each(model, [f"{f}_enc" for f in fields]):
            for row in rows:
                for f in fields:
                    setattr(row, f, sensitive.decrypt(getattr(row, f"{f}_enc"))[:300])
            model.objects.bulk_update(rows, list(fields))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_hotline_call_operator_unknown"),
    ]

    operations = [
        migrations.AddField("case", "closure_reason_enc",
                            models.TextField(blank=True, editable=False, verbose_name="结案理由（加密）")),
        migrations.AddField("case", "risk_override_reason_enc",
                            models.TextField(blank=True, editable=False, verbose_name="调整风险等级的理由（加密）")),
        migrations.AddField("referral", "note_enc",
                            models.TextField(blank=True, editable=False, verbose_name="转介说明（加密）")),
        migrations.AddField("referral", "response_enc",
                            models.TextField(blank=True, editable=False, verbose_name="对方答复（加密）")),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField("case", "closure_reason"),
        migrations.RemoveField("case", "risk_override_reason"),
        migrations.RemoveField("referral", "note"),
        migrations.RemoveField("referral", "response"),
    ]
