"""The audit hash chain: every audit row carries the hash of the row before it, so an edited, deleted or
smuggled-in row shows up in `niangjia audit verify` with its place.

hash = sha256(prev_hash + canonical fields). The fields are every column except l1..l6: the ancestor
columns legitimately change when the row's unit moves (org.services.federation_move), and re-hashing on a
move would mean rewriting every later row of the chain (and letting the trigger accept hash updates).
Instead the PostgreSQL trigger lets l1..l6 change only to the unit's current ancestor columns
(core.append_only.audit_function_sql). Rows are appended under a lock on the one-row chain head, held
until the action commits, so the chain follows commit order; a rolled-back action leaves no gap.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from niangjia.core import periods

from . import bulk_rows, together
from .models import AuditChainHead, AuditEntry

FIELDS = ("seq", "at", "actor_id", "actor_name", "action", "target_type", "target_id", "summary", "ip", "channel",
          "detail")


def canonical(values: dict) -> str:
    """One stable text for a row's fields (as read back from either database)."""
    out = dict(values)
    out["at"] = values["at"].astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps([out[f] for f in FIELDS], ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(prev_hash: str, values: dict) -> str:
    return hashlib.sha256((prev_hash + canonical(values)).encode()).hexdigest()


HEAD = AuditChainHead._meta.db_table
# Take the head's next place (a row lock until commit) and read the hash before it, in one statement.
TAKE_HEAD_SQL = f"UPDATE {HEAD} SET seq = seq + 1 WHERE id = 1"


def _take_next() -> tuple[int, str]:
    """Lock the head (UPDATE first: a row lock on PostgreSQL, the write lock on SQLite) and read it."""
    held = getattr(connection, "niangjia_audit_head", None)
    if held is not None:  # taken earlier in this transaction, with the idempotency key (core.idempotency)
        connection.niangjia_audit_head = None
        return held
    with connection.cursor() as cur:
        cur.execute(TAKE_HEAD_SQL + " RETURNING seq, hash")
        row = cur.fetchone()
    if row is None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(pk=1, seq=1, hash="")
        except IntegrityError:  # another writer created it first
            AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + 1)
        head = AuditChainHead.objects.get(pk=1)
        return head.seq, head.hash
    return row[0], row[1]


def hold(seq: int, prev_hash: str) -> None:
    """The head was taken (seq already counted) by another statement of this transaction: the next audit row
    goes there without asking again."""
    connection.niangjia_audit_head = (seq, prev_hash)


def release() -> None:
    """Give back a head taken by `hold` that no audit row used (the place must not stay a gap in the chain)."""
    if getattr(connection, "niangjia_audit_head", None) is None:
        return
    connection.niangjia_audit_head = None
    if connection.in_atomic_block and not connection.needs_rollback:
        AuditChainHead.objects.filter(pk=1).update(seq=F("seq") - 1)


def append(entry: AuditEntry, *, also=()) -> None:
    """Place and hash `entry`, save it, and move the head (inside the action's transaction).

    `also` (PostgreSQL only): new records, their ids already drawn, inserted in the same statement as the
    audit row (core.audit.record with `insert_target` saves them first elsewhere)."""
    if also and (connection.vendor != "postgresql" or any(obj.pk is None for obj in also)):
        raise ValueError("records written with their audit row need PostgreSQL and an id drawn already")
    seq, prev_hash = _take_next()
    entry.at = periods.now()
    entry.seq, entry.prev_hash = seq, prev_hash
    entry.detail = json.loads(json.dumps(entry.detail or {}, ensure_ascii=False, default=str))
    entry.hash = digest(entry.prev_hash, {f: getattr(entry, f) for f in FIELDS})
    if connection.vendor != "postgresql":
        entry.save()
        AuditChainHead.objects.filter(pk=1).update(hash=entry.hash)
        return
    # the audit row (and the records written with it) and the head's new hash: one round trip
    parts, params = [], []
    for n, obj in enumerate([*also, entry]):
        sql, values = together.insert_sql(obj, returning=obj is entry)
        parts.append(f"w{n} AS ({sql})")
        params += values
    with connection.cursor() as cur:
        cur.execute(f"WITH {', '.join(parts)} UPDATE {HEAD} SET hash = %s WHERE id = 1 "
                    f"RETURNING (SELECT id FROM w{len(also)})", [*params, entry.hash])
        entry.pk = cur.fetchone()[0]
    for obj in [*also, entry]:
        obj._state.adding, obj._state.db = False, connection.alias


BULK_COLUMNS = ("action", "target_type", "target_id", "summary", "detail", "l1", "l2", "l3", "l4", "l5", "l6",
                "at", "actor_id", "actor_name", "ip", "channel", "seq", "prev_hash", "hash")


def append_bulk(common: dict, rows: list[tuple]) -> None:
    """Place, hash and insert many rows in their order as one run of the chain: the head is locked and moved by
    len(rows) in one statement, each row hashed on the one before (the same hash as `append`), the rows inserted
    at once (core.bulk_rows: COPY on PostgreSQL). `common`: actor_id, actor_name, ip, channel; each row:
    (action, target_type, target_id, summary, detail, (l1, …, l6))."""
    if not rows:
        return
    seq, prev = _take_next()  # the lock, held until the action commits
    if len(rows) > 1:
        AuditChainHead.objects.filter(pk=1).update(seq=F("seq") + (len(rows) - 1))
    now = periods.now()
    at = now.astimezone(UTC).isoformat(timespec="microseconds")
    actor_id, actor_name, ip, channel = (common[k] for k in ("actor_id", "actor_name", "ip", "channel"))
    out = []
    for action, target_type, target_id, summary, detail, ancestors in rows:
        detail = json.loads(json.dumps(detail, ensure_ascii=False, default=str))
        # canonical() of this row's values, built directly (FIELDS order)
        text = json.dumps([seq, at, actor_id, actor_name, action, target_type, target_id, summary, ip, channel,
                           detail], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest_ = hashlib.sha256((prev + text).encode()).hexdigest()
        out.append((action, target_type, target_id, summary, detail, *ancestors, now, actor_id, actor_name, ip,
                    channel, seq, prev, digest_))
        prev, seq = digest_, seq + 1
    bulk_rows.insert(AuditEntry, BULK_COLUMNS, out, ids=False)
    AuditChainHead.objects.filter(pk=1).update(hash=prev)


@dataclass(frozen=True)
class Problem:
    seq: int | None
    row_id: int | None
    what: str

    def __str__(self) -> str:
        return f"seq {self.seq} · row {self.row_id}: {self.what}"


def verify(*, chunk: int = 5000) -> tuple[list[Problem], int, str]:
    """Walk the chain in order: (problems, last seq, last hash). Finds an edited row (its hash), a deleted
    row (a gap in seq, or a head past the last row) and a row inserted outside the chain (no seq)."""
    problems: list[Problem] = []
    prev_seq, prev_hash = 0, ""
    rows = AuditEntry.objects.exclude(seq=None).order_by("seq").values("id", "prev_hash", "hash", *FIELDS)
    for row in rows.iterator(chunk_size=chunk):
        if row["seq"] != prev_seq + 1:
            missing = f"{prev_seq + 1}" if row["seq"] == prev_seq + 2 else f"{prev_seq + 1}–{row['seq'] - 1}"
            problems.append(Problem(row["seq"], row["id"], f"rows with seq {missing} before this one were deleted"))
        elif row["prev_hash"] != prev_hash:
            problems.append(Problem(row["seq"], row["id"], "its link to the row before was rewritten"))
        if digest(row["prev_hash"], row) != row["hash"]:
            problems.append(Problem(row["seq"], row["id"], "the row was edited after it was written"))
        prev_seq, prev_hash = row["seq"], row["hash"]
    for row_id in AuditEntry.objects.filter(seq=None).values_list("id", flat=True):
        problems.append(Problem(None, row_id, "the row was inserted outside the chain"))
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq > prev_seq:
        problems.append(Problem(head.seq, None, f"the last rows (seq {prev_seq + 1}–{head.seq}) were deleted"))
    elif head is not None and head.seq == prev_seq and head.hash != prev_hash:
        problems.append(Problem(head.seq, None, "the last row differs from the one the head recorded"))
    return problems, prev_seq, prev_hash


def check_anchor(anchor: str) -> list[Problem]:
    """A head noted earlier outside the database (`SEQ:HASH`, e.g. from the periodic job's log) must still be
    in the chain: this catches a rewrite that recomputed every hash after the edited row."""
    seq_text, _, expected = anchor.partition(":")
    if not seq_text.isdigit() or len(expected) != 64:
        return [Problem(None, None, f"anchor {anchor!r} is not SEQ:HASH")]
    row = AuditEntry.objects.filter(seq=int(seq_text)).values("id", "hash").first()
    if row is None:
        return [Problem(int(seq_text), None, "the anchored row is gone")]
    if row["hash"] != expected:
        return [Problem(int(seq_text), row["id"], "the chain was rewritten up to the anchored row")]
    return []
