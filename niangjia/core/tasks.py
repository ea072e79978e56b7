"""A task for checking the workers end to end: enqueue `worker_probe` and see which worker ran it, when.

Each run leaves one audit row (action `worker.probe`, the token as its summary, the worker's host:pid in its
detail), so a token that shows up twice would be a task run twice (tests/core/test_workers.py).
"""

import os
import socket
import time

from django.db import transaction
from django_tasks import task

from niangjia.core.audit import CoreAction

from . import audit


@task()
def worker_probe(token: str, hold_seconds: float = 0.0) -> str:
    """Note that this worker ran the probe `token` (after holding it `hold_seconds`, as a slow task would)."""
    if hold_seconds:
        time.sleep(hold_seconds)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    with transaction.atomic():
        audit.record(None, CoreAction.WORKER_PROBE, summary=token, detail={"worker": worker})
    return worker
