"""`niangjia bench` section "Figures overview (各项工作汇总)": the cost of /stats/figures/ at national shape.

Runs after the other sections, so the summary table holds the generated `activity` rows plus what
the cadre-work section seeded (duty and field-day rows for every city). Times the platform's own
calls: `stats.figures.totals` over every catalogued metric (the overview cards: one GROUP BY metric
over the summary rows) and `stats.figures.named_children` for `activity` (the by-child table of a
figure's page), national → provinces and province → cities.
"""

from datetime import date

from niangjia.core.models import SummaryCount
from niangjia.duties.bench import LABELS, bench_cities, pct, pick_units
from niangjia.fieldwork.bench import Nation, timed
from niangjia.org.models import Federation

from . import catalogue, figures

TITLE = "Figures overview (各项工作汇总)"


def run(ctx) -> list[str]:
    end = date.fromisoformat(ctx.meta["end"])
    start = date(end.year - 1, end.month, 1)
    units = pick_units(bench_cities())
    user, repeat = Nation(), max(5, ctx.repeat)
    metrics = [f.metric for f in catalogue.figures_for(lambda p: True)]
    rows = SummaryCount.objects.count()
    ctx.say(f"  figures overview over {len(metrics)} metrics, {rows:,} summary rows")
    lines = [
        f"Summary table: {rows:,} rows in all metrics. Span {start:%Y-%m} … {end:%Y-%m} (12 months). "
        f"Overview = `stats.figures.totals` over all {len(metrics)} catalogued metrics; by child = "
        f"`stats.figures.named_children(metric='activity')` (with the children's names). {repeat} timed runs "
        "after one warm-up; milliseconds.",
        "",
        "| call | reach | p50 ms | p95 ms | result |",
        "|---|---|---:|---:|---|",
    ]
    for key, unit in units.items():
        samples, result = timed(lambda u=unit: figures.totals(user, unit=u, start=start, end=end, metrics=metrics),
                                repeat)
        lines.append(f"| overview | {LABELS[key]} | {pct(samples, 50):.2f} | {pct(samples, 95):.2f} | "
                     f"{sum(1 for v in result.values() if v['n'])} metrics with data, "
                     f"{result['activity']['n']:,} activities |")
    for key in ("province", "city"):
        parent = units["province"] if key == "city" else _nation()
        samples, result = timed(lambda p=parent: figures.named_children(user, unit=p, start=start, end=end,
                                                                         metric="activity"), repeat)
        lines.append(f"| by child ({'cities of a province' if key == 'city' else 'provinces'}) | "
                     f"{'province' if key == 'city' else 'national'} | {pct(samples, 50):.2f} | "
                     f"{pct(samples, 95):.2f} | {len(result)} children |")
    return lines


def _nation():
    return Federation.objects.get(level=1)
