"""`niangjia bench` section "Cadre work dashboards": the cost of the national, provincial and city
dashboards of duty progress (履职进度) and field days (下基层天数), on summary rows at national shape.

Registered in apps.py with core.extensions.register_bench; `run(ctx)` runs on the bench database
after the platform's own measurements. It seeds the city-grain summary rows these dashboards read
for every city of the generated tree (duty_members, duty_items for each year; field_days for
every month × stay kind × status — fieldwork/bench.py) and times the platform's own query code:
queries.progress_overview (what /duties/progress/ shows above its list) and
fieldwork.queries.field_days_by_month (the field-days chart). The bench tree holds no
assignment or stay rows, so county and below (which read those rows) are not timed here.
"""

from datetime import date

from niangjia.core.models import SummaryCount
from niangjia.fieldwork import bench as field_bench

from . import queries, rules, standing
from .models import EvidenceKind
from .services import METRIC as EVIDENCE

TITLE = "Cadre work dashboards"
ITEM_KEYS = [rules.item_key(n, item["title"]) for n, item in enumerate(rules.EXECUTIVE_PRESET["items"], start=1)]
LABELS = {"national": "national (unrestricted)", "province": "province", "city": "city"}


def bench_cities() -> list[tuple[int, int, int]]:
    from niangjia.org.models import Federation

    return list(Federation.objects.filter(level=3).order_by("id").values_list("l1", "l2", "id"))


def pick_units(cities: list[tuple[int, int, int]]) -> dict:
    """National (None), the middle province and the middle city inside it."""
    from niangjia.org.models import Federation

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


def measure_duty_progress(units: dict, *, year: int, day: date, repeat: int) -> dict:
    user = field_bench.Nation()
    return {k: field_bench.timed(lambda u=u: queries.progress_overview(user, unit=u, year=year, day=day), repeat)
            for k, u in units.items()}


def _pct(samples: list[float], p: int) -> float:
    import math

    return samples[max(1, math.ceil(p / 100 * len(samples))) - 1]


def run(ctx) -> list[str]:
    """Seed, time, and return the markdown lines of the section."""
    years = list(range(date.fromisoformat(ctx.meta["start"]).year, date.fromisoformat(ctx.meta["end"]).year + 1))
    year = years[-1]
    cities = bench_cities()
    units = pick_units(cities)
    ctx.say(f"  seeding cadre-work summaries for {len(cities)} cities × {len(years)} years")
    duty_rows = seed_duty_summaries(cities, years)
    field_rows = field_bench.seed_summaries(cities, years)
    repeat = max(5, ctx.repeat)
    duty = measure_duty_progress(units, year=year, day=date(year, 9, 30), repeat=repeat)
    field = field_bench.measure_field_days(units, year=year, repeat=repeat)
    lines = [
        f"Summary rows seeded for every city of the bench tree ({len(cities)} cities, years "
        f"{years[0]}–{years[-1]}): {duty_rows:,} duty-progress rows (`duty_members` by done/total standing, "
        f"`duty_items` by item × state, per city × year; `duty_evidence` per city × month × kind × status) and {field_rows:,} field-day rows (`field_days` per "
        f"city × month × {len(field_bench.FieldStay.Kind.choices)} stay kinds × "
        f"{len(field_bench.FieldStay.Status.choices)} statuses). Timed: the platform's own calls — "
        "`duties.queries.progress_overview` (state counts and per-item table of /duties/progress/, "
        f"year {year}, as on 30 September) and `fieldwork.queries.field_days_by_month` (year {year}). "
        f"{repeat} timed runs after one warm-up; milliseconds.",
        "",
        "| dashboard | reach | p50 ms | p95 ms | result |",
        "|---|---|---:|---:|---|",
    ]
    for key in ("national", "province", "city"):
        samples, result = duty[key]
        c = result["counts"]
        lines.append(f"| duty progress | {LABELS[key]} | {_pct(samples, 50):.2f} | {_pct(samples, 95):.2f} | "
                     f"{c['total']:,} members ({c['complete']:,} complete, {c['behind']:,} behind), "
                     f"{len(result['completion'])} items, {sum(e['n'] for e in result['evidence']):,} evidence, "
                     f"from {result['source']} |")
    for key in ("national", "province", "city"):
        samples, result = field[key]
        lines.append(f"| field days by month | {LABELS[key]} | {_pct(samples, 50):.2f} | {_pct(samples, 95):.2f} | "
                     f"{len(result)} months, {sum(r['t'] for r in result):,} days |")
    lines += ["", "County and below read fact rows (assignments, item standings, stays) through the "
              "ancestor-column indexes; the bench tree has none of those rows, so they are not timed here."]
    return lines
