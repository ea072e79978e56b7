"""Backup and restore: the database and the uploads in one file, verified on restore (archive.py)."""

from .archive import Report, backup, prune, restore
from .database import BackupError

__all__ = ["BackupError", "Report", "backup", "prune", "restore"]
