"""Uploaded files live outside the database, so a rolled-back write must take its file with it."""

from contextlib import contextmanager


@contextmanager
def kept_only_if_saved():
    """Track the files stored inside the block; if the block fails (a stale version, a refused check, an audit
    row that cannot be written), delete them, so a refused upload leaves nothing on disk. Use around the
    transaction that stores them: `with kept_only_if_saved() as keep, transaction.atomic(): ... keep(f)`."""
    stored = []
    try:
        yield stored.append
    except BaseException:
        for fieldfile in stored:
            if fieldfile and fieldfile.name:
                fieldfile.storage.delete(fieldfile.name)
        raise
