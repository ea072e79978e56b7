"""`make bench` section: the national total of a report form's field across the whole tree, from the
summary rows (one indexed query), against the same sum over the fact rows."""

import time
from datetime import date
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Count, Sum

from niangjia.accounts.models import User
from niangjia.core import metrics, summaries
from niangjia.core.scope import Reach
from niangjia.org.models import Federation
from niangjia.reports import queries, services
from niangjia.reports.metrics import REPORT_VALUE
from niangjia.reports.models import ReportForm, Submission, Value

TITLE = "统计报表：全国合计一个字段"


def run(ctx) -> list[str]:
    nation = Federation.objects.filter(level=1).order_by("id").first()
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    if nation is None or admin is None:
        return ["(no tree)"]
    form = ReportForm.objects.filter(title="bench: 妇女之家年报").first()
    period = date(2025, 1, 1)
    if form is None:
        form = services.form_create(actor=admin, unit=nation, title="bench: 妇女之家年报", fill_level=6, period_kind="year",
                                    fields=[{"key": "women", "label": "服务妇女人次", "kind": "int"}])
        villages = Federation.objects.filter(level=6).values_list("id", "l1", "l2", "l3", "l4", "l5", "l6")
        t0 = time.perf_counter()
        with transaction.atomic():
            batch_s, batch_v = [], []
            for n, (vid, *cols) in enumerate(villages.iterator(chunk_size=5000)):
                s = Submission(form=form, period=period, status="approved", unit_id=vid, due_on=date(2026, 1, 15),
                               values={"women": n % 97}, **{f"l{i + 1}": c for i, c in enumerate(cols)})
                batch_s.append(s)
                if len(batch_s) == 5000:
                    _flush(batch_s, batch_v, form, Submission, Value)
            _flush(batch_s, batch_v, form, Submission, Value)
        _fold_in(form, period)
        load = time.perf_counter() - t0
    else:
        load = 0.0
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        total = queries.field_total(admin, form, "women", period)
        runs.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    facts = queries._fact_total(Reach(unrestricted=True), f"{form.pk}.women", period, ["submitted", "approved"])
    raw = time.perf_counter() - t0
    assert summaries.covers(Reach(unrestricted=True))
    assert facts["t"] == total["total"], (facts, total)
    return [f"- villages reporting: {total['reports']:,}; national total {total['total']:,}",
            f"- national total from summary rows: median {sorted(runs)[2] * 1000:.1f} ms (5 runs)",
            f"- the same sum over the fact rows: {raw * 1000:.1f} ms",
            f"- loading the reports and rebuilding the summaries: {load:.1f} s"]


def _fold_in(form, period):
    """The summary rows of the bulk-loaded facts, by city, in one upsert (what the services' moves add up to)."""
    rows = Value.objects.filter(metric_key=f"{form.pk}.women", period=period).values("l1", "l2", "l3", "status") \
        .annotate(n=Count("id"), t=Sum("scaled")).order_by()
    metrics.write(REPORT_VALUE.add(SimpleNamespace(l1=r["l1"], l2=r["l2"], l3=r["l3"]), period,
                                   category=f"{form.pk}.women", status=r["status"], count=r["n"], total=r["t"] or 0)
                  for r in rows)


def _flush(batch_s, batch_v, form, Submission, Value):
    if not batch_s:
        return
    made = Submission.objects.bulk_create(batch_s)
    for s in made:
        v = Value(submission=s, metric_key=f"{form.pk}.women", period=s.period, status=s.status,
                  scaled=s.values["women"], unit_id=s.unit_id, **{f"l{i}": getattr(s, f"l{i}") for i in range(1, 7)})
        batch_v.append(v)
    Value.objects.bulk_create(batch_v)
    batch_s.clear()
    batch_v.clear()
