"""`niangjia worker`: django-tasks' database worker, plus a heartbeat that /readyz checks.

Run this (not `db_worker` directly) as the worker service; it takes db_worker's options.
"""

import os
import socket
import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from niangjia.core import periods
from niangjia.core.models import WorkerHeartbeat

BEAT_SECONDS = 15


def beat(name: str) -> None:
    """Record that the worker `name` is alive now."""
    WorkerHeartbeat.objects.update_or_create(worker=name, defaults={"beat_at": periods.now()})


def _beat_forever(name: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            beat(name)
        except Exception:  # noqa: BLE001 - a database blip must not kill the worker; /readyz will tell
            pass
        finally:
            connection.close()
        stop.wait(BEAT_SECONDS)


class Command(DbWorkerCommand):
    help = "Run the task worker (django-tasks database backend) with a heartbeat for /readyz."

    def handle(self, *args, **options):
        name = f"{socket.gethostname()}:{os.getpid()}"
        stop = threading.Event()
        thread = threading.Thread(target=_beat_forever, args=(name, stop), daemon=True, name="heartbeat")
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker=name).delete()
