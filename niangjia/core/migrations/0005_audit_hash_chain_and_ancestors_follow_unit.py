"""The audit hash chain (core.audit_chain): every row gets its place (seq), the hash of the row before it
and its own hash, existing rows chained in id order; and on PostgreSQL the trigger is rebuilt so that an
UPDATE of l1..l6 passes only when the row follows a real move of its unit (before, any rewrite of the
ancestor columns passed, so a `reveal` row could be re-scoped out of a province auditor's view)."""

import hashlib
import json
from datetime import UTC

from django.db import migrations, models
from django.utils import timezone

from niangjia.core.audit import PG_APPEND_ONLY_SQL

FIELDS = ("seq", "at", "actor_id", "actor_name", "action", "target_type", "target_id", "summary", "ip", "channel",
          "detail")

BEFORE = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_NARGS > 0 AND TG_ARGV[0] = 'scoped'
     AND (to_jsonb(NEW) - ARRAY['l1','l2','l3','l4','l5','l6']) IS NOT DISTINCT FROM
         (to_jsonb(OLD) - ARRAY['l1','l2','l3','l4','l5','l6']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
  FOR EACH ROW EXECUTE FUNCTION core_audit_append_only('scoped');
"""
DROP = "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;"


def _digest(prev_hash: str, row: dict) -> str:
    # frozen copy of core.audit_chain.canonical/digest as of this migration
    values = dict(row)
    values["at"] = row["at"].astimezone(UTC).isoformat(timespec="microseconds")
    text = json.dumps([values[f] for f in FIELDS], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


def chain_existing_rows(apps, schema_editor):
    """Chain the rows written before the chain existed, in id order (the trigger is off meanwhile)."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    Head = apps.get_model("core", "AuditChainHead")
    pg = schema_editor.connection.vendor == "postgresql"
    if pg:
        schema_editor.execute(DROP, params=None)
    prev, seq = "", 0
    rows = AuditEntry.objects.order_by("id").values("id", *[f for f in FIELDS if f != "seq"])
    batch = []
    for row in rows.iterator(chunk_size=2000):
        seq += 1
        row["seq"] = seq
        row["detail"] = json.loads(json.dumps(row["detail"] or {}, ensure_ascii=False, default=str))
        entry = AuditEntry(id=row["id"], seq=seq, prev_hash=prev, hash=_digest(prev, row))
        prev = entry.hash
        batch.append(entry)
        if len(batch) >= 2000:
            AuditEntry.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    AuditEntry.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
    Head.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev})
    if pg:
        schema_editor.execute(PG_APPEND_ONLY_SQL, params=None)


def unchain(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    if pg:
        schema_editor.execute(DROP, params=None)
    apps.get_model("core", "AuditEntry").objects.update(seq=None, prev_hash="", hash="")
    if pg:
        schema_editor.execute(BEFORE, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_rows_move_with_their_subtree")]
    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(blank=True, max_length=64)),
            ],
        ),
        migrations.AlterField("auditentry", "at", models.DateTimeField(db_index=True, default=timezone.now)),
        migrations.AddField("auditentry", "seq",
                            models.BigIntegerField(blank=True, editable=False, null=True, unique=True)),
        migrations.AddField("auditentry", "prev_hash", models.CharField(blank=True, editable=False, max_length=64)),
        migrations.AddField("auditentry", "hash", models.CharField(blank=True, editable=False, max_length=64)),
        migrations.RunPython(chain_existing_rows, unchain),
    ]
