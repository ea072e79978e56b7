"""Reading in a second process while this one works on what was read.

A long pass over a file (the persons import: unzip, parse the sheet's XML, take out each row's values, then
check each row) spends its time in Python on both sides of the hand-over, so one process keeps one core busy
and leaves the other idle. `chunks` runs the reading in a forked child and hands its items over in lists
through a bounded queue: the reading and the work overlap, memory stays at a few lists, and the work (with
its database access) stays in this process. The child touches no database connection: it reads and sends.
"""

import multiprocessing
import queue as queues
from collections.abc import Callable, Iterable, Iterator

AHEAD = 4  # lists the child may read before this process takes them


def chunks(produce: Callable[[], Iterable], size: int, *, forward: tuple[type[BaseException], ...] = ()
           ) -> Iterator[list]:
    """Lists of up to `size` items of the iterable `produce()` makes, read in a forked child process.

    An exception of a type in `forward` raised while reading is raised here again, after the items read
    before it; any other failure of the child is raised as RuntimeError. If this side stops early (an
    exception, or the generator closed), the child is stopped."""
    ctx = multiprocessing.get_context("fork")
    handover = ctx.Queue(maxsize=AHEAD)
    child = ctx.Process(target=_read, args=(produce, size, handover, forward), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, value = handover.get(timeout=5)
            except queues.Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the reading process ended without a word (exit code {child.exitcode})") from None
                continue
            if kind == "items":
                yield value
            elif kind == "end":
                return
            elif kind == "forward":
                raise value
            else:
                raise RuntimeError(f"the reading process failed: {value}")
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=5)
        handover.close()


def _read(produce, size, handover, forward) -> None:
    """The child: read, send lists, then say how it ended."""
    batch: list = []
    try:
        for item in produce():
            batch.append(item)
            if len(batch) >= size:
                handover.put(("items", batch))
                batch = []
        ending = ("end", None)
    except forward as exc:
        ending = ("forward", exc)
    except BaseException as exc:  # noqa: BLE001 - said to the parent, which raises it
        ending = ("failed", f"{type(exc).__name__}: {exc}")
    try:
        if batch:  # what was read before the end, or before the failure
            handover.put(("items", batch))
        handover.put(ending)
    finally:
        handover.close()
        handover.join_thread()
