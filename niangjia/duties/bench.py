"""Duty progress at national shape for `niangjia bench` (section "Cadre work dashboards", run by
stats/cadre_bench.py, which sits above duties and fieldwork and times both).

The section runs on the bench database after the platform's own measurements. It seeds the city-grain summary rows these dashboards read
for every city of the generated tree (duty_members, duty_items for each year; field_days for
every month × stay kind × status — fieldwork/bench.py) and times the platform's own query code:
queries.progress_overview (what /duties/progress/ shows above its list) and
fieldwork.queries.field_days_by_month (the field-days chart). The bench tree holds no
assignment or stay rows, so county and below (which read those rows) are not timed here.
"""

import math
from datetime import date

from niangjia.core.models import SummaryCount
from niangjia.org.models import Federation

from . import rules, standing
from .models import EvidenceKind
from .services import METRIC as EVIDENCE

TITLE = "Cadre work dashboards"
ITEM_KEYS = [rules.item_key(n, item["title"]) for n, item in enumerate(rules.EXECUTIVE_PRESET["items"], start=1)]
LABELS = {"national": "national (unrestricted)", "province": "province", "city": "city"}


def bench_cities() -> list[tuple[int, int, int]]:
    return list(Federation.objects.filter(level=3).order_by("id").values_list("l1", "l2", "id"))


def pick_units(cities: list[tuple[int, int, int]]) -> dict:
    """National (None), the middle province and the middle city inside it."""
    provinces = sorted({l2 for _, l2, _ in cities})
    province = provinces[len(provinces) // 2]
    inside = [c for _, l2, c in cities if l2 == province]
    return {"national": None, "province": Federation.objects.get(pk=province),
            "city": Federation.objects.get(pk=inside[len(inside) // 2])}


def seed_duty_summaries(cities: list[tuple[int, int, int]], years: list[int]) -> int:
    """Replace the duty_members / duty_items rows with a nation's worth: per city and year, members
    spread over the "done/6" standings of the preset checklist (plus a few cancelled), and the
    six preset items by state. Deterministic; bench databases only."""
    SummaryCount.objects.filter(metric__in=[standing.MEMBERS, standing.ITEMS, EVIDENCE]).delete()
    total = len(ITEM_KEYS)
    rows = []
    for l1, l2, l3 in cities:
        for year in years:
            key = {"period": date(year, 1, 1), "l1": l1, "l2": l2, "l3": l3}
            for done in range(total + 1):
                n = 10 + (l3 * 11 + year * 5 + done * 17) % 60
                rows.append(SummaryCount(metric=standing.MEMBERS, category="active",
                                         status=rules.standing_key(done, total), count=n, total=n * (done + 1), **key))
            rows.append(SummaryCount(metric=standing.MEMBERS, category="cancelled",
                                     status=rules.standing_key(0, total), count=1 + l3 % 3, total=0, **key))
            for m in range(1, 13):  # evidence by month × kind × status, as services.evidence_record bumps it
                for k, kind in enumerate(EvidenceKind.values):
                    for st in ("recorded", "withdrawn", "superseded"):
                        n = (l3 * 5 + m * 7 + k * 13 + year) % 50 if st == "recorded" else (l3 + m + k) % 3
                        rows.append(SummaryCount(metric=EVIDENCE, category=kind, status=st, count=n,
                                                 **key | {"period": date(year, m, 1)}))
            for i, item in enumerate(ITEM_KEYS):
                for j, state in enumerate(rules.SLOTS):
                    rows.append(SummaryCount(metric=standing.ITEMS, category=item, status=state,
                                             count=20 + (l3 * 3 + i * 7 + j * 29 + year) % 90, **key))
    SummaryCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def pct(samples: list[float], p: int) -> float:
    return samples[max(1, math.ceil(p / 100 * len(samples))) - 1]
