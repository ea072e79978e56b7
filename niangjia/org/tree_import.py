"""Loading the tree from division codes and keeping it current each year (the only writer of imports).

`tree_plan` reads and checks the files and compares them with the tree under a root: new units,
renamed, moved to another parent, retired (gone from the files), restored (back in them). Nothing
is written. `tree_apply` then writes the whole plan in one transaction, audited as one action with
its counts: new units are inserted set-based (ids reserved in one block, path and l1..l6 computed
here, COPY on PostgreSQL, bulk inserts elsewhere), moves go through `services.federation_move` so
every scoped record follows, renames keep the old name in FederationHistory, retired units are
deactivated, never deleted. Importing the same files again finds nothing to do and writes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext, gettext_lazy

from niangjia.core import audit, periods
from niangjia.core.errors import Forbidden, ValidationFailed
from niangjia.core.pinyin import pinyin_keys
from niangjia.org.audit_actions import Action

from . import divisions, rules, services
from .models import Federation, FederationHistory, TreeImport

SAMPLE = 200  # changes of each kind listed in a report; the counts are always complete
MSG_SUPERUSER = gettext_lazy("只有系统管理员可以导入组织体系")
MSG_NO_ROOT = gettext_lazy("还没有根组织：请先运行 niangjia bootstrap")
MSG_INVALID = gettext_lazy("文件有错误，未写入任何数据")

# The columns a new unit is inserted with (COPY and bulk inserts alike).
COLUMNS = ("id", "name", "full_name", "from_codes", "code", "level", "parent_id", "path", "form", "name_pinyin",
           "name_initials", "staffing_quota", "departments_quota", "has_hotline", "is_active", "version",
           "created_at", "updated_at", "l1", "l2", "l3", "l4", "l5", "l6")


@dataclass
class Plan:
    """What applying a set of files would change under `root`."""

    root: Federation
    checked: divisions.Checked
    new: list[str] = field(default_factory=list)                         # codes
    renamed: list[tuple[int, str, str, str]] = field(default_factory=list)  # id, code, old, new published name
    moved: list[tuple[int, str, str, str]] = field(default_factory=list)    # id, code, old parent, new parent
    retired: list[tuple[int, str, str]] = field(default_factory=list)       # id, code, name
    restored: list[tuple[int, str, str]] = field(default_factory=list)      # id, code, name
    unchanged: int = 0

    @property
    def problems(self) -> list[divisions.Problem]:
        return self.checked.problems

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.renamed or self.moved or self.retired or self.restored)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "renamed": len(self.renamed), "moved": len(self.moved),
                "retired": len(self.retired), "restored": len(self.restored), "unchanged": self.unchanged,
                "skipped": self.checked.skipped}

    def report(self) -> dict:
        """Counts and the first SAMPLE changes of each kind, as JSON for a page or a job."""
        units = self.checked.units
        return {
            "counts": self.counts(),
            "new": [[c, units[c][0], units[c][1]] for c in self.new[:SAMPLE]],
            "renamed": [[code, old, new] for _, code, old, new in self.renamed[:SAMPLE]],
            "moved": [[code, old, new] for _, code, old, new in self.moved[:SAMPLE]],
            "retired": [[code, name] for _, code, name in self.retired[:SAMPLE]],
            "restored": [[code, name] for _, code, name in self.restored[:SAMPLE]],
        }


def national_root() -> Federation | None:
    """The tree's root (the top unit without a parent); None on an empty database."""
    return Federation.objects.filter(parent__isnull=True).order_by("level", "id").first()


def _existing(root: Federation) -> dict[str, tuple]:
    """Units under `root`: code → (id, published name, parent code or "", active, from_codes, level)."""
    rows = (Federation.objects.filter(**{f"l{root.level}": root.id}).exclude(pk=root.pk)
            .values_list("id", "code", "name", "full_name", "parent__code", "is_active", "from_codes", "level"))
    out = {}
    for pk, code, name, full, parent, active, from_codes, level in rows.iterator(chunk_size=10_000):
        out[code] = (pk, full or name, "" if parent == root.code else parent, active, from_codes, level)
    return out


def tree_plan(*, actor, root: Federation | None, path) -> Plan:
    """Read and check the files at `path`, then compare them with the tree under `root`; writes nothing."""
    if not actor.is_superuser:
        raise Forbidden(MSG_SUPERUSER)
    if root is None:
        raise ValidationFailed(MSG_NO_ROOT)
    existing = _existing(root)
    checked = divisions.check(divisions.Source(path), root_code=root.code, root_level=root.level,
                              existing_level=lambda c: existing[c][5] if c in existing else None)
    plan = Plan(root=root, checked=checked)
    if checked.problems:
        return plan
    _conflicts(plan, existing)
    if checked.problems:
        return plan
    units = checked.units
    for code, (name, parent) in units.items():
        old = existing.get(code)
        if old is None:
            plan.new.append(code)
            continue
        pk, old_name, old_parent, active, _from_codes, _level = old
        changed = False
        if not active:
            plan.restored.append((pk, code, name))
            changed = True
        if old_name != name:
            plan.renamed.append((pk, code, old_name, name))
            changed = True
        if old_parent != parent:
            plan.moved.append((pk, code, old_parent, parent))
            changed = True
        plan.unchanged += not changed
    for code, (pk, name, _parent, active, from_codes, _level) in existing.items():
        if from_codes and active and code not in units:
            plan.retired.append((pk, code, name))
    plan.new.sort(key=lambda c: (len(c), c))
    return plan


def _conflicts(plan: Plan, existing: dict) -> None:
    """A code in the files that a unit outside this root already carries cannot be imported."""
    outside = set(Federation.objects.exclude(**{f"l{plan.root.level}": plan.root.id}).values_list("code", flat=True))
    outside.discard(plan.root.code)
    for code in sorted(outside & plan.checked.units.keys()):
        plan.checked.problems.append(divisions.Problem(code, 0, gettext("代码“{code}”已被导入范围以外的组织使用").format(code=code)))


# ---------------------------------------------------------------- applying


def tree_apply(*, actor, plan: Plan, tree_import=None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Write the plan in one transaction, audited as one `tree.import`; returns its counts."""
    if not actor.is_superuser:
        raise Forbidden(MSG_SUPERUSER)
    if plan.problems:
        raise ValidationFailed(MSG_INVALID)
    counts = plan.counts()
    if plan.is_empty:
        return counts
    root = plan.root
    by_level: dict[int, list[str]] = {}
    for code in plan.new:
        by_level.setdefault(rules.code_level(code), []).append(code)
    moved_by_level: dict[int, list[tuple]] = {}
    for item in plan.moved:
        moved_by_level.setdefault(rules.code_level(item[1]), []).append(item)
    done, total = 0, len(plan.new) + len(plan.moved)
    with transaction.atomic():
        Federation.objects.select_for_update().filter(pk=root.pk).first()
        placed: dict[str, tuple] = {"": (root.id, root.path, tuple(getattr(root, f"l{n}") for n in range(1, 7)))}
        for level in range(root.level + 1, 7):
            codes = by_level.get(level, [])
            if codes:
                _fetch_parents(placed, {plan.checked.units[c][1] for c in codes})
                done = _insert_level(plan.checked.units, codes, level, placed, done, total, progress)
            if level == 6:
                placed.clear()
            for pk, _code, _old, new_parent in moved_by_level.get(level, []):
                fed = Federation.objects.get(pk=pk)
                services.federation_move(actor=actor, federation=fed, new_parent=Federation.objects.get(code=new_parent)
                                         if new_parent else root)
                done += 1
                if progress:
                    progress(done, total)
            _fetched_parents_moved(placed, moved_by_level.get(level, []))
        _set_active([pk for pk, *_ in plan.restored], True)
        _rename(plan.renamed)
        _set_active([pk for pk, *_ in plan.retired], False)
        _history(plan, tree_import)
        audit.record(actor, Action.TREE_IMPORT, root, summary=f"导入组织体系：新增 {counts['new']}",
                     detail={**counts, "tree_import": getattr(tree_import, "pk", None)})
    return counts


def _fetch_parents(placed: dict, parents: set[str]) -> None:
    """Path and ancestor columns of existing parents the new units hang from (new parents are already placed)."""
    wanted = [c for c in parents if c not in placed]
    cols = ("id", "code", "path", "l1", "l2", "l3", "l4", "l5", "l6")
    for i in range(0, len(wanted), 2000):
        for row in Federation.objects.filter(code__in=wanted[i:i + 2000]).values_list(*cols):
            placed[row[1]] = (row[0], row[2], tuple(row[3:]))


def _fetched_parents_moved(placed: dict, moved: list) -> None:
    """A moved unit's path changed: forget what was fetched of it, so its children see the new one."""
    for _pk, code, _old, _new in moved:
        placed.pop(code, None)


def _reserve_ids(n: int) -> int:
    """The first of `n` consecutive free ids for federations (the caller holds the transaction)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT setval(pg_get_serial_sequence('org_federation', 'id'), "
                        "nextval(pg_get_serial_sequence('org_federation', 'id')) + %s - 1)", [n])
            return cur.fetchone()[0] - n + 1
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM org_federation")
        return cur.fetchone()[0] + 1


def _insert_level(units: dict, codes: list[str], level: int, placed: dict, done: int, total: int, progress) -> int:
    """Insert one level's new units set-based; remembers each one's id, path and columns for its children."""
    first = _reserve_ids(len(codes))
    now = periods.now()
    if connection.vendor != "postgresql":
        now = connection.ops.adapt_datetimefield_value(now)
    keep = level < 6

    def rows():
        nonlocal done
        for offset, code in enumerate(codes):
            published, parent = units[code]
            pid, ppath, pcols = placed[parent]
            pk = first + offset
            cols = tuple(pk if n == level else (pcols[n - 1] if n < level else None) for n in range(1, 7))
            path = f"{ppath}{pk}/"
            if keep:
                placed[code] = (pk, path, cols)
            name = rules.federation_name(published, level)
            full_pinyin, initials = pinyin_keys(name)
            done += 1
            if progress and done % 10_000 == 0:
                progress(done, total)
            yield (pk, name, published, True, code, level, pid, path, Federation.Form.FEDERATION, full_pinyin[:300],
                   initials[:60], 0, 0, False, True, 1, now, now, *cols)

    if connection.vendor == "postgresql":
        _copy(rows())
    else:
        _bulk_insert(rows())
    if progress:
        progress(done, total)
    return done


def _copy(rows) -> None:
    sql = f"COPY org_federation ({', '.join(COLUMNS)}) FROM STDIN"
    with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _bulk_insert(rows, batch: int = 2000) -> None:
    sql = f"INSERT INTO org_federation ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    chunk = []
    with connection.cursor() as cur:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cur.executemany(sql, chunk)
                chunk = []
        if chunk:
            cur.executemany(sql, chunk)


def _set_active(ids: list[int], active: bool) -> None:
    for i in range(0, len(ids), 2000):
        Federation.objects.filter(pk__in=ids[i:i + 2000]).update(
            is_active=active, version=F("version") + 1, updated_at=periods.now())


def _rename(renamed: list[tuple]) -> None:
    for pk, _code, _old, new in renamed:
        fed = Federation.objects.only("id", "level").get(pk=pk)
        name = rules.federation_name(new, fed.level)
        full_pinyin, initials = pinyin_keys(name)
        Federation.objects.filter(pk=pk).update(name=name, full_name=new, name_pinyin=full_pinyin[:300],
                                                name_initials=initials[:60], version=F("version") + 1,
                                                updated_at=periods.now())


def _history(plan: Plan, tree_import) -> None:
    kind = FederationHistory.Kind
    rows = [FederationHistory(federation_id=pk, kind=kind.RENAMED, old_value=old, new_value=new, tree_import=tree_import)
            for pk, _c, old, new in plan.renamed]
    rows += [FederationHistory(federation_id=pk, kind=kind.MOVED, old_value=old or plan.root.code,
                               new_value=new or plan.root.code, tree_import=tree_import)
             for pk, _c, old, new in plan.moved]
    rows += [FederationHistory(federation_id=pk, kind=kind.RETIRED, old_value=code, tree_import=tree_import)
             for pk, code, _n in plan.retired]
    rows += [FederationHistory(federation_id=pk, kind=kind.RESTORED, new_value=code, tree_import=tree_import)
             for pk, code, _n in plan.restored]
    FederationHistory.objects.bulk_create(rows, batch_size=1000)


# ---------------------------------------------------------------- the web flow: upload, check, confirm, run

MSG_NOT_CHECKED = gettext_lazy("只有校验通过、等待确认的导入才能执行")
UPLOAD_DIR = "tree-imports"


def _job_path(job) -> Path:
    return Path(settings.MEDIA_ROOT) / job.source


def tree_import_upload(*, actor, filename: str, chunks) -> TreeImport:
    """Keep an uploaded zip/csv/xlsx under MEDIA_ROOT as a job to check; `chunks` yields its bytes."""
    if not actor.is_superuser:
        raise Forbidden(MSG_SUPERUSER)
    root = national_root()
    if root is None:
        raise ValidationFailed(MSG_NO_ROOT)
    safe = Path(filename or "upload.zip").name[-120:] or "upload.zip"
    if Path(safe).suffix.lower() not in (".zip", ".csv", ".xlsx"):
        raise ValidationFailed(gettext("请上传 .zip（区划代码文件）、.csv 或 .xlsx 文件"), fields={"file": gettext("文件类型不对")})
    with transaction.atomic():
        job = TreeImport.objects.create(created_by=actor, root=root, filename=safe, source="")
        job.source = f"{UPLOAD_DIR}/{job.pk}/{safe}"
        target = _job_path(job)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        job.save(update_fields=["source"])
        audit.record(actor, Action.TREE_IMPORT_UPLOAD, root, detail={"tree_import": job.pk, "filename": safe})
    return job


def tree_import_check(*, actor, job: TreeImport) -> TreeImport:
    """The dry run: problems, or the report of what applying would change. Writes only the job."""
    plan = tree_plan(actor=actor, root=job.root, path=_job_path(job))
    job.problems = [p.as_dict() for p in plan.problems[:1000]]
    job.report = {} if plan.problems else plan.report()
    job.progress_total = len(plan.checked.units)
    job.message = gettext("共 {value} 处错误").format(value=len(plan.problems)) if plan.problems else ""
    job.status = TreeImport.Status.INVALID if plan.problems else TreeImport.Status.CHECKED
    job.save(update_fields=["problems", "report", "progress_total", "message", "status", "updated_at"])
    return job


def tree_import_confirm(*, actor, job: TreeImport) -> TreeImport:
    """Claim a checked job for running (once: a second confirmation is refused)."""
    if not actor.is_superuser:
        raise Forbidden(MSG_SUPERUSER)
    claimed = TreeImport.objects.filter(pk=job.pk, status=TreeImport.Status.CHECKED).update(
        status=TreeImport.Status.RUNNING, message=gettext("正在导入……"))
    if not claimed:
        raise ValidationFailed(MSG_NOT_CHECKED)
    job.refresh_from_db()
    return job


def tree_import_run(*, actor, job: TreeImport) -> TreeImport:
    """Apply a confirmed job: the files are checked again (the tree may have changed), then written."""
    if job.status != TreeImport.Status.RUNNING:
        raise ValidationFailed(MSG_NOT_CHECKED)

    def progress(done: int, total: int) -> None:
        TreeImport.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    try:
        plan = tree_plan(actor=actor, root=job.root, path=_job_path(job))
        if plan.problems:
            job.problems = [p.as_dict() for p in plan.problems[:1000]]
            raise ValidationFailed(MSG_INVALID)
        job.counts = tree_apply(actor=actor, plan=plan, tree_import=job, progress=progress)
    except (ValidationFailed, DatabaseError) as exc:
        job.status, job.message = TreeImport.Status.FAILED, gettext("导入失败，未写入任何数据：{exc}").format(exc=exc)[:300]
    else:
        job.status, job.message = TreeImport.Status.DONE, ""
        _job_path(job).unlink(missing_ok=True)
    job.finished_at = periods.now()
    job.progress_done = job.progress_total = sum(job.counts.get(k, 0) for k in ("new", "moved"))
    job.save(update_fields=["status", "message", "counts", "problems", "finished_at", "progress_done",
                            "progress_total", "updated_at"])
    return job


def tree_import_discard(*, actor, job: TreeImport) -> TreeImport:
    if not actor.is_superuser:
        raise Forbidden(MSG_SUPERUSER)
    if job.status in (TreeImport.Status.RUNNING, TreeImport.Status.DONE):
        raise ValidationFailed(gettext("正在执行或已完成的导入不能放弃"))
    with transaction.atomic():
        job.status = TreeImport.Status.DISCARDED
        job.save(update_fields=["status", "updated_at"])
        audit.record(actor, Action.TREE_IMPORT_DISCARD, job.root, detail={"tree_import": job.pk})
    _job_path(job).unlink(missing_ok=True)
    return job
