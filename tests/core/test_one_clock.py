"""One clock (issue 12): the platform asks the day and the time only through core.periods."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from django.test import override_settings

from niangjia.core import periods

ROOT = Path(__file__).resolve().parents[2] / "niangjia"
OTHER_CLOCKS = re.compile(r"(?<![\w.])(date\.today\(\)|datetime\.now\(|timezone\.now\(\)|timezone\.localdate\(\))")


def test_no_module_reads_another_clock():
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or path == ROOT / "core" / "periods.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OTHER_CLOCKS.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_today_is_the_platforms_day_not_the_servers(monkeypatch):
    # given 2026-12-06 20:30 UTC, already 04:30 on 2026-12-07 in China
    instant = datetime(2026, 12, 6, 20, 30, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: instant)
    # then the platform's day is the 7th, and now() is the same instant
    assert periods.today() == date(2026, 12, 7)
    assert periods.now() == instant
    assert periods.local_now().hour == 4
