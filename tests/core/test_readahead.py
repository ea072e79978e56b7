"""core.readahead: a second process reads while this one works; what arrives is what was read, in order, and a
failure while reading arrives too."""

import os
import time

import pytest

from niangjia.core import readahead
from niangjia.core.errors import ValidationFailed


def test_the_items_arrive_in_order_in_lists_of_the_size_asked():
    got = list(readahead.chunks(lambda: range(10), 4))
    assert got == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_the_reading_happens_in_another_process():
    pids = [pid for chunk in readahead.chunks(lambda: (os.getpid() for _ in range(3)), 2) for pid in chunk]
    assert len(set(pids)) == 1 and pids[0] != os.getpid()


def test_a_forwarded_error_arrives_after_the_items_read_before_it():
    def rows():
        yield from range(5)
        raise ValidationFailed("文件在第 7 行处中断", fields={"file": "中断"})

    got = []
    with pytest.raises(ValidationFailed) as err:
        for chunk in readahead.chunks(rows, 2, forward=(ValidationFailed,)):
            got += chunk
    assert got == [0, 1, 2, 3, 4]
    assert err.value.message == "文件在第 7 行处中断" and err.value.fields == {"file": "中断"}


def test_any_other_failure_of_the_reader_is_a_runtime_error_naming_it():
    def rows():
        yield 1
        raise KeyError("sheet1.xml")

    with pytest.raises(RuntimeError, match="KeyError"):
        list(readahead.chunks(rows, 10, forward=(ValidationFailed,)))


def test_a_reader_that_dies_is_noticed():
    def rows():
        yield 1
        os._exit(3)

    with pytest.raises(RuntimeError, match="exit code 3"):
        list(readahead.chunks(rows, 10))


def test_stopping_early_stops_the_reader():
    def endless():
        n = 0
        while True:
            n += 1
            yield n

    stream = readahead.chunks(endless, 100)
    assert next(stream)[:3] == [1, 2, 3]
    stream.close()
    time.sleep(0.2)
    assert [p for p in __import__("multiprocessing").active_children()] == []
