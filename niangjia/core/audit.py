"""The audit trail: one call per write or sensitive read, inside the same transaction.

If the audit row cannot be written the surrounding transaction fails, so no action goes
unrecorded. Callers run inside `transaction.atomic()`; `record` insists on it.
"""

from django.db import connection, transaction

from . import append_only, audit_chain, replica
from .context import current_request_info
from .models import AuditEntry
from .scope import ANCESTOR_FIELDS


def record(actor, action: str, target=None, *, summary: str = "", detail: dict | None = None, unit=None,
           insert_target: bool = False) -> AuditEntry:
    """Append one audit row for `actor` doing `action` to `target` (a model instance or None).

    `insert_target`: `target` is a new record not saved yet; it is written with its audit row, in one
    statement on PostgreSQL when its id was drawn already (core.idempotency.run_once with `model`)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the action it records")
    if insert_target and (target.pk is None or connection.vendor != "postgresql"):
        target.save(force_insert=True)
        insert_target = False
    info = current_request_info()
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300] or (str(target)[:300] if target is not None else ""),
        ip=info.ip,
        channel=info.channel,
        detail=detail or {},
    )
    owner = unit if unit is not None else _owning_unit(target)
    if owner is not None:
        for f in ANCESTOR_FIELDS:
            setattr(entry, f, getattr(owner, f, None))
    audit_chain.append(entry, also=(target,) if insert_target else ())
    replica.note_write(actor, action)  # read-your-writes: her next reads come from the primary
    return entry


class BulkRecorder:
    """Audit rows for many records of one action at a time (an import): one row per record as `record` writes
    it, placed in the hash chain in the order added and inserted in batches (COPY on PostgreSQL), each kept as a
    plain tuple until then. Use inside the action's transaction; the chain head is locked at the first flush and
    held until the transaction ends, so add the rows once the records are written:
    `with audit.bulk(actor) as add: add("person.create", p, detail=...)`.
    """

    def __init__(self, actor, *, batch: int = 5000):
        if not connection.in_atomic_block:
            raise RuntimeError("audit.bulk must run inside the transaction of the actions it records")
        info = current_request_info()
        self._common = {"actor_id": getattr(actor, "pk", None),
                        "actor_name": getattr(actor, "username", "") or "system", "ip": info.ip,
                        "channel": info.channel}
        self._batch, self._pending, self.written = batch, [], 0

    def add(self, action: str, target=None, *, summary: str = "", detail: dict | None = None, unit=None,
            target_type: str = "", target_id: str = "") -> None:
        """One row, as `record` would write it; a caller holding only ids names the target by `target_type`
        (app_label.model) and `target_id`, its `summary`, and its unit's ancestor columns by `unit`."""
        owner = unit if unit is not None else _owning_unit(target)
        self._pending.append((
            action, target._meta.label_lower if target is not None else target_type,
            str(target.pk) if target is not None else str(target_id),
            summary[:300] or (str(target)[:300] if target is not None else ""), detail or {},
            tuple(getattr(owner, f, None) for f in ANCESTOR_FIELDS) if owner is not None else NO_ANCESTORS))
        if len(self._pending) >= self._batch:
            self.flush()

    def flush(self) -> None:
        audit_chain.append_bulk(self._common, self._pending)
        self.written += len(self._pending)
        self._pending = []

    def __enter__(self):
        return self.add

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.flush()


NO_ANCESTORS = (None,) * len(ANCESTOR_FIELDS)


def bulk(actor, *, batch: int = 5000) -> BulkRecorder:
    """A BulkRecorder for `actor` (see there)."""
    return BulkRecorder(actor, batch=batch)


def _owning_unit(target):
    if target is None:
        return None
    if hasattr(target, "l1"):
        return target
    return None


REVEAL_NAMES = {"phone": "电话", "address": "地址", "id_number": "身份证号", "birth_date": "出生日期"}  # how the audit log says it


def reveal(actor, target, field: str, clear_value_fn):
    """Return a sensitive value in clear, recording the read first in the same transaction."""
    with transaction.atomic():
        record(actor, "reveal", target, summary=f"查看完整{REVEAL_NAMES.get(field, field)}", detail={"field": field})
        return clear_value_fn()


def _home_unit(actor):
    """The top unit of the actor's reach, so her province's auditors see rows that have no target."""
    from django.apps import apps

    Federation = apps.get_model("org", "Federation")  # core sits below org: no import
    reach = actor.get_reach() if getattr(actor, "is_authenticated", False) else None
    if reach is None or not reach.subtrees:
        return None
    return Federation.objects.filter(pk=reach.subtrees[0].unit_id).first()


def exported(actor, what: str, rows: int, *, filters: dict | None = None) -> AuditEntry:
    """Record an export (every list, every channel): which list, how many rows, with which filters."""
    with transaction.atomic():
        return record(actor, "export", summary=f"导出 {what}（{rows} 行）"[:300],
                      detail={"list": what, "rows": rows, "filters": filters or {}}, unit=_home_unit(actor))


SEARCH_KINDS = {"phone": "电话", "id_number": "身份证号"}


def searched(actor, kind: str, key: str, *, where: str, found: int | None = None) -> AuditEntry:
    """Record a search by a phone or ID number; `key` is its blind index (never the number itself),
    so an auditor can tell whose number was looked up by matching it against the sealed records."""
    with transaction.atomic():
        return record(actor, f"search.{kind}", summary=f"按{SEARCH_KINDS[kind]}查找（{where}）",
                      detail={"where": where, "key": key, "found": found}, unit=_home_unit(actor))


PG_APPEND_ONLY_SQL = append_only.follows_unit_function_sql("core_audit_append_only",
                                                        "audit entries are append-only (% refused)") \
    + append_only.trigger_sql("core_auditentry", "core_audit_append_only", scoped=False)
# TRUNCATE is left to the database's privileges (the app's role should hold only INSERT and
# SELECT on this table in production): Django's test flush truncates every table.
PG_APPEND_ONLY_REVERSE_SQL = append_only.drop_sql("core_auditentry", "core_audit_append_only")
