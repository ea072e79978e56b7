"""`niangjia bench` section "Cadre work dashboards": the cost of the national, provincial and city
dashboards of duty progress (履职进度, duties/bench.py seeds it) and field days (下基层天数,
fieldwork/bench.py), on summary rows at national shape. Registered in apps.py with
core.extensions.register_bench; stats sits above both apps, so the section that times them lives here.
"""

from datetime import date

from niangjia.duties import queries
from niangjia.duties.bench import LABELS, bench_cities, pct, pick_units, seed_duty_summaries
from niangjia.fieldwork import bench as field_bench

TITLE = "Cadre work dashboards"


def measure_duty_progress(units: dict, *, year: int, day: date, repeat: int) -> dict:
    user = field_bench.Nation()
    return {k: field_bench.timed(lambda u=u: queries.progress_overview(user, unit=u, year=year, day=day), repeat)
            for k, u in units.items()}


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
        lines.append(f"| duty progress | {LABELS[key]} | {pct(samples, 50):.2f} | {pct(samples, 95):.2f} | "
                     f"{c['total']:,} members ({c['complete']:,} complete, {c['behind']:,} behind), "
                     f"{len(result['completion'])} items, {sum(e['n'] for e in result['evidence']):,} evidence, "
                     f"from {result['source']} |")
    for key in ("national", "province", "city"):
        samples, result = field[key]
        lines.append(f"| field days by month | {LABELS[key]} | {pct(samples, 50):.2f} | {pct(samples, 95):.2f} | "
                     f"{len(result)} months, {sum(r['t'] for r in result):,} days |")
    lines += ["", "County and below read fact rows (assignments, item standings, stays) through the "
              "ancestor-column indexes; the bench tree has none of those rows, so they are not timed here."]
    return lines
