"""Backup and restore of the whole database: SQLite by its online backup API, PostgreSQL by
pg_dump/pg_restore (custom format). Field-encryption keys are NOT in the backup: keep them
apart, or the restored sensitive fields cannot be read.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _


class BackupError(Exception):
    pass


def _pg_env(settings: dict) -> dict:
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _pg_args(settings: dict) -> list[str]:
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    return args


def _run(cmd: list[str], env: dict) -> None:
    tool = cmd[0]
    if shutil.which(tool) is None:
        raise BackupError(_("找不到 {tool}：请安装 PostgreSQL 客户端工具").format(tool=tool))
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(_("{tool} 失败：{value}").format(tool=tool, value=done.stderr.strip()[:500]))


def backup(path: Path, alias: str = "default", snapshot: str | None = None) -> Path:
    """Write a consistent copy of the database to `path` (on PostgreSQL, of `snapshot` when given)."""
    conn = connections[alias]
    settings = conn.settings_dict
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        with sqlite3.connect(path) as dest:
            conn.connection.backup(dest)
        return path
    if conn.vendor == "postgresql":
        snap = [f"--snapshot={snapshot}"] if snapshot else []
        _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", *snap, *_pg_args(settings), "-f", str(path),
              settings["NAME"]],
             _pg_env(settings))
        return path
    raise BackupError(_("不支持的数据库：{vendor}").format(vendor=conn.vendor))


def restore(path: Path, alias: str = "default") -> None:
    """Replace the database's contents with a backup made by `backup`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("备份文件不存在：{path}").format(path=path))
    conn = connections[alias]
    settings = conn.settings_dict
    if conn.vendor == "sqlite":
        with sqlite3.connect(path) as src:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(_("备份文件已损坏"))
            conn.ensure_connection()
            src.backup(conn.connection)
        return
    if conn.vendor == "postgresql":
        conn.close()
        _restore_postgresql(path, settings)
        return
    raise BackupError(_("不支持的数据库：{vendor}").format(vendor=conn.vendor))


# pg_restore --clean drops a partitioned table's objects one by one and fails on a partition's inherited
# primary key ("cannot drop inherited constraint"): the partitioned tables (core 0007, stats 0003) are
# dropped whole first, in the same transaction as the restore, so those statements find nothing to drop.
DROP_PARTITIONED = """DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind = 'p' LOOP
    EXECUTE format('DROP TABLE IF EXISTS public.%I CASCADE', r.relname);
  END LOOP; END $$;
"""


def _restore_postgresql(path: Path, settings: dict) -> None:
    """The backup's SQL (pg_restore's script) after dropping the partitioned tables, as one transaction."""
    env = _pg_env(settings)
    for tool in ("pg_restore", "psql"):
        if shutil.which(tool) is None:
            raise BackupError(_("找不到 {tool}：请安装 PostgreSQL 客户端工具").format(tool=tool))
    script = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "-f", "-",
                             str(path)], env=env, capture_output=True)
    if script.returncode != 0:
        raise BackupError(_("pg_restore 失败：{value}").format(value=script.stderr.decode(errors='replace').strip()[:500]))
    done = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", *_pg_args(settings),
                           "-d", settings["NAME"], "-f", "-"], input=DROP_PARTITIONED.encode() + script.stdout,
                          env=env, capture_output=True)
    if done.returncode != 0:
        raise BackupError(_("pg_restore 失败：{value}").format(value=done.stderr.decode(errors='replace').strip()[:500]))
