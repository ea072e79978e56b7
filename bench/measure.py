"""Timing the platform's own code against the floor, a raw GROUP BY and a naive tree walk.

Questions, for each of four users (national, province, county, village):
- list: the first page (50 rows) of the user's activities with a category filter, newest first;
- dashboard: activities and women reached by month and category over the last 12 months.

Variants:
- platform: `keyset_page(activities_listing(...))` (what GET /api/v1/stats/activities runs) and
  `activity_counts(...)`, end to end through the platform's code, including the user's reach lookup
  (as a request would pay it: from the caller cache) and the compiled-statement cache (core.prepared);
- floor: hand-written SQL over the same tables the platform reads, through a raw cursor;
- raw: a hand-written GROUP BY over the fact rows with the ancestor-column filter;
- naive: WITH RECURSIVE over parent links to collect the subtree's unit ids, then the facts
  with unit_id IN those ids.
"""

import math
import time
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from niangjia.core import periods
from niangjia.core.pagination import RECENT_SPAN, WIDE_LEVEL

from .generate import FACT, FED, METRIC, SUMMARY

LIST_CATEGORY = "visit"
LIST_LIMIT = 50
USERS = (
    # key, label, role, level
    ("national", "全国", "leader", 1),
    ("province", "省", "leader", 2),
    ("county", "县", "cadre", 4),
    ("village", "村", "executive", 6),
)
VARIANTS = ("platform", "floor", "raw", "naive")


@dataclass
class Timing:
    p50: float
    p95: float
    n: int
    samples: list[float] = field(repr=False, default_factory=list)


@dataclass
class Cell:
    timing: Timing | None
    check: object = None  # a value every variant must agree on
    note: str = ""


def _percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_ms:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_ms)))
    return sorted_ms[rank - 1]


def _plan(fn, *, repeat: int, budget_s: float, min_repeat: int, warmup: int):
    """Warm up `fn`; returns (repetitions to time, last result). Slow variants get fewer repetitions."""
    t0 = time.perf_counter()
    result = fn()
    first = time.perf_counter() - t0
    for _ in range(max(0, warmup - 1)):
        if first > 1.0:
            break  # slow variants: one warm-up run is enough
        result = fn()
    n = repeat
    if first * repeat > budget_s:
        floor = 2 if first > 30 else min_repeat  # minutes-long naive walks: two timed runs
        n = max(floor, min(repeat, int(budget_s / max(first, 1e-9))))
    return n, result


def _timing(samples: list[float]) -> Timing:
    ordered = sorted(samples)
    return Timing(_percentile(ordered, 50), _percentile(ordered, 95), len(samples), samples)


def time_together(fns: dict, *, repeat: int, budget_s: float, min_repeat: int = 3, warmup: int = 2) -> dict:
    """Time several variants in alternation (A B A B ...), so that other load on the machine and the
    state of the caches weigh on each alike. Returns {name: (Timing, result)}."""
    plans = {name: _plan(fn, repeat=repeat, budget_s=budget_s, min_repeat=min_repeat, warmup=warmup)
             for name, fn in fns.items()}
    samples: dict = {name: [] for name in fns}
    results = {name: plan[1] for name, plan in plans.items()}
    for i in range(max(n for n, _ in plans.values())):
        for name, fn in fns.items():
            if i < plans[name][0]:
                t0 = time.perf_counter()
                results[name] = fn()
                samples[name].append((time.perf_counter() - t0) * 1000)
    return {name: (_timing(samples[name]), results[name]) for name in fns}


def pick_units(meta: dict) -> dict[str, int]:
    """A typical province (the middle one), a county inside it and a village of average size inside that."""
    counts = meta["level_counts"]
    province = 1 + counts[0] + counts[1] // 2
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {FED} WHERE l2 = %s AND level = 4 ORDER BY id", [province])
        counties = [r[0] for r in cur.fetchall()]
        county = counties[len(counties) // 2]
        cur.execute(
            f"SELECT l6, count(*) FROM {FACT} WHERE l4 = %s AND l6 IS NOT NULL GROUP BY l6 ORDER BY l6", [county]
        )
        rows = cur.fetchall()
        cur.execute(f"SELECT count(*) FROM {FED} WHERE l4 = %s AND level = 6", [county])
        villages = cur.fetchone()[0] or 1
    average = sum(n for _, n in rows) / villages
    if rows:
        village = min(rows, key=lambda r: (abs(r[1] - average), r[0]))[0]
    else:
        with connection.cursor() as cur:
            cur.execute(f"SELECT min(id) FROM {FED} WHERE l4 = %s AND level = 6", [county])
            village = cur.fetchone()[0]
    return {"national": 1, "province": province, "county": county, "village": village}


def ensure_users(units: dict[str, int]) -> dict:
    """Real platform users (accounts.User + UserScope), one per level; reused across runs."""
    from niangjia.accounts.models import User, UserScope

    users = {}
    for key, _label, role, _level in USERS:
        user, _ = User.objects.get_or_create(
            username=f"bench_{key}", defaults={"roles": [role], "first_name": f"bench {key}"}
        )
        if user.roles != [role] or not user.is_active:
            user.roles, user.is_active = [role], True
            user.save(update_fields=["roles", "is_active"])
        current = set(UserScope.objects.filter(user=user).values_list("unit_id", flat=True))
        if current != {units[key]}:
            UserScope.objects.filter(user=user).delete()
            UserScope.objects.create(user=user, unit_id=units[key])
        user.forget_reach()
        users[key] = user
    return users


def dashboard_window(meta: dict) -> tuple[date, date]:
    """The last twelve whole months of the data."""
    end = date.fromisoformat(meta["end"])
    month = end.year * 12 + end.month - 1 - 11
    return date(month // 12, month % 12 + 1, 1), end


_SUBTREE = f"""WITH RECURSIVE sub(id) AS (
    SELECT %s::bigint
    UNION ALL
    SELECT f.id FROM {FED} f JOIN sub ON f.parent_id = sub.id)"""


def _sql_list_floor(level: int) -> str:
    # a wide reach's first page asks the last year first (core.pagination.RECENT_SPAN): by hand the same
    recent = " AND a.day >= %s" if level <= WIDE_LEVEL else ""
    return f"""SELECT a.id, a.day, a.category, a.title, a.women_reached, a.unit_id, u.name
FROM {FACT} a JOIN {FED} u ON u.id = a.unit_id
WHERE a.l{level} = %s AND a.category = %s{recent}
ORDER BY a.day DESC, a.id DESC LIMIT {LIST_LIMIT + 1}"""


SQL_LIST_NAIVE = f"""{_SUBTREE}
SELECT a.id, a.day, a.category, a.title, a.women_reached, a.unit_id, u.name
FROM {FACT} a JOIN {FED} u ON u.id = a.unit_id
WHERE a.unit_id IN (SELECT id FROM sub) AND a.category = %s
ORDER BY a.day DESC, a.id DESC LIMIT {LIST_LIMIT + 1}"""


def _sql_dash_summary(level: int) -> str:
    # national and province read the province-grain rows (core.summaries.COARSE), as the platform does
    metric = f"{METRIC}@l2" if level <= 2 else METRIC
    return f"""SELECT period, category, sum(count), sum(total)
FROM {SUMMARY}
WHERE metric = '{metric}' AND l{level} = %s AND period >= %s AND period <= %s
GROUP BY period, category ORDER BY period, category"""


def _sql_dash_raw(level: int) -> str:
    return f"""SELECT date_trunc('month', day)::date AS period, category, count(*), sum(women_reached)
FROM {FACT}
WHERE l{level} = %s AND day >= %s AND day <= %s
GROUP BY 1, 2 ORDER BY 1, 2"""


SQL_DASH_NAIVE = f"""{_SUBTREE}
SELECT date_trunc('month', a.day)::date AS period, a.category, count(*), sum(a.women_reached)
FROM {FACT} a
WHERE a.unit_id IN (SELECT id FROM sub) AND a.day >= %s AND a.day <= %s
GROUP BY 1, 2 ORDER BY 1, 2"""


def sql_texts() -> dict[str, str]:
    """The hand-written SQL, for the report (level 4 shown; the column follows the user's level)."""
    return {
        "list floor (county and below; national, province and city add `AND a.day >= <a year ago>`)":
            _sql_list_floor(4),
        "list naive": SQL_LIST_NAIVE,
        "dashboard floor, national/province (province-grain summary rows)": _sql_dash_summary(2),
        "dashboard floor, city (city-grain summary rows)": _sql_dash_summary(3),
        "dashboard floor for county/village, and raw GROUP BY at every level": _sql_dash_raw(4),
        "dashboard naive": SQL_DASH_NAIVE,
    }


def _fetch(sql: str, params: list) -> list:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _dash_check(rows) -> tuple[int, int]:
    """(activities, women reached) over the window; every variant must agree."""
    return sum(int(r[2]) for r in rows), sum(int(r[3] or 0) for r in rows)


def variants_for(key: str, level: int, unit_id: int, user, window: tuple[date, date]) -> dict:
    """The callables for both questions and all variants for one user; each returns a check value."""
    from niangjia.core.pagination import keyset_page
    from niangjia.stats.queries import activities_listing, activity_counts

    start, end = window

    def platform_list():
        user.forget_reach()  # a request looks the reach up once: include it
        # as GET /api/v1/stats/activities pages it (stats.api.activity_list)
        page = keyset_page(activities_listing(user, category=LIST_CATEGORY), order=("-day", "-id"), cursor=None,
                           limit=LIST_LIMIT)
        return [a.id for a in page.items]

    def floor_list():
        recent = [periods.today() - RECENT_SPAN] if level <= WIDE_LEVEL else []
        return [r[0] for r in _fetch(_sql_list_floor(level), [unit_id, LIST_CATEGORY, *recent])[:LIST_LIMIT]]

    def naive_list():
        return [r[0] for r in _fetch(SQL_LIST_NAIVE, [unit_id, LIST_CATEGORY])[:LIST_LIMIT]]

    def platform_dash():
        user.forget_reach()
        rows = activity_counts(user, start=start, end=end)
        return sum(r["n"] for r in rows), sum(int(r["t"] or 0) for r in rows)

    def floor_dash():
        sql = _sql_dash_summary(level) if level <= 3 else _sql_dash_raw(level)
        return _dash_check(_fetch(sql, [unit_id, start, end]))

    def raw_dash():
        return _dash_check(_fetch(_sql_dash_raw(level), [unit_id, start, end]))

    def naive_dash():
        return _dash_check(_fetch(SQL_DASH_NAIVE, [unit_id, start, end]))

    return {
        "list": {"platform": platform_list, "floor": floor_list, "naive": naive_list},
        "dashboard": {"platform": platform_dash, "floor": floor_dash, "raw": raw_dash, "naive": naive_dash},
    }


def explain_platform(fn) -> str:
    """EXPLAIN ANALYZE of the platform's data query (the last SQL statement `fn` runs)."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    if not ctx.captured_queries:
        return ""
    sql = ctx.captured_queries[-1]["sql"]
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        plan = "\n".join(r[0] for r in cur.fetchall())
    return f"{sql}\n\n{plan}"


def run(meta: dict, *, repeat: int, budget_s: float = 20.0, out=None, explain: bool = True) -> dict:
    """Measure everything. Returns {"units", "window", "results": {question: {user: {variant: Cell}}}, "plans"}."""
    units = pick_units(meta)
    users = ensure_users(units)
    window = dashboard_window(meta)
    results: dict = {"list": {}, "dashboard": {}}
    plans: dict = {}
    for key, _label, _role, level in USERS:
        calls = variants_for(key, level, units[key], users[key], window)
        for question, by_variant in calls.items():
            row = results[question].setdefault(key, {})
            # The platform and its floor alternate; the slower comparisons are timed after them.
            groups = [("platform", "floor")] + [(v,) for v in by_variant if v not in ("platform", "floor")]
            for group in groups:
                timed = time_together({v: by_variant[v] for v in group}, repeat=repeat, budget_s=budget_s)
                for variant, (timing, check) in timed.items():
                    row[variant] = Cell(timing, check)
                    if out:
                        out(f"  {question:9} {key:8} {variant:8} p50 {timing.p50:9.2f} ms  p95 {timing.p95:9.2f} ms"
                            f"  (n={timing.n})")
            if explain:
                plans[(question, key)] = explain_platform(by_variant["platform"])
    return {"units": units, "window": window, "results": results, "plans": plans}


PROPOSED_INDEX = ("bench_proposed_act_l1_day", f"CREATE INDEX bench_proposed_act_l1_day ON {FACT} (l1, day, id)")


def try_proposed_index(measured: dict, *, repeat: int, budget_s: float, out=None) -> dict:
    """Build the index the national list lacks, time that list again (platform and floor), drop it.

    The database is left as the platform's migrations made it; the figures are evidence for the
    recommendation in the report.
    """
    name, ddl = PROPOSED_INDEX
    units, window = measured["units"], measured["window"]
    users = ensure_users(units)
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute(f"DROP INDEX IF EXISTS {name}")
        cur.execute(ddl)
        cur.execute("RESET maintenance_work_mem")
    built = time.perf_counter() - t0
    if out:
        out(f"  proposed index {name} built in {built:.1f}s")
    rows = {}
    try:
        calls = variants_for("national", 1, units["national"], users["national"], window)["list"]
        timed = time_together({v: calls[v] for v in ("platform", "floor")}, repeat=repeat, budget_s=budget_s)
        for variant, (timing, check) in timed.items():
            rows[variant] = Cell(timing, check)
            if out:
                out(f"  list      national {variant:8} p50 {timing.p50:9.2f} ms  p95 {timing.p95:9.2f} ms"
                    f"  (n={timing.n}, with {name})")
        plan = explain_platform(calls["platform"])
        with connection.cursor() as cur:
            cur.execute("SELECT pg_size_pretty(pg_relation_size(%s::regclass))", [name])
            size = cur.fetchone()[0]
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
    return {"name": name, "ddl": ddl, "build_s": built, "size": size, "rows": rows, "plan": plan}
