"""`niangjia backup` and `niangjia restore`: the database and the uploads in one file.

The file is a tar stream — `database.dump` (pg_dump custom format) or `database.sqlite3`, then
`media/…` (every file of MEDIA_ROOT), then `manifest.json` (version, per-table row counts and
checksums, each upload's checksum, fingerprints of the keys) — written with mode 0600 under a
temporary name until complete, and sealed by `crypto.EncryptingWriter` when NIANGJIA_BACKUP_KEY
is set. On PostgreSQL the dump and the checksums read one exported snapshot, so they agree.
"""

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from niangjia import version
from niangjia.core import periods

from . import crypto, database, verify
from .database import BackupError

FORMAT = 1


def _backup_key() -> str:
    return getattr(settings, "BACKUP_KEY", "")


class _HashingReader:
    """Reads a file for tarfile while hashing it, so each upload is read once."""

    def __init__(self, f):
        self._f, self.sha = f, hashlib.sha256()

    def read(self, size=-1):
        data = self._f.read(size)
        self.sha.update(data)
        return data


def _dump(work: Path) -> tuple[Path, dict]:
    """The database into `work`, with its tables' counts and checksums from the same state."""
    if connection.vendor == "sqlite":
        path = database.backup(work / "database.sqlite3")
        return path, verify.sqlite_tables(path)
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
        path = database.backup(work / "database.dump", snapshot=snapshot)
        return path, verify.postgres_tables()


def _media_files(root: Path):
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def _write_archive(out, dump: Path, tables: dict) -> dict:
    media_root = Path(settings.MEDIA_ROOT)
    manifest = {"format": FORMAT, "version": version(), "created": periods.local_now().isoformat(),
                "vendor": connection.vendor, "database": dump.name, "tables": tables, "media": {},
                "keys": verify.key_fingerprints()}
    with tarfile.open(fileobj=out, mode="w|") as tar:
        tar.add(dump, arcname=dump.name)
        for path, rel in _media_files(media_root):
            info = tar.gettarinfo(str(path), arcname=f"media/{rel}")
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with open(path, "rb") as f:
                reader = _HashingReader(f)
                tar.addfile(info, reader)
            manifest["media"][rel] = {"bytes": info.size, "sha256": reader.sha.hexdigest()}
        body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size, info.mode = len(body), 0o600
        tar.addfile(info, io.BytesIO(body))
    return manifest


def backup(path: Path) -> dict:
    """Write the database and the uploads to `path` (mode 0600; encrypted with NIANGJIA_BACKUP_KEY)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = _backup_key()
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".niangjia-backup-") as tmp:
        dump, tables = _dump(Path(tmp))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                out = crypto.EncryptingWriter(raw, secret) if secret else raw
                manifest = _write_archive(out, dump, tables)
                if secret:
                    out.close()
                raw.flush()
                os.fsync(raw.fileno())
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.chmod(partial, 0o600)
    partial.rename(path)
    manifest["encrypted"] = bool(secret)
    return manifest


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `directory`; returns what was deleted."""
    found = sorted(Path(directory).glob("niangjia-*.backup"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in found[keep:]:
        old.unlink()
    return found[keep:]


# ---------------------------------------------------------------- restore


@dataclass
class Report:
    version: str = ""
    created: str = ""
    encrypted: bool = False
    tables: int = 0
    rows: int = 0
    media: int = 0
    sealed: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _safe_member(member: tarfile.TarInfo) -> bool:
    name = PurePosixPath(member.name)
    return (member.isfile() or member.isdir()) and not name.is_absolute() and ".." not in name.parts


def _unpack(path: Path, work: Path) -> tuple[dict, bool]:
    """Decrypt (when sealed) and unpack into `work`, streaming; returns the manifest."""
    encrypted = crypto.is_encrypted(path)
    secret = _backup_key()
    if encrypted and not secret:
        raise BackupError(_("这是加密的备份：请设置备份时使用的 NIANGJIA_BACKUP_KEY"))
    with open(path, "rb") as raw:
        stream = crypto.DecryptingReader(raw, secret) if encrypted else raw
        try:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    if not _safe_member(member):
                        raise BackupError(_("备份中有不安全的条目：{name}").format(name=member.name))
                    target = work / member.name
                    if member.isdir():
                        target.mkdir(parents=True, exist_ok=True)
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with open(target, "wb") as out:
                        shutil.copyfileobj(tar.extractfile(member), out)
        except crypto.CryptoError as exc:
            raise BackupError(str(exc)) from exc
        except tarfile.TarError as exc:
            raise BackupError(_("备份文件已损坏：{exc}").format(exc=exc)) from exc
    manifest_path = work / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(_("备份文件不完整：没有 manifest.json（旧版只含数据库的备份请用 0.1 版恢复）"))
    return json.loads(manifest_path.read_text()), encrypted


def _restore_media(work: Path, manifest: dict) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    for rel in manifest["media"]:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work / "media" / rel, target)


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            sha.update(block)
    return sha.hexdigest()


def check(manifest: dict, report: Report) -> None:
    """Compare the live database and media root with the manifest; record every difference."""
    now = verify.table_digests()
    for name, want in sorted(manifest["tables"].items()):
        got = now.get(name)
        if got is None:
            report.problems.append(_("数据表 {name} 没有恢复").format(name=name))
        elif got != want:
            report.problems.append(_("数据表 {name}：应有 {value} 行，实有 {v2} 行").format(name=name, value=want['rows'], v2=got['rows'])
                                   + (_("，校验和不符") if got["rows"] == want["rows"] else ""))
    report.tables, report.rows = len(manifest["tables"]), sum(t["rows"] for t in manifest["tables"].values())
    root = Path(settings.MEDIA_ROOT)
    for rel, want in manifest["media"].items():
        target = root / rel
        if not target.is_file() or _sha256(target) != want["sha256"]:
            report.problems.append(_("上传文件 {rel} 与备份不符").format(rel=rel))
    report.media = len(manifest["media"])
    report.sealed = verify.sealed_probes()
    report.problems += [_("加密字段 {value}（第 {v2} 行）：{v3}").format(value=p['field'], v2=p['pk'], v3=p['error']) for p in report.sealed if not p["ok"]]


def restore(path: Path) -> Report:
    """Restore the database and the uploads from `path`, then verify them against its manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("备份文件不存在：{path}").format(path=path))
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".niangjia-restore-") as tmp:
        work = Path(tmp)
        manifest, encrypted = _unpack(path, work)
        if manifest.get("vendor") != connection.vendor:
            raise BackupError(_("备份来自 {value} 数据库，当前是 {vendor}").format(value=manifest.get('vendor'), vendor=connection.vendor))
        if problems := verify.key_problems(manifest.get("keys", {})):
            raise BackupError(_("密钥与备份不符，未做任何修改：\n") + "\n".join(problems))
        database.restore(work / manifest["database"])
        _restore_media(work, manifest)
    report = Report(version=manifest.get("version", ""), created=manifest.get("created", ""), encrypted=encrypted)
    check(manifest, report)
    return report
