"""Set-based generation of a national-size tree, its fact rows and their summaries (PostgreSQL only).

Everything is INSERT ... SELECT over generate_series: no Python loops over rows. Secondary
indexes are dropped before the load and rebuilt after it with a large maintenance_work_mem,
then the tables are vacuumed and analysed, as autovacuum would have done in production.
"""

import json
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db import transaction

# The shape of the real federation: 1 national, 34 provinces, ~330 cities, ~2,900 counties,
# ~40,000 townships, ~650,000 villages (693,265 units).
NATIONAL_SHAPE = (1, 34, 330, 2900, 40000, 650000)
LEVEL_WORDS = {1: "全国", 2: "省", 3: "市", 4: "县", 5: "镇", 6: "村"}
LEVEL_PINYIN = {1: "quan guo", 2: "sheng", 3: "shi", 4: "xian", 5: "zhen", 6: "cun"}

# Category mix of the fact rows (weights sum to 1) and the labels used for titles.
CATEGORIES = (
    ("outreach", "宣传引领", 0.25),
    ("training", "培训", 0.20),
    ("visit", "走访", 0.20),
    ("service", "服务", 0.15),
    ("consultation", "议事协商", 0.10),
    ("rights", "维权", 0.05),
    ("online", "网上活动", 0.05),
)

FED = "org_federation"
FACT = "stats_activitylog"
SUMMARY = "core_summarycount"
META = "bench_meta"
METRIC = "activity"


@dataclass
class Spec:
    """What was asked for; a database built from the same spec is reused."""

    units: int
    facts: int
    years: int
    version: int = 1  # bump when the generator changes shape
    tree: str = "synthetic"  # or the path of division-code files, loaded with `niangjia tree import`

    def key(self) -> str:
        spec = asdict(self)
        if self.tree == "synthetic":
            del spec["tree"]  # the key synthetic databases were built under before real trees existed
        return json.dumps(spec, sort_keys=True)


def level_counts(units: int) -> list[int]:
    """Units per level for about `units` in total, every level scaled from the national shape.

    Fan-outs shrink geometrically (level k scales by s**((k-1)/5)) so a small tree keeps six
    levels and several provinces; every parent gets at least one child.
    """

    def counts(s: float) -> list[int]:
        out = [1]
        for k in range(1, 6):
            out.append(max(out[-1], 1, round(NATIONAL_SHAPE[k] * s ** (k / 5))))
        return out

    lo, hi = 1e-9, 100.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if sum(counts(mid)) < units:
            lo = mid
        else:
            hi = mid
    return counts(hi)


def date_range(years: int, today: date | None = None) -> tuple[date, date]:
    """Five (or `years`) whole years of days ending on the last day of the previous month."""
    today = today or date.today()
    end = today.replace(day=1) - timedelta(days=1)
    if end.month == 12:
        start = date(end.year - years + 1, 1, 1)
    else:
        start = date(end.year - years, end.month + 1, 1)
    return start, end


def _log(out, msg: str) -> None:
    if out:
        out(msg)


def _exec(cur, sql: str, params=None) -> None:
    cur.execute(sql, params)


def read_meta(cur) -> dict | None:
    cur.execute("SELECT to_regclass(%s)", [META])
    if cur.fetchone()[0] is None:
        return None
    cur.execute(f"SELECT value FROM {META} WHERE key = 'build'")
    row = cur.fetchone()
    return json.loads(row[0]) if row else None


def _secondary_indexes(cur, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that do not back a constraint."""
    cur.execute(
        """
        SELECT i.relname, pg_get_indexdef(ix.indexrelid)
        FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
        WHERE t.relname = %s AND t.relnamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
        ORDER BY i.relname
        """,
        [table],
    )
    return list(cur.fetchall())


def load_real_tree(conn, path: str, *, out=None) -> dict:
    """Empty the tree and load the real one from division-code files through the platform's importer,
    timed, with the process's peak memory. Ids come out contiguous per level (1 = the root), as the
    synthetic tree's do, so the fact generator and the measurement treat both alike."""
    import resource

    from niangjia.accounts.models import User
    from niangjia.org import services as org
    from niangjia.org import tree_import

    with conn.cursor() as cur:
        _exec(cur, f"TRUNCATE {FACT}, {SUMMARY}, {FED} RESTART IDENTITY CASCADE")
    actor = User(username="bench", is_superuser=True)
    with transaction.atomic():
        root = org.federation_root_create(actor=actor, name="全国妇联", code="100000000000")
    t0 = time.perf_counter()
    plan = tree_import.tree_plan(actor=actor, root=root, path=path)
    if plan.problems:
        raise ValueError(f"{len(plan.problems)} problems in {path}, first: {plan.problems[0]}")
    counts = tree_import.tree_apply(actor=actor, plan=plan)
    seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with conn.cursor() as cur:
        cur.execute(f"SELECT level, count(*), min(id), max(id) FROM {FED} GROUP BY level ORDER BY level")
        levels = cur.fetchall()
    _log(out, f"  real tree: {counts['new']:,} units imported in {seconds:.0f}s, peak RSS {rss_mb:.0f} MB")
    return {"level_counts": [n for _, n, _, _ in levels], "seconds": round(seconds, 1),
            "peak_rss_mb": round(rss_mb), "source": str(path)}


def build(conn, spec: Spec, *, out=None, chunk: int = 2_000_000) -> dict:
    """Fill an empty, migrated database. Returns the build metadata (also stored in bench_meta)."""
    real = load_real_tree(conn, spec.tree, out=out) if spec.tree != "synthetic" else None
    counts = real["level_counts"] if real else level_counts(spec.units)
    start, end = date_range(spec.years)
    ndays = (end - start).days + 1
    total_units = sum(counts)
    offsets = [1]
    for n in counts[:-1]:
        offsets.append(offsets[-1] + n)
    t_all = time.perf_counter()
    with conn.cursor() as cur:
        _exec(cur, "SET synchronous_commit = off")
        _exec(cur, "SET maintenance_work_mem = '1GB'")
        _exec(cur, "SET work_mem = '512MB'")
        # The data is consistent by construction: skip the per-row foreign-key triggers.
        _exec(cur, "SET session_replication_role = replica")
        _exec(cur, f"TRUNCATE {FACT}, {SUMMARY}" if real else f"TRUNCATE {FACT}, {SUMMARY}, {FED} CASCADE")

        dropped: list[tuple[str, str]] = []
        for table in (FACT, SUMMARY) if real else (FED, FACT, SUMMARY):
            for name, definition in _secondary_indexes(cur, table):
                _exec(cur, f'DROP INDEX "{name}"')
                dropped.append((name, definition))
        _log(out, f"  dropped {len(dropped)} secondary indexes for the load")

        # The tree, level by level: child j of level k hangs under parent floor(j * n(k-1) / n(k)),
        # so every subtree's ids are contiguous and every parent has at least one child.
        t0 = time.perf_counter()
        for k in range(1, 7) if real is None else ():
            n, off = counts[k - 1], offsets[k - 1]
            word, py = LEVEL_WORDS[k], LEVEL_PINYIN[k]
            lcols = ", ".join(f"l{i}" for i in range(1, 7))
            if k == 1:
                _exec(
                    cur,
                    f"""
                    INSERT INTO {FED} (id, name, code, level, parent_id, path, form, name_pinyin, name_initials,
                        staffing_quota, departments_quota, has_hotline, is_active, version, created_at, updated_at,
                        full_name, from_codes, {lcols})
                    VALUES (1, '全国妇联', '100000000000', 1, NULL, '/1/', 'federation', 'quan guo fu lian', 'qgfl',
                        120, 12, true, true, 1, now(), now(), '', false, 1, NULL, NULL, NULL, NULL, NULL)
                    """,
                )
                continue
            pn, poff = counts[k - 2], offsets[k - 2]
            lvals = ", ".join(
                f"p.l{i}" if i < k else ("s.id" if i == k else "NULL") for i in range(1, 7)
            )
            _exec(
                cur,
                f"""
                INSERT INTO {FED} (id, name, code, level, parent_id, path, form, name_pinyin, name_initials,
                    staffing_quota, departments_quota, has_hotline, is_active, version, created_at, updated_at,
                    full_name, from_codes, {lcols})
                SELECT s.id, '{word}' || (s.j + 1) || '妇联', 'B' || lpad(s.id::text, 11, '0'), {k}, p.id,
                       p.path || s.id || '/', CASE WHEN {k} = 6 AND s.j % 5 = 0 THEN 'congress' ELSE 'federation' END,
                       '{py} ' || (s.j + 1) || ' fu lian', '{py[0]}' || (s.j + 1) || 'fl',
                       GREATEST(0, 8 - {k}), GREATEST(0, 6 - {k}), {k} <= 4, true, 1, now(), now(), '', false,
                       {lvals}
                FROM (SELECT j, {off} + j AS id, {poff} + (j * {pn}::bigint / {n}) AS pid
                      FROM generate_series(0, {n} - 1) AS j) s
                JOIN {FED} p ON p.id = s.pid
                """,
            )
        if real is None:
            _exec(cur, f"SELECT setval(pg_get_serial_sequence('{FED}', 'id'), {total_units})")
        _log(out, f"  tree: {total_units:,} units {counts} in {time.perf_counter() - t0:.1f}s")

        # Fact rows: each on a random unit (so ~94% on villages), days spread evenly over the
        # range in id order (as an append-only log grows), categories by fixed weights.
        case_cat, case_title, acc = [], [], 0.0
        for code, label, w in CATEGORIES:
            acc += w
            bound = "2" if code == CATEGORIES[-1][0] else f"{acc:.4f}"
            case_cat.append(f"WHEN s.r < {bound} THEN '{code}'")
            case_title.append(f"WHEN s.r < {bound} THEN '{label}'")
        t0 = time.perf_counter()
        done = 0
        while done < spec.facts:
            upto = min(spec.facts, done + chunk)
            _exec(
                cur,
                f"""
                INSERT INTO {FACT} (id, unit_id, l1, l2, l3, l4, l5, l6, day, category, title, women_reached,
                    created_by_id, created_at)
                SELECT s.g, u.id, u.l1, u.l2, u.l3, u.l4, u.l5, u.l6, s.day,
                       CASE {' '.join(case_cat)} END,
                       u.name || (CASE {' '.join(case_title)} END) || '活动',
                       (s.r2 * 80)::int, NULL, s.day + time '09:00'
                FROM (SELECT g, 1 + floor(random() * {total_units})::bigint AS uid,
                             DATE '{start.isoformat()}' + ((g - 1) * {ndays}::bigint / {spec.facts})::int AS day,
                             random() AS r, random() AS r2
                      FROM generate_series({done + 1}, {upto}) AS g) s
                JOIN {FED} u ON u.id = s.uid
                """,
            )
            done = upto
            _log(out, f"  facts: {done:,}/{spec.facts:,} ({time.perf_counter() - t0:.0f}s)")
        _exec(cur, f"SELECT setval(pg_get_serial_sequence('{FACT}', 'id'), GREATEST({spec.facts}, 1))")

        # Summary rows at city grain, exactly what core.summaries.bump would have kept current.
        t0 = time.perf_counter()
        _exec(
            cur,
            f"""
            INSERT INTO {SUMMARY} (metric, period, category, status, l1, l2, l3, count, total)
            SELECT '{METRIC}', date_trunc('month', day)::date, category, '',
                   COALESCE(l1, 0), COALESCE(l2, 0), COALESCE(l3, 0), count(*), sum(women_reached)
            FROM {FACT}
            GROUP BY 2, 3, 5, 6, 7
            """,
        )
        # and at province grain (core.summaries.COARSE), summed from the city rows, as rollup.rebuild_coarse does
        _exec(
            cur,
            f"""
            INSERT INTO {SUMMARY} (metric, period, category, status, l1, l2, l3, count, total)
            SELECT '{METRIC}@l2', period, category, status, l1, l2, 0, sum(count), sum(total)
            FROM {SUMMARY} WHERE metric = '{METRIC}'
            GROUP BY period, category, status, l1, l2
            """,
        )
        _log(out, f"  summaries in {time.perf_counter() - t0:.1f}s")

        t0 = time.perf_counter()
        for name, definition in dropped:
            t1 = time.perf_counter()
            # a partitioned table's index reads "ON ONLY parent": rebuilt so, no partition would have it
            _exec(cur, definition.replace(" ON ONLY ", " ON ", 1))
            _log(out, f"  index {name} rebuilt in {time.perf_counter() - t1:.1f}s")
        _log(out, f"  indexes rebuilt in {time.perf_counter() - t0:.1f}s")
        _exec(cur, "SET session_replication_role = DEFAULT")
        for name in ("synchronous_commit", "maintenance_work_mem", "work_mem"):
            _exec(cur, f"RESET {name}")  # the measurement runs at the server's settings

        t0 = time.perf_counter()
        for table in (FED, FACT, SUMMARY):
            _exec(cur, f"VACUUM (ANALYZE) {table}")
        _log(out, f"  VACUUM ANALYZE in {time.perf_counter() - t0:.1f}s")

        meta = {
            "spec": asdict(spec),
            "level_counts": counts,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "built_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "build_seconds": round(time.perf_counter() - t_all, 1),
        }
        if real:
            meta["real_tree"] = real
        _exec(cur, f"CREATE TABLE IF NOT EXISTS {META} (key text PRIMARY KEY, value text NOT NULL)")
        _exec(
            cur,
            f"INSERT INTO {META} (key, value) VALUES ('build', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json.dumps(meta | {"key": spec.key()})],
        )
    return meta
