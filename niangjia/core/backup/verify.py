"""What a backup's manifest records and a restore checks: per-table row counts and checksums,
fingerprints of the keys the data was sealed with, and one decryption of each sealed field."""

import hashlib
import hmac
import sqlite3

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from niangjia.core import sensitive
from niangjia.core.errors import DecryptionError

FINGERPRINT_LABEL = b"niangjia backup key fingerprint"
MOD = 2**256


def _canonical(row) -> bytes:
    return repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode()


def _digest(rows) -> tuple[int, str]:
    """Row count and an order-independent checksum (sum of row hashes), streaming."""
    count, total = 0, 0
    for row in rows:
        count += 1
        total = (total + int.from_bytes(hashlib.sha256(_canonical(row)).digest(), "big")) % MOD
    return count, f"{total:064x}"


def sqlite_tables(path) -> dict[str, dict]:
    """Counts and checksums of every table of an SQLite file, read with the plain sqlite3 module."""
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out = {}
        for name in names:
            rows, digest = _digest(db.execute(f'SELECT * FROM "{name}"'))
            out[name] = {"rows": rows, "sha256": digest}
        return out


def postgres_tables() -> dict[str, dict]:
    """Counts and checksums of every table of the current PostgreSQL schema, in the current transaction."""
    with connection.cursor() as cur:
        cur.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1")
        names = [r[0] for r in cur.fetchall()]
    out = {}
    for name in names:
        with connection.chunked_cursor() as cur:
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")
            rows, digest = _digest(_rows(cur))
        out[name] = {"rows": rows, "sha256": digest}
    return out


def _rows(cur):
    while batch := cur.fetchmany(2000):
        yield from batch


def table_digests() -> dict[str, dict]:
    """The live database's counts and checksums (SQLite by its file, PostgreSQL in one transaction)."""
    if connection.vendor == "sqlite":
        # Read a plain copy: Django's own connection converts column values by declared type.
        import tempfile

        connection.ensure_connection()
        with tempfile.TemporaryDirectory() as tmp:
            copy = f"{tmp}/live.sqlite3"
            with sqlite3.connect(copy) as dest:
                connection.connection.backup(dest)
            dest.close()
            return sqlite_tables(copy)
    with transaction.atomic():
        return postgres_tables()


def fingerprint(key: str) -> str:
    return hmac.new(key.encode(), FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def key_fingerprints() -> dict:
    return {"blind_index": fingerprint(settings.BLIND_INDEX_KEY),
            "field": [fingerprint(k) for k in settings.FIELD_ENCRYPTION_KEYS]}


def key_problems(recorded: dict) -> list[str]:
    """Why this machine's keys cannot read a backup sealed with `recorded` keys (empty: they can)."""
    problems = []
    now = key_fingerprints()
    if recorded.get("blind_index") and recorded["blind_index"] != now["blind_index"]:
        problems.append(_("NIANGJIA_BLIND_INDEX_KEY 与备份时不同：按手机号、身份证号的查找与查重将全部失效"))
    if recorded.get("field") and not set(recorded["field"]) & set(now["field"]):
        problems.append(_("NIANGJIA_FIELD_KEYS 中没有备份时使用的任何一个密钥：加密字段将无法解密"))
    return problems


def sealed_fields() -> list[tuple]:
    """(model, field) for every sealed column `<field>_enc` of every model."""
    return [(m, f.name[:-4]) for m in apps.get_models() for f in m._meta.concrete_fields if f.name.endswith("_enc")]


def sealed_probes() -> list[dict]:
    """One decryption of each sealed field that holds a value (and its blind index, where it has one)."""
    out = []
    for model, field in sealed_fields():
        binary = model._meta.get_field(f"{field}_enc").get_internal_type() == "BinaryField"
        bidx = [f"{field}_bidx"] if _has(model, f"{field}_bidx") else []
        row = (model._base_manager.exclude(**{f"{field}_enc": b"" if binary else ""}).order_by("pk")
               .values("pk", f"{field}_enc", *bidx).first())
        if row is None:
            continue
        probe = {"field": f"{model._meta.label}.{field}", "pk": row["pk"], "ok": True, "error": ""}
        try:
            if binary:
                sensitive.fernet().decrypt(bytes(row[f"{field}_enc"]))
                clear = ""
            else:
                clear = sensitive.decrypt(row[f"{field}_enc"])
        except (DecryptionError, InvalidToken):
            probe.update(ok=False, error=_("无法解密（字段密钥不对）"))
        else:
            if bidx and row[bidx[0]] and sensitive.blind_index(clear) != row[bidx[0]]:
                probe.update(ok=False, error=_("盲索引不符（NIANGJIA_BLIND_INDEX_KEY 与写入时不同）"))
        out.append(probe)
    return out


def _has(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)
